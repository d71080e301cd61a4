"""Import of a national or enterprise factor table through pcflab's CSV template.

The template (``datasets/factors/templates/import-template.csv``, columns documented in
``datasets/factors/README.md``) holds the columns a national database extract or an
enterprise's measured factors supply. An import validates every row of the template and
its fit with the database, reports every problem at once, and writes nothing unless all
rows are valid; the target file is then replaced atomically.
"""

import csv
import io
import math
import os
import tempfile
from pathlib import Path

from pcflab.core import FactorTableError

from ._database import _raise_problems, default_factor_dir, factor_source_files
from ._schema import COLUMNS, SHORT_ROW, Problem, field_count_problem, read_factor_rows

__all__ = ["TEMPLATE_COLUMNS", "import_factors"]

#: Template column -> schema column (None: handled specially).
TEMPLATE_COLUMNS = {
    "pcflab_id": "id",
    "national_code": None,
    "name_zh": "name_zh",
    "name_en": "name_en",
    "gas": "gas",
    "value": "value",
    "unit": "unit",
    "per": "per",
    "region": "region",
    "year": "year",
    "gwp_set": "gwp_set",
    "gsd": "gsd",
    "uncertainty_95_pct": None,
    "pedigree": "pedigree",
    "basic_uncertainty": "basic_uncertainty",
    "data_type": "traceability",
    "certificate": "certificate",
    "source_document": "source",
    "issuing_body": "publisher",
    "url": "url",
    "source_tag": "tag",
    "notes": "notes",
}
_BACK = {v: k for k, v in TEMPLATE_COLUMNS.items() if v}
_BACK["uncertainty"] = "gsd / uncertainty_95_pct / pedigree"


def _to_schema(row):
    """Map one template row to a schema row; returns (row, extra problems as (col, msg, hint))."""
    get = {k: (row.get(k) or "").strip() for k in TEMPLATE_COLUMNS}
    out = {c: "" for c in COLUMNS}
    for t, c in TEMPLATE_COLUMNS.items():
        if c:
            out[c] = get[t]
    extra = []
    pct = get["uncertainty_95_pct"]
    if get["gsd"] or get["pedigree"]:
        out["uncertainty"] = "lognormal"
    elif pct:
        try:
            p = float(pct)
            if not (p > 0 and math.isfinite(p)):
                raise ValueError
        except ValueError:
            extra.append(
                (
                    "uncertainty_95_pct",
                    f"{pct!r} is not a positive percentage",
                    "give the half-width of the 95 % range in percent, e.g. 10 for ±10 %",
                )
            )
        else:
            out["uncertainty"] = "lognormal"
            out["gsd"] = repr(math.exp(math.log1p(p / 100.0) / 1.959963984540054))
            note = f"GSD from a ±{pct} % 95 % range: exp(ln(1 + {pct}/100) / 1.96)"
            out["notes"] = f"{out['notes']}; {note}" if out["notes"] else note
    else:
        extra.append(
            (
                "uncertainty_95_pct",
                "no uncertainty is given",
                "give gsd, uncertainty_95_pct or pedigree scores with basic_uncertainty",
            )
        )
        out["uncertainty"] = "lognormal"
    if get["national_code"]:
        note = f"national code {get['national_code']}"
        out["notes"] = f"{out['notes']}; {note}" if out["notes"] else note
    return out, extra


def import_factors(template, into=None, database=None, replace=False):
    """Validate a filled import template and add its rows to the factor database.

    Parameters
    ----------
    template : str or Path
        CSV file with the template's columns.
    into : str or Path, optional
        Factor CSV file that receives the rows (created if missing); by default
        ``imported.csv`` in the database folder.
    database : str or Path, optional
        Folder of the factor database (the shipped ``datasets/factors`` by default).
    replace : bool
        Replace rows of ``into`` that have the same id and gas (otherwise a clash is an
        error).

    Returns
    -------
    list of (str, str)
        The (id, gas) rows imported.

    Raises
    ------
    FactorTableError
        Listing every problem (``err.problems``); nothing is written.
    """
    template = Path(template)
    database = Path(database) if database is not None else default_factor_dir()
    into = Path(into) if into is not None else database / "imported.csv"
    reader = _open_template(template)
    problems, mapped = _map_template_rows(template, reader)
    problems += _schema_problems(template, mapped)
    existing = []
    if into.is_file():
        existing = list(csv.DictReader(into.read_text(encoding="utf-8-sig").splitlines()))
    new_keys = {(r["id"], r["gas"]) for _, r in mapped}
    kept = [r for r in existing if not (replace and (r["id"], r["gas"]) in new_keys)]
    others = [f for f in factor_source_files(database) if f.resolve() != into.resolve()] if database.is_dir() else []
    problems += _clashes(template, mapped, kept, others, into)
    if problems:
        _raise_problems(sorted(problems, key=lambda p: (p.line, p.column)))
    _write_checked(into, kept, mapped, others)
    return sorted(new_keys)


def _open_template(template):
    """Open a filled template as a ``csv.DictReader``; its columns must be the template's."""
    try:
        text = template.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactorTableError(
            f"cannot read the template ({exc})", file=template, hint="save the template as UTF-8 CSV"
        ) from None
    reader = csv.DictReader(text.splitlines(), restval=SHORT_ROW)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in TEMPLATE_COLUMNS if c not in header]
    unknown = [c for c in header if c not in TEMPLATE_COLUMNS]
    if missing or unknown:
        raise FactorTableError(
            "; ".join(
                filter(
                    None,
                    [
                        missing and f"missing template columns: {', '.join(missing)}",
                        unknown and f"unknown template columns: {', '.join(unknown)}",
                    ],
                )
            ),
            file=template,
            line=1,
            hint="start from datasets/factors/templates/import-template.csv",
        )
    return reader


def _map_template_rows(template, reader):
    """Map every non-empty template row to a schema row: (problems, [(line, schema row)])."""
    problems, mapped = [], []
    for row in reader:
        if not any(v.strip() for v in row.values() if isinstance(v, str)):
            continue
        problem = field_count_problem(template, reader.line_num, row)
        if problem is not None:
            problems.append(problem)
            continue
        schema_row, extra = _to_schema(row)
        for col, msg, hint in extra:
            problems.append(Problem(str(template), reader.line_num, col, "template", msg, hint))
        mapped.append((reader.line_num, schema_row))
    if not mapped and not problems:
        raise FactorTableError("the template has no rows", file=template)
    return problems, mapped


def _schema_problems(template, mapped):
    """Validate the mapped rows as a CSV of their own; problems at the template's lines and columns."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(r for _, r in mapped)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "import.csv"
        staged.write_text(buf.getvalue(), encoding="utf-8")
        _, row_problems = read_factor_rows([staged])
    lines = [ln for ln, _ in mapped]
    problems = []
    for p in row_problems:
        if p.rule == "uncertainty-given":  # reported in the template's own terms by _to_schema
            continue
        problems.append(
            Problem(
                str(template),
                lines[p.line - 2] if p.line >= 2 else 1,
                _BACK.get(p.column, p.column),
                p.rule,
                p.message,
                p.hint,
            )
        )
    return problems


def _clashes(template, mapped, kept, others, into):
    """Rows of the template whose (id, gas) is already in another file, or in ``into``."""
    other_records, _ = read_factor_rows(others)
    elsewhere = {(r["id"], r["gas"]): r for r in other_records}
    inside = {(r["id"], r["gas"]) for r in kept}
    problems = []
    for ln, r in mapped:
        k = (r["id"], r["gas"])
        if k in elsewhere:
            problems.append(
                Problem(
                    str(template),
                    ln,
                    "pcflab_id",
                    "unique-id-gas",
                    f"{r['id']} {r['gas']} is already in {Path(elsewhere[k]['file']).name}",
                    "give a new id (e.g. another edition segment) or edit that file",
                )
            )
        elif k in inside:
            problems.append(
                Problem(
                    str(template),
                    ln,
                    "pcflab_id",
                    "unique-id-gas",
                    f"{r['id']} {r['gas']} is already in {into.name}",
                    "pass replace=True (pcflab factors import --replace) to replace it",
                )
            )
    return problems


def _write_checked(into, kept, mapped, others):
    """Write the kept and the new rows to ``into`` atomically, after validating the result."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows({c: r.get(c, "") for c in COLUMNS} for r in kept)
    w.writerows(r for _, r in mapped)
    into.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{into.name}.", suffix=".tmp", dir=into.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(out.getvalue())
        _, final_problems = read_factor_rows([*others, Path(tmp)])
        if final_problems:  # pragma: no cover - guarded by the checks above
            _raise_problems(final_problems)
        os.replace(tmp, into)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
