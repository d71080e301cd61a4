"""The factor table schema: reading and validating the CSV sources row by row.

Every problem of every row is collected (file, line, column, rule broken, how to fix),
so that ``pcflab factors validate`` can report them all at once. The columns are
documented in ``datasets/factors/README.md``.
"""

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry

from pcflab.core import parse_unit, ureg
from pcflab.methods import GASES, GWP_SETS, dqr_from_pedigree, gsd_from_pedigree, parse_dqr, parse_pedigree

__all__ = ["COLUMNS", "REQUIRED", "TAGS", "TRACEABILITY", "Problem", "read_factor_rows", "region_parent"]

COLUMNS = (
    "id",
    "gas",
    "value",
    "unit",
    "per",
    "name_en",
    "name_zh",
    "region",
    "year",
    "gwp_set",
    "uncertainty",
    "gsd",
    "pedigree",
    "basic_uncertainty",
    "dqr",
    "source",
    "publisher",
    "url",
    "tag",
    "traceability",
    "certificate",
    "notes",
)
REQUIRED = (
    "id",
    "gas",
    "value",
    "unit",
    "per",
    "name_en",
    "region",
    "year",
    "uncertainty",
    "source",
    "tag",
    "traceability",
)
TAGS = ("P", "P-via", "S")
#: Traceability classes, most traceable first (the selection policy ranks them so).
TRACEABILITY = ("measured-calibrated", "measured", "calculated", "literature", "default")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9._+-]*){3}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a factor file."""

    file: str
    line: int
    column: str
    rule: str
    message: str
    hint: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.column}: {self.message} [{self.rule}]\n  how to fix: {self.hint}"


def region_parent(code):
    """Return the next wider region: ``CN-SD`` -> ``CN`` -> ``GLO``; ``GLO`` -> None.

    Parameters
    ----------
    code : str
        ``GLO`` or an ISO 3166-1 alpha-2 / ISO 3166-2 code.

    Returns
    -------
    str or None
        The country of a subdivision, ``GLO`` for a country, None for ``GLO``.
    """
    if code == "GLO":
        return None
    return code.split("-")[0] if "-" in code else "GLO"


def valid_region(code):
    """Whether ``code`` is GLO or an ISO 3166-1 alpha-2 / ISO 3166-2 code."""
    if code == "GLO":
        return True
    if re.fullmatch(r"[A-Z]{2}", code):
        return pycountry.countries.get(alpha_2=code) is not None
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
        return pycountry.subdivisions.get(code=code) is not None
    return False


def _row_problems(path, line, row):
    """Validate one row; return (record or None, problems)."""
    problems = []

    def bad(column, rule, message, hint):
        problems.append(Problem(str(path), line, column, rule, message, hint))

    get = {c: (row.get(c) or "").strip() for c in COLUMNS}
    for col in REQUIRED:
        if not get[col]:
            bad(col, "required", f"{col} is empty", f"every factor row needs a {col}")
    fid, gas = get["id"], get["gas"]
    if fid and not _ID.match(fid):
        bad(
            "id",
            "id-format",
            f"factor id {fid!r} is not region/family/item/edition",
            "write four lowercase segments separated by '/', e.g. cn-sd/electricity/grid-co2/2023",
        )
    if gas and gas not in GASES:
        bad("gas", "gas-known", f"unknown gas {gas!r}", f"use one of {', '.join(GASES)}")
    value = math.nan
    if get["value"]:
        try:
            value = float(get["value"])
        except ValueError:
            bad(
                "value",
                "number",
                f"value {get['value']!r} is not a number",
                "write a plain decimal number with '.' as decimal point, e.g. 0.6191",
            )
        else:
            if not math.isfinite(value) or value <= 0:
                bad(
                    "value",
                    "positive-finite",
                    f"value {get['value']} must be finite and positive",
                    "an emission factor is a positive amount of gas per unit of activity",
                )
    to_kg = math.nan
    if get["unit"]:
        try:
            unit = parse_unit(get["unit"])
        except ValueError as exc:
            bad("unit", "unit-known", str(exc), "use kg, t or g")
        else:
            if unit.dimensionality != ureg.kilogram.dimensionality:
                bad(
                    "unit",
                    "unit-mass",
                    f"unit {get['unit']!r} is not a mass",
                    "'unit' is the mass of gas (kg, t or g); the activity unit goes in 'per'",
                )
            else:
                to_kg = ureg.Quantity(1.0, unit).to(ureg.kilogram).magnitude
    if get["per"]:
        try:
            parse_unit(get["per"])
        except ValueError as exc:
            bad("per", "unit-known", str(exc), "use a unit pint understands: kWh, t, TJ, t*km, m**3, item")
    if get["region"] and not valid_region(get["region"]):
        bad(
            "region",
            "region-iso",
            f"unknown region code {get['region']!r}",
            "use GLO, an ISO 3166-1 country code (CN) or an ISO 3166-2 subdivision (CN-SD)",
        )
    year = 0
    if get["year"]:
        try:
            year = int(get["year"])
        except ValueError:
            bad("year", "number", f"year {get['year']!r} is not an integer", "write e.g. 2023")
        else:
            if not 1900 <= year <= 2100:
                bad("year", "year-range", f"year {year} is implausible", "give the reference year of the data")
    gwp_set = get["gwp_set"]
    if gas == "co2e" and gwp_set not in (*GWP_SETS, "unstated"):
        bad(
            "gwp_set",
            "gwp-named",
            "a factor given as co2e must name its GWP set",
            f"write one of {', '.join(GWP_SETS)} or 'unstated'",
        )
    if gas and gas != "co2e" and gwp_set:
        bad("gwp_set", "gwp-only-co2e", "gwp_set is only for factors given as co2e", "leave gwp_set empty")
    gsd, pedigree, basic = math.nan, (), math.nan
    kind = get["uncertainty"]
    if kind == "none":
        gsd = 1.0
    elif kind == "lognormal":
        if get["gsd"]:
            try:
                gsd = float(get["gsd"])
            except ValueError:
                bad("gsd", "number", f"gsd {get['gsd']!r} is not a number", "write e.g. 1.1")
            else:
                if not (gsd >= 1.0 and math.isfinite(gsd)):
                    bad(
                        "gsd",
                        "gsd-at-least-1",
                        f"geometric SD {get['gsd']} is below 1",
                        "a geometric standard deviation is at least 1 (1 means no uncertainty)",
                    )
        if get["pedigree"]:
            try:
                pedigree = parse_pedigree(get["pedigree"])
            except ValueError as exc:
                bad("pedigree", "pedigree-scores", str(exc), "each score is a whole number from 1 to 5")
            try:
                basic = float(get["basic_uncertainty"]) if get["basic_uncertainty"] else math.nan
            except ValueError:
                bad("basic_uncertainty", "number", f"{get['basic_uncertainty']!r} is not a number", "write e.g. 1.05")
            if not basic >= 1.0:
                bad(
                    "basic_uncertainty",
                    "basic-at-least-1",
                    "pedigree scores need a basic uncertainty factor >= 1",
                    "give the ecoinvent basic uncertainty U (1.05 energy/CO2, 1.5 CH4/N2O, 2.0 transport)",
                )
            elif pedigree and not get["gsd"]:
                gsd = gsd_from_pedigree(pedigree, basic)
        if not get["gsd"] and not get["pedigree"]:
            bad(
                "gsd",
                "uncertainty-given",
                "neither gsd nor pedigree is given",
                "give the geometric SD, or pedigree scores with a basic_uncertainty",
            )
    elif kind:
        bad(
            "uncertainty",
            "uncertainty-kind",
            f"uncertainty {kind!r} is not supported",
            "write 'lognormal' (with gsd or pedigree) or 'none'",
        )
    dqr, dqr_derived = (), False
    if get["dqr"]:
        try:
            dqr = parse_dqr(get["dqr"])
        except ValueError as exc:
            bad("dqr", "dqr-scores", str(exc), "each PEF score is a whole number from 1 to 5")
    elif pedigree:
        dqr, dqr_derived = dqr_from_pedigree(pedigree), True
    if get["tag"] and get["tag"] not in TAGS:
        bad("tag", "tag-known", f"tag {get['tag']!r} is unknown", f"use one of {', '.join(TAGS)}")
    if get["traceability"] and get["traceability"] not in TRACEABILITY:
        bad(
            "traceability",
            "traceability-known",
            f"traceability {get['traceability']!r} is unknown",
            f"use one of {', '.join(TRACEABILITY)}",
        )
    if get["traceability"] == "measured-calibrated" and not get["certificate"]:
        bad(
            "certificate",
            "certificate-given",
            "measured-calibrated data need a calibration certificate",
            "give the certificate reference, or classify the data as 'measured'",
        )
    if problems:
        return None, problems
    record = dict(get)
    record.update(
        value=value,
        value_kg=value * to_kg,
        year=year,
        gsd=gsd,
        pedigree=pedigree,
        basic_uncertainty=basic,
        dqr=dqr,
        dqr_derived=dqr_derived,
        file=str(path),
        line=line,
    )
    return record, problems


_PER_FACTOR = ("per", "region", "year")


def read_factor_rows(paths):
    """Read and validate factor CSV files.

    Parameters
    ----------
    paths : sequence of Path
        CSV files with the columns of ``COLUMNS``.

    Returns
    -------
    records : list of dict
        Valid rows with typed fields (``value_kg`` is kg of gas per ``per``).
    problems : list of Problem
        Everything wrong, in file and line order.
    """
    records, problems, first_seen, per_factor = [], [], {}, {}
    for path in paths:
        path = Path(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                Problem(str(path), 0, "-", "readable", f"cannot read the file ({exc})", "save it as UTF-8 CSV")
            )
            continue
        reader = csv.DictReader(text.splitlines())
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]  # optional columns may be absent
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            what = "; ".join(
                filter(
                    None,
                    [
                        missing and f"missing columns: {', '.join(missing)}",
                        unknown and f"unknown columns: {', '.join(unknown)}",
                    ],
                )
            )
            problems.append(
                Problem(str(path), 1, "header", "columns", what, "the header must be: " + ",".join(COLUMNS))
            )
            continue
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            if None in row:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "-",
                        "columns",
                        "the row has more fields than the header",
                        "quote fields that contain commas",
                    )
                )
                continue
            rec, probs = _row_problems(path, line, row)
            problems.extend(probs)
            if rec is None:
                continue
            key = (rec["id"], rec["gas"])
            if key in first_seen:
                f, ln = first_seen[key]
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "id",
                        "unique-id-gas",
                        f"duplicate factor {rec['id']} gas {rec['gas']}",
                        f"the same id and gas are already in {f}:{ln}",
                    )
                )
                continue
            first_seen[key] = (str(path), line)
            ref = per_factor.setdefault(rec["id"], rec)
            for col in _PER_FACTOR:
                if rec[col] != ref[col]:
                    problems.append(
                        Problem(
                            str(path),
                            line,
                            col,
                            "consistent-factor",
                            f"{col} {rec[col]!r} differs from {ref[col]!r} on line {ref['line']} of the same factor",
                            "the gases of one factor share the activity "
                            "unit, region and year; give a different id if they differ",
                        )
                    )
                    break
            else:
                records.append(rec)
    return records, problems
