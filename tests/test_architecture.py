"""The layers of docs/architecture.md hold: every import points down, through a room's door.

The rules, checked on the source of every module (module- and function-level imports):

1. A room imports only rooms below it (``LAYERS``); the kernel imports nothing of pcflab.
2. Another room is reached through its package (``from pcflab.factors import resolve``),
   never through one of its private modules, and only for names in its ``__all__``.
3. A module never imports its own room's package (that is the door for the rooms above).
4. Within a room the private modules import each other without a loop.
5. Notebooks and benchmarks use only the documented public modules (``PUBLIC_MODULES``)
   and no underscore names.
"""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: room -> layer; a room may import only rooms of a lower layer. The top-level package
#: ``pcflab`` is the public door, above everything. Rooms still to come (batch, exchange,
#: language catalogues) slot in between reporting and the command line.
LAYERS = {
    "pcflab._version": 0,
    "pcflab.core": 0,
    "pcflab.kernel": 0,
    "pcflab.methods": 1,
    "pcflab.factors": 2,
    "pcflab.models": 3,
    "pcflab.analysis": 4,
    "pcflab.reporting": 5,
    "pcflab.i18n": 5,
    "pcflab.batch": 6,
    "pcflab.exchange": 6,
    "pcflab.cli": 7,
    "pcflab": 8,
}
#: what notebooks and benchmarks may import
PUBLIC_MODULES = {"pcflab", "pcflab.methods", "pcflab.kernel"}
#: source folders and the package each is installed as (pyproject's package-dir)
SOURCES = {"pcflab": ROOT / "pcflab", "pcflab.kernel": ROOT / "kernel", "pcflab.methods": ROOT / "methods"}


def module_files():
    """Every module of pcflab as (dotted name, path)."""
    found = {}
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def room_of(module):
    """The room a dotted module name lives in (the longest ``LAYERS`` key that prefixes it)."""
    best = None
    for room in LAYERS:
        if (module == room or module.startswith(room + ".")) and (best is None or len(room) > len(best)):
            best = room
    return best


def imports_of(source, module, is_package):
    """``(line, target module, imported names)`` of every import in a module's source."""
    out = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            out.append((node.lineno, target, tuple(alias.name for alias in node.names)))
    return out


def _public_names(room):
    return set(getattr(importlib.import_module(room), "__all__", ()))


def violations(module, source, is_package=False, public=_public_names):
    """The broken rules of one pcflab module, as readable strings."""
    found = []
    room = room_of(module)
    for line, target, names in imports_of(source, module, is_package):
        if not (target == "pcflab" or target.startswith("pcflab.")):
            continue
        if target == "pcflab" and names:  # ``from pcflab import kernel`` names a room
            subrooms = [n for n in names if f"pcflab.{n}" in LAYERS]
            targets = [(f"pcflab.{n}", ()) for n in subrooms]
            if len(subrooms) < len(names):
                targets.append(("pcflab", tuple(n for n in names if f"pcflab.{n}" not in LAYERS)))
        else:
            targets = [(target, names)]
        for tmod, tnames in targets:
            troom = room_of(tmod)
            where = f"{module} line {line}: imports {tmod}"
            if troom == room:
                if tmod == room and room != "pcflab" and module != room:
                    found.append(f"{where}, its own room's door (import the private module instead)")
                continue
            if room == "pcflab.kernel":
                found.append(f"{where}: the kernel imports nothing of pcflab")
            elif troom is None or LAYERS[troom] >= LAYERS[room]:
                found.append(f"{where}: an arrow up or sideways ({room} is layer {LAYERS[room]}, {troom} is not below)")
            elif tmod != troom:
                found.append(f"{where}: a private module of another room (import from {troom})")
            else:
                hidden = [n for n in tnames if n.startswith("_") or (n not in public(troom) and n != "*")]
                if hidden and troom != "pcflab._version":
                    found.append(f"{where}: names not in {troom}.__all__: {', '.join(hidden)}")
    return found


def test_the_checker_catches_every_kind_of_bad_arrow():
    public = {"pcflab.factors": {"resolve"}, "pcflab.core": {"PcfError"}}.get

    def check(module, source):
        return violations(module, source, public=lambda room: public(room, set()))

    assert check("pcflab.models._compile", "from pcflab.factors import resolve\n") == []
    assert check("pcflab.models._compile", "from pcflab.core import PcfError\n") == []
    assert check("pcflab.models._compile", "from ._formula import parse_formula\n") == []
    assert "arrow up" in check("pcflab.methods._grading", "from pcflab.analysis import grade\n")[0]
    assert "arrow up" in check("pcflab.factors._schema", "from pcflab.models import load_model\n")[0]
    assert "arrow up" in check("pcflab.analysis._x", "import pcflab\n")[0]
    assert "private module" in check("pcflab.models._compile", "from pcflab.factors._resolve import resolve\n")[0]
    assert "not in pcflab.factors.__all__: _rank" in check("pcflab.models._c", "from pcflab.factors import _rank\n")[0]
    assert "kernel imports nothing" in check("pcflab.kernel._system", "from pcflab.core import PcfError\n")[0]
    assert "own room's door" in check("pcflab.models._compile", "from pcflab.models import load_model\n")[0]
    assert "own room's door" in check("pcflab.analysis._grade", "from . import footprint\n")[0]
    assert check("pcflab.analysis._x", "def f():\n    from pcflab import kernel\n") == []


def test_every_module_is_in_a_room():
    homeless = [m for m in module_files() if room_of(m) is None]
    assert homeless == [], "add these to LAYERS and to docs/architecture.md"


def test_imports_point_down_through_the_doors():
    problems = []
    for module, path in module_files().items():
        problems += violations(module, path.read_text("utf-8"), is_package=path.name == "__init__.py")
    assert problems == [], "\n".join(problems)


def test_no_import_loop_inside_a_room():
    files = module_files()
    graph = {}
    for module, path in files.items():
        graph[module] = {
            target
            for _, target, names in imports_of(path.read_text("utf-8"), module, path.name == "__init__.py")
            for target in [target, *(f"{target}.{n}" for n in names)]
            if target in files and target != module and room_of(target) == room_of(module) and target != room_of(module)
        }
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycle = trail[trail.index(nxt) :] + [nxt]
                pytest.fail("import loop: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


@pytest.mark.parametrize(
    "path",
    sorted([*ROOT.glob("notebooks/*.py"), *ROOT.glob("benchmarks/*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_notebooks_and_benchmarks_use_the_public_api(path):
    problems = []
    for line, target, names in imports_of(path.read_text("utf-8"), path.stem, False):
        if not (target == "pcflab" or target.startswith("pcflab.")):
            continue
        if target not in PUBLIC_MODULES:
            problems.append(f"line {line}: {target} is not one of {sorted(PUBLIC_MODULES)}")
        problems += [f"line {line}: private name {n}" for n in names if n.startswith("_")]
    text = path.read_text("utf-8")
    problems += [f"uses pcflab.{w}" for w in ("_", "kernel._", "methods._") if f"pcflab.{w}" in text]
    assert problems == [], "\n".join(problems)
