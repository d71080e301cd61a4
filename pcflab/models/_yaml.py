"""Reading a YAML model file: its data, and the line of every key for error messages.

ruamel.yaml's round-trip loader is the reference for what a file means (YAML 1.2), but it
is pure Python: 24 s for a model of 1000 processes. libyaml (PyYAML's C extension) composes
the same node tree in C; ``_data`` turns it into exactly the data ruamel gives, and whatever
this reader is not sure of goes to ruamel, which then reads the file as before, errors
included. Lines are needed only by error messages, so they are worked out on first use.
"""

import contextlib
import datetime
import gc
import re
from collections.abc import Mapping

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

try:  # libyaml (PyYAML's C extension) scans, parses and composes YAML in C
    from yaml import MappingNode as _MappingNode
    from yaml import ScalarNode as _ScalarNode
    from yaml import SequenceNode as _SequenceNode
    from yaml.cyaml import CParser as _CParser
except ImportError:  # no PyYAML, or PyYAML built without libyaml: ruamel.yaml reads every file
    _CParser = None

from pcflab.core import ModelError

__all__ = ["MAX_ALIAS_EXPANSION", "read_yaml_mapping"]

#: A model file may reuse anchored nodes (``&a`` ... ``*a``), but the data they expand to may
#: hold at most this many times the nodes written in the file (and at least 100,000 nodes are
#: always allowed): a "billion laughs" file of a few lines that expands to millions of nodes is
#: rejected before it is expanded.
MAX_ALIAS_EXPANSION = 10
_MIN_EXPANSION_ALLOWED = 100_000
# YAML's own core tags are allowed (ruamel reads them); any other explicit tag
# (``!!python/object``, ``!custom``) is an error: a model file holds data, not objects.
_CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "omap")
)


def read_yaml_mapping(text, path):
    """Read a YAML file whose root is a mapping: its data and the line of each of its keys.

    Parameters
    ----------
    text : str
        The file's text.
    path : Path or str
        The file (named in errors).

    Returns
    -------
    data : dict
        Plain Python data (dict, list, str, int, float, bool, ``datetime.date``, None), as
        ruamel.yaml reads the file under YAML 1.2.
    lines : Mapping
        Key path (tuple of keys and list indices) -> 1-based line.

    Raises
    ------
    ModelError
        Not valid YAML, a root that is not a mapping, or a key given twice in one mapping,
        with the file and line.
    """
    data = _fast_data(text, path)
    if data is not None:
        return data, _LineMap(text=text)
    doc = _ruamel_document(text, path)
    _check_expansion(doc, _ruamel_children, path)
    lines = _positions(doc)
    _reject_tags(doc, path, lines)
    return _plain(doc), _LineMap(lines=lines)


def _ruamel_children(node):
    if isinstance(node, dict):
        return [*node.keys(), *node.values()]
    if isinstance(node, list):
        return node
    return ()


def _node_children(node):
    if isinstance(node, _MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, _SequenceNode):
        return node.value
    return ()


def _check_expansion(root, children, path):
    """Reject a document whose aliases expand it far beyond what the file writes.

    Sizes are counted once per distinct node (an alias is the same object as its anchor), so
    the check costs time in the size of the file, not of the expansion.
    """
    expanded, distinct, stack = {}, 0, [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            expanded[key] = 1 + sum(expanded[id(c)] for c in children(node))
            continue
        if key in expanded:
            continue
        expanded[key] = 0  # visiting; a recursive alias counts as one node
        distinct += 1
        stack.append((node, True))
        stack.extend((c, False) for c in children(node) if id(c) not in expanded)
    size = expanded[id(root)]
    if size > max(MAX_ALIAS_EXPANSION * distinct, _MIN_EXPANSION_ALLOWED):
        raise ModelError(
            f"the file's aliases (*name) expand its {distinct:,} YAML nodes to {size:,}",
            file=path,
            hint=f"a model file may expand to at most {MAX_ALIAS_EXPANSION}x the nodes it writes; "
            "write the repeated parts out, or use parameters instead of YAML aliases",
        )


def _tag_of(node):
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) and value else None


def _reject_tags(node, path, lines, keys=()):
    """Raise a ModelError for the first explicit tag that is not one of YAML's core tags."""
    tag = _tag_of(node)
    if tag is not None and tag not in _CORE_TAGS:
        raise ModelError(
            f"YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in a model file",
            file=path,
            line=lines.get(keys, 1 if not keys else None),
            field=_dotted(keys) or None,
            hint="a model file holds plain data: remove the tag and write the value as a number or text",
        )
    if isinstance(node, dict):
        for key, value in node.items():
            _reject_tags(value, path, lines, (*keys, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _reject_tags(item, path, lines, (*keys, i))


def _dotted(keys):
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (("." if out else "") + str(k))
    return out


def _positions(node, prefix=(), out=None):
    """Map every key path of a ruamel document to its 1-based line."""
    out = {} if out is None else out
    if isinstance(node, CommentedMap):
        for key in node:
            line = node.lc.key(key)[0] + 1
            out[prefix + (key,)] = line
            _positions(node[key], prefix + (key,), out)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            out[prefix + (i,)] = node.lc.item(i)[0] + 1
            _positions(item, prefix + (i,), out)
    return out


def _plain(node):
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


# The fast reader leaves to ruamel: explicit tags, merge keys, date-times, anchored booleans,
# keys that are not text, directives, and anything libyaml rejects (see _LEAVE_TO_RUAMEL too).

# Stand-ins for the tag of an untagged node (resolved by ``_data``); explicit tags stay strings.
# ``_NONSPECIFIC``: an empty or quoted scalar tagged ``!`` (ruamel reads ``! `` as null,
# libyaml as ''), left to ruamel.
_PLAIN, _QUOTED, _COLLECTION, _NONSPECIFIC = object(), object(), object(), object()

# YAML 1.2 core schema, as ruamel.yaml's VersionedResolver applies it to YAML 1.2 (its default
# version), with its regular expressions, tried in its order for the first character: floats,
# then ints, then timestamps. Unlike YAML 1.1 (PyYAML's own resolver): ``1e3`` is a float;
# ``yes``/``no``/``on``/``off`` are text; ``017`` is 17 (octal needs ``0o``); no base-60
# numbers (``1:30`` is text). As in ruamel, ``_`` may separate digits.
_FLOAT_12 = re.compile(
    r"""^(?:
     [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT_12 = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_TIMESTAMP_12 = re.compile(
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.X,
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Booleans in three spellings only, and null (an empty plain scalar is null too).
_WORDS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
}
_NUMBER_START = frozenset("-+.0123456789")
_INF = float("inf")
_NAN = -_INF / _INF  # ruamel's NaN, computed as ruamel computes it
# Texts that libyaml and ruamel read differently (found by differential fuzzing) go to ruamel:
# tabs (ruamel rejects a tab in a plain scalar, libyaml takes it); the line breaks of YAML 1.1
# only (NEL, LS, PS: they break lines differently on them); directives (``%YAML 1.1`` makes
# ruamel read YAML 1.1); document end markers (ruamel takes a second ``...`` for a second
# document); and a block scalar (``|``, ``>``) whose first lines are blank with spaces in them
# (ruamel rejects them as "more indented" than the text below, libyaml takes them).
_LEAVE_TO_RUAMEL = ("\t", "\x85", "\u2028", "\u2029", "\n%", "\r%", "\n...", "\r...")
_BLOCK_SCALAR_START = re.compile(r"[|>][-+0-9]*[ ]*(?:#[^\r\n]*)?\r?\n([ \r\n]*)")


def _leave_to_ruamel(text):
    """Whether a text is one of those that libyaml may read otherwise than ruamel."""
    if text.startswith(("%", "...", "\ufeff%", "\ufeff...")) or any(s in text for s in _LEAVE_TO_RUAMEL):
        return True
    return any(" \n" in m[1] or " \r" in m[1] for m in _BLOCK_SCALAR_START.finditer(text))


class _NotSure(Exception):
    """The fast reader leaves this file to ruamel.yaml."""


class _DuplicateKey(Exception):
    """A mapping node gives a key twice (``key_node`` is the second)."""

    def __init__(self, mapping, key_node, key):
        super().__init__(key)
        self.mapping, self.key_node, self.key = mapping, key_node, key


if _CParser is not None:

    class _Composer(_CParser):
        """libyaml's parser and composer, leaving the tags of untagged nodes to ``_data``."""

        def resolve(self, kind, value, implicit):
            """Stand-in tag of an untagged node (libyaml calls this for each one)."""
            if kind is _ScalarNode:
                return _PLAIN if implicit[0] else _QUOTED if implicit[1] else _NONSPECIFIC
            return _COLLECTION

        def descend_resolver(self, current_node, current_index):
            """No path resolvers (libyaml calls this for each collection)."""

        def ascend_resolver(self):
            """No path resolvers."""


def _compose(text):
    """Compose the root node of a YAML text with libyaml (None for an empty text)."""
    return _Composer(text).get_single_node()


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a node tree is built and read.

    The tree of a big model holds half a million objects (nodes and their marks), none in a
    cycle; the collector's repeated passes over them would take 8x the composing itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _float(text):
    """Read a float as ruamel's ``construct_yaml_float`` does (its value, without the format)."""
    s = text.replace("_", "").lower()
    sign = -1 if s[0] == "-" else 1
    if s[0] in "+-":
        s = s[1:]
    if s == ".inf":
        return sign * _INF
    if s == ".nan":
        return _NAN
    return sign * float(s)


def _int(text):
    """Read an int as ruamel's ``construct_yaml_int`` does under YAML 1.2 (its value)."""
    s = text.replace("_", "")
    sign = 1
    if s[0] in "+-":
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    base = {"0b": 2, "0o": 8, "0x": 16}.get(s[:2])
    if base is not None:
        return sign * int(s[2:], base)  # an empty s[2:] (``0x_``) raises: ruamel raises too
    return sign * int(s)  # a leading 0 is decimal in YAML 1.2


def _plain_scalar(text):
    """Read the value of a plain (unquoted, untagged) scalar under ruamel's YAML 1.2 rules."""
    if not text:
        return None
    first = text[0]
    if first in _NUMBER_START:
        if _FLOAT_12.match(text):
            return _float(text)
        if first != ".":
            if _INT_12.match(text):
                return _int(text)
            if first not in "+-" and _TIMESTAMP_12.match(text):
                if _DATE.fullmatch(text):
                    return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
                raise _NotSure(text)  # a date and time: ruamel makes its own TimeStamp objects
        return text
    if text in _WORDS:
        return _WORDS[text]  # but see _not_anchored
    if text in ("<<", "="):  # merge key and value key: ruamel's business
        raise _NotSure(text)
    return text


def _not_anchored(node):
    """Leave an anchored (or ``!``-tagged) boolean to ruamel.

    ruamel reads ``&a true`` as its ScalarBoolean, an int. The node's text is then longer
    than its value.
    """
    if node.end_mark.index - node.start_mark.index != len(node.value):
        raise _NotSure("anchored boolean")


def _key(node):
    """Read a mapping key, if it is text (others, such as ``1:`` or ``2023-01-01:``, go to ruamel)."""
    if node.tag is _QUOTED:
        return node.value
    if node.tag is _PLAIN:
        key = _plain_scalar(node.value)
        if type(key) is str:
            return key
    raise _NotSure(node.value)


def _data(node, duplicates=False):
    """Plain Python data of a composed node: dict, list, str, int, float, bool, date or None.

    Raises ``_NotSure`` for what ruamel is to read, and ``_DuplicateKey`` unless
    ``duplicates`` (then the last value of a key stands).
    """
    tag = node.tag
    if tag is _QUOTED:
        return node.value  # quoted, literal (|) or folded (>) text
    if tag is _PLAIN:
        value = _plain_scalar(node.value)
        if value.__class__ is bool:
            _not_anchored(node)
        return value
    if tag is not _COLLECTION:
        raise _NotSure(tag)  # an explicit tag (!!str, !!set, !custom ...)
    if isinstance(node, _SequenceNode):
        return [_data(item, duplicates) for item in node.value]
    out = {}
    for key_node, value_node in node.value:
        key = _key(key_node)
        tag = value_node.tag  # scalars inline: most values are
        if tag is _PLAIN:
            value = _plain_scalar(value_node.value)
            if value.__class__ is bool:
                _not_anchored(value_node)
        elif tag is _QUOTED:
            value = value_node.value
        else:
            value = _data(value_node, duplicates)  # before the duplicate check, in ruamel's order
        if key in out and not duplicates:
            raise _DuplicateKey(node, key_node, key)
        out[key] = value
    return out


def _node_lines(node, prefix=(), out=None):
    """Map every key path of a composed node tree to its 1-based line (as ``_positions``)."""
    out = {} if out is None else out
    if isinstance(node, _MappingNode):
        for key_node, value_node in node.value:
            keys = prefix + (_key(key_node),)
            out[keys] = key_node.start_mark.line + 1
            _node_lines(value_node, keys, out)
    elif isinstance(node, _SequenceNode):
        for i, item in enumerate(node.value):
            keys = prefix + (i,)
            out[keys] = item.start_mark.line + 1
            _node_lines(item, keys, out)
    return out


def _path_to(node, target, prefix=()):
    """Key path of the node ``target`` within the tree of ``node`` (None if not in it)."""
    if node is target:
        return prefix
    if isinstance(node, _MappingNode):
        children = [((_key(k),), v) for k, v in node.value]
    elif isinstance(node, _SequenceNode):
        children = [((i,), v) for i, v in enumerate(node.value)]
    else:
        return None
    for keys, child in children:
        found = _path_to(child, target, prefix + keys)
        if found is not None:
            return found
    return None


def _duplicate_key_error(root, dup, path):
    """ModelError for a key given twice in one mapping: its line, key path and first line."""
    first = next(k.start_mark.line + 1 for k, _ in dup.mapping.value if _key(k) == dup.key)
    try:
        field = _dotted((*_path_to(root, dup.mapping), dup.key))
    except Exception:  # only the field is lost
        field = None
    return ModelError(
        f'not valid YAML: found duplicate key "{dup.key}" (first given on line {first})',
        file=path,
        line=dup.key_node.start_mark.line + 1,
        field=field,
        hint=f"a key may appear only once in a mapping: merge this entry into the one on line {first}, "
        "or rename one of them",
    )


def _fast_data(text, path):
    """Read the data of a model file with libyaml, as ``_plain`` of its ruamel document would give.

    Parameters
    ----------
    text : str
        The file's text.
    path : Path
        The file (for errors).

    Returns
    -------
    dict or None
        None when the file is to be read by ruamel.yaml (no libyaml; or something this
        reader is not sure to read as ruamel does, including any YAML error).

    Raises
    ------
    ModelError
        A key is given twice in one mapping.
    """
    if _CParser is None or _leave_to_ruamel(text):
        return None
    try:
        with _gc_paused():
            return _read(text, path)  # the node tree is gone before the collector resumes
    except ModelError:
        raise
    except Exception:  # not sure of it (or not valid YAML): ruamel.yaml decides
        return None


def _read(text, path):
    root = _compose(text)
    if not isinstance(root, _MappingNode):
        raise _NotSure("not a mapping")
    _check_expansion(root, _node_children, path)
    try:
        return _data(root)
    except _DuplicateKey as dup:
        # Ours to report only if nothing else in the file is for ruamel (which composes the
        # whole file, and so finds its syntax errors, before it looks for duplicates).
        _data(root, duplicates=True)
        raise _duplicate_key_error(root, dup, path) from None


class _LineMap(Mapping):
    """Key path -> 1-based line in a model file, worked out from its text when first needed.

    Only error messages need lines, so a file read by libyaml keeps its text and composes it
    again (in C, a fraction of the first read) on the first look-up. Two maps are equal when
    they hold the same lines, as dicts are. Pickles without the computed map.

    Parameters
    ----------
    text : str, optional
        Text of a file that ``_fast_data`` read.
    lines : dict, optional
        The map itself (of a file that ruamel read, by ``_positions``).
    """

    def __init__(self, text=None, lines=None):
        self._text = text
        self._map = lines

    def _computed(self):
        if self._map is None and self._text is None:
            self._map = {}
        elif self._map is None:
            with _gc_paused():
                self._map = _node_lines(_compose(self._text))
        return self._map

    def __getitem__(self, keys):
        return self._computed()[keys]

    def __contains__(self, keys):
        return keys in self._computed()

    def __iter__(self):
        return iter(self._computed())

    def __len__(self):
        return len(self._computed())

    def __eq__(self, other):
        if isinstance(other, _LineMap) and self._text is not None and self._text == other._text:
            return True
        return super().__eq__(other)

    __hash__ = None

    def __getstate__(self):
        return {"_text": self._text, "_map": None if self._text is not None else self._map}


def _ruamel_document(text, path):
    """Read a model file's round-trip document with ruamel.yaml (the reference reader)."""
    yaml = YAML(typ="rt")
    try:
        doc = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ModelError(
            f"not valid YAML: {exc.problem}",
            file=path,
            line=None if mark is None else mark.line + 1,
            hint="check indentation and quoting near this line",
        ) from None
    if not isinstance(doc, CommentedMap):
        raise ModelError(
            "a model file must be a YAML mapping",
            file=path,
            line=1,
            hint="start with 'pcflab_model: 1' and the keys of datasets/models/README.md",
        )
    return doc
