"""The factor table schema: reading and validating the CSV sources row by row.

Every problem of every row is collected (file, line, column, rule broken, how to fix),
so that ``pcflab factors validate`` can report them all at once. The columns are
documented in ``datasets/factors/README.md``.

Uncertainty of a ``lognormal`` row, in order of precedence:

1. ``range_low`` and ``range_high``: the 95 % range the source publishes (2.5 % and
   97.5 % points, in the row's ``unit`` per ``per``). The GSD is the lognormal's that keeps
   ``value`` as median and spans the range (``pcflab.methods.gsd_from_range``); no pedigree
   penalty is added. ``gsd`` must then be empty.
2. ``gsd``: a geometric standard deviation given by the source or the compiler.
3. ``pedigree`` with ``basic_uncertainty``: the ecoinvent pedigree matrix, with only the
   penalties that apply to the row's ``factor_kind`` (``constant``, ``fuel-carbon``,
   ``technology`` (the default when empty), ``grid``; ``pcflab.methods.PEDIGREE_APPLIES``).

The pedigree scores also give the PEF data-quality scores where ``dqr`` is empty, whatever
sets the GSD.
"""

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry

from pcflab.core import parse_unit, ureg
from pcflab.methods import (
    FACTOR_KINDS,
    GASES,
    GWP_SETS,
    dqr_from_pedigree,
    gsd_from_pedigree,
    gsd_from_range,
    parse_dqr,
    parse_pedigree,
)

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
    "factor_kind",
    "range_low",
    "range_high",
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
    """Return the next wider region: ``CN-SD`` -> ``CN`` -> ``GLO``; ``GLO`` -> None."""
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
    check = _RowCheck(path, line, row)
    check.required()
    check.identity()
    value = check.value()
    to_kg = check.unit()
    check.per()
    check.region()
    year = check.year()
    check.gwp_set()
    kind = check.factor_kind()
    gsd, pedigree, basic = check.uncertainty(kind, value)
    dqr, dqr_derived = check.dqr(pedigree)
    check.labels()
    if check.problems:
        return None, check.problems
    record = dict(check.get)
    record.update(
        value=value,
        value_kg=value * to_kg,
        year=year,
        gsd=gsd,
        pedigree=pedigree,
        basic_uncertainty=basic,
        dqr=dqr,
        dqr_derived=dqr_derived,
        range_low=check.range_low,
        range_high=check.range_high,
        file=str(path),
        line=line,
    )
    return record, check.problems


class _RowCheck:
    """The checks of one factor row, column by column; ``problems`` collects what fails.

    ``get`` holds the row's stripped text by column. The checks run in a fixed order
    (``_row_problems``), so the problems of a row are always listed in that order.
    """

    def __init__(self, path, line, row):
        self.path = path
        self.line = line
        self.get = {c: (row.get(c) or "").strip() for c in COLUMNS}
        self.problems = []
        self.range_low = self.range_high = math.nan

    def bad(self, column, rule, message, hint):
        """Record one problem of the row."""
        self.problems.append(Problem(str(self.path), self.line, column, rule, message, hint))

    def required(self):
        """Check that every required column is filled."""
        for col in REQUIRED:
            if not self.get[col]:
                self.bad(col, "required", f"{col} is empty", f"every factor row needs a {col}")

    def identity(self):
        """Check that the id is region/family/item/edition and the gas is known."""
        fid, gas = self.get["id"], self.get["gas"]
        if fid and not _ID.match(fid):
            self.bad(
                "id",
                "id-format",
                f"factor id {fid!r} is not region/family/item/edition",
                "write four lowercase segments separated by '/', e.g. cn-sd/electricity/grid-co2/2023",
            )
        if gas and gas not in GASES:
            self.bad("gas", "gas-known", f"unknown gas {gas!r}", f"use one of {', '.join(GASES)}")

    def value(self):
        """Read the value, a finite positive number (NaN when missing or not a number)."""
        text = self.get["value"]
        if not text:
            return math.nan
        try:
            value = float(text)
        except ValueError:
            self.bad(
                "value",
                "number",
                f"value {text!r} is not a number",
                "write a plain decimal number with '.' as decimal point, e.g. 0.6191",
            )
            return math.nan
        if not math.isfinite(value) or value <= 0:
            self.bad(
                "value",
                "positive-finite",
                f"value {text} must be finite and positive",
                "an emission factor is a positive amount of gas per unit of activity",
            )
        return value

    def unit(self):
        """Read the gas unit's size in kg (NaN when missing or not a mass)."""
        text = self.get["unit"]
        if not text:
            return math.nan
        try:
            unit = parse_unit(text)
        except ValueError as exc:
            self.bad("unit", "unit-known", str(exc), "use kg, t or g")
            return math.nan
        if unit.dimensionality != ureg.kilogram.dimensionality:
            self.bad(
                "unit",
                "unit-mass",
                f"unit {text!r} is not a mass",
                "'unit' is the mass of gas (kg, t or g); the activity unit goes in 'per'",
            )
            return math.nan
        return ureg.Quantity(1.0, unit).to(ureg.kilogram).magnitude

    def per(self):
        """Check that pint understands the activity unit."""
        if self.get["per"]:
            try:
                parse_unit(self.get["per"])
            except ValueError as exc:
                self.bad("per", "unit-known", str(exc), "use a unit pint understands: kWh, t, TJ, t*km, m**3, item")

    def region(self):
        """Check that the region is GLO or an ISO 3166 code."""
        if self.get["region"] and not valid_region(self.get["region"]):
            self.bad(
                "region",
                "region-iso",
                f"unknown region code {self.get['region']!r}",
                "use GLO, an ISO 3166-1 country code (CN) or an ISO 3166-2 subdivision (CN-SD)",
            )

    def year(self):
        """Read the reference year, a plausible integer (0 when missing or not an integer)."""
        text = self.get["year"]
        if not text:
            return 0
        try:
            year = int(text)
        except ValueError:
            self.bad("year", "number", f"year {text!r} is not an integer", "write e.g. 2023")
            return 0
        if not 1900 <= year <= 2100:
            self.bad("year", "year-range", f"year {year} is implausible", "give the reference year of the data")
        return year

    def gwp_set(self):
        """Check that a co2e factor names its GWP set and no other gas has one."""
        gas, gwp_set = self.get["gas"], self.get["gwp_set"]
        if gas == "co2e" and gwp_set not in (*GWP_SETS, "unstated"):
            self.bad(
                "gwp_set",
                "gwp-named",
                "a factor given as co2e must name its GWP set",
                f"write one of {', '.join(GWP_SETS)} or 'unstated'",
            )
        if gas and gas != "co2e" and gwp_set:
            self.bad("gwp_set", "gwp-only-co2e", "gwp_set is only for factors given as co2e", "leave gwp_set empty")

    def factor_kind(self):
        """Read the kind of factor (which pedigree penalties apply); ``technology`` when empty."""
        kind = self.get["factor_kind"] or "technology"
        if kind not in FACTOR_KINDS:
            self.bad(
                "factor_kind",
                "factor-kind-known",
                f"factor kind {kind!r} is unknown",
                f"use one of {', '.join(FACTOR_KINDS)} (or leave it empty for technology)",
            )
            return "technology"
        return kind

    def uncertainty(self, factor_kind="technology", value=math.nan):
        """Read the row's uncertainty: (gsd, pedigree scores, basic uncertainty)."""
        kind = self.get["uncertainty"]
        given_range = self._range(value)
        if given_range and kind != "lognormal":
            self.bad(
                "uncertainty",
                "range-lognormal",
                f"a published 95 % range needs uncertainty 'lognormal', not {kind!r}",
                "write uncertainty 'lognormal', or leave range_low and range_high empty",
            )
        if kind == "none":
            return 1.0, (), math.nan
        if kind == "lognormal":
            return self._lognormal(factor_kind, given_range)
        if kind:
            self.bad(
                "uncertainty",
                "uncertainty-kind",
                f"uncertainty {kind!r} is not supported",
                "write 'lognormal' (with gsd or pedigree) or 'none'",
            )
        return math.nan, (), math.nan

    def _range(self, value):
        """Read the published 95 % range into ``range_low``/``range_high``; whether one is given and valid."""
        low_text, high_text = self.get["range_low"], self.get["range_high"]
        if not low_text and not high_text:
            return False
        if not (low_text and high_text):
            missing = "range_high" if low_text else "range_low"
            self.bad(
                missing,
                "range-both",
                "a published 95 % range needs both range_low and range_high",
                "give both points of the source's 95 % range, or neither",
            )
            return False
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            col = "range_low" if not _is_number(low_text) else "range_high"
            self.bad(col, "number", f"{col} {self.get[col]!r} is not a number", "write a plain decimal number")
            return False
        if not (0.0 < low < high and math.isfinite(high)) or (math.isfinite(value) and not low < value < high):
            self.bad(
                "range_low",
                "range-contains-value",
                f"the 95 % range {low_text}-{high_text} must be positive, increasing and contain the value {value:g}",
                "give the source's 2.5 % and 97.5 % points in the row's unit, low first",
            )
            return False
        self.range_low, self.range_high = low, high
        return True

    def _lognormal(self, factor_kind="technology", given_range=False):
        """Read a lognormal's GSD: from a published range, given, or from pedigree scores and a basic uncertainty."""
        get = self.get
        gsd, pedigree, basic = math.nan, (), math.nan
        if given_range and get["gsd"]:
            self.bad(
                "gsd",
                "range-or-gsd",
                "both a gsd and a published 95 % range are given",
                "leave gsd empty: the range sets the GSD (or remove the range)",
            )
        elif given_range:
            try:
                gsd = gsd_from_range(float(get["value"]), self.range_low, self.range_high)
            except ValueError:  # the value itself is wrong: reported by ``value``
                pass
        if get["gsd"]:
            gsd = self._gsd()
        if get["pedigree"]:
            try:
                pedigree = parse_pedigree(get["pedigree"])
            except ValueError as exc:
                self.bad("pedigree", "pedigree-scores", str(exc), "each score is a whole number from 1 to 5")
            try:
                basic = float(get["basic_uncertainty"]) if get["basic_uncertainty"] else math.nan
            except ValueError:
                self.bad(
                    "basic_uncertainty", "number", f"{get['basic_uncertainty']!r} is not a number", "write e.g. 1.05"
                )
            if not basic >= 1.0:
                self.bad(
                    "basic_uncertainty",
                    "basic-at-least-1",
                    "pedigree scores need a basic uncertainty factor >= 1",
                    "give the ecoinvent basic uncertainty U (1.05 energy/CO2, 1.5 CH4/N2O, 2.0 transport)",
                )
            elif pedigree and not get["gsd"] and not given_range:
                gsd = gsd_from_pedigree(pedigree, basic, factor_kind)
        if not get["gsd"] and not get["pedigree"] and not given_range:
            self.bad(
                "gsd",
                "uncertainty-given",
                "neither gsd nor pedigree is given",
                "give the source's 95 % range (range_low, range_high), the geometric SD, "
                "or pedigree scores with a basic_uncertainty",
            )
        return gsd, pedigree, basic

    def _gsd(self):
        """Read the given geometric SD, at least 1 (NaN when not a number)."""
        text = self.get["gsd"]
        try:
            gsd = float(text)
        except ValueError:
            self.bad("gsd", "number", f"gsd {text!r} is not a number", "write e.g. 1.1")
            return math.nan
        if not (gsd >= 1.0 and math.isfinite(gsd)):
            self.bad(
                "gsd",
                "gsd-at-least-1",
                f"geometric SD {text} is below 1",
                "a geometric standard deviation is at least 1 (1 means no uncertainty)",
            )
        return gsd

    def dqr(self, pedigree):
        """Read the PEF scores: (scores, whether they were derived from the pedigree scores)."""
        if self.get["dqr"]:
            try:
                return parse_dqr(self.get["dqr"]), False
            except ValueError as exc:
                self.bad("dqr", "dqr-scores", str(exc), "each PEF score is a whole number from 1 to 5")
                return (), False
        if pedigree:
            return dqr_from_pedigree(pedigree), True
        return (), False

    def labels(self):
        """Check the source tag, traceability class and, for calibrated data, the certificate."""
        get = self.get
        if get["tag"] and get["tag"] not in TAGS:
            self.bad("tag", "tag-known", f"tag {get['tag']!r} is unknown", f"use one of {', '.join(TAGS)}")
        if get["traceability"] and get["traceability"] not in TRACEABILITY:
            self.bad(
                "traceability",
                "traceability-known",
                f"traceability {get['traceability']!r} is unknown",
                f"use one of {', '.join(TRACEABILITY)}",
            )
        if get["traceability"] == "measured-calibrated" and not get["certificate"]:
            self.bad(
                "certificate",
                "certificate-given",
                "measured-calibrated data need a calibration certificate",
                "give the certificate reference, or classify the data as 'measured'",
            )


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


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
    table = _FactorTable()
    for path in paths:
        path = Path(path)
        reader = _open_factor_csv(path, table.problems)
        if reader is None:
            continue
        for row in reader:
            table.add_row(path, reader.line_num, row)
    return table.records, table.problems


#: What ``csv.DictReader`` puts in the fields a short row lacks (a row has fewer fields than the header).
SHORT_ROW = object()


def field_count_problem(path, line, row):
    """Return a ``Problem`` if a ``csv.DictReader`` row (``restval=SHORT_ROW``) has too many or too few fields.

    A row delimited by full-width commas (``，``) reads as one field: the hint says so.
    """
    fields = [v for k, v in row.items() if k is not None and v is not SHORT_ROW]
    extra = row.get(None) or []
    if SHORT_ROW not in row.values() and not extra:
        return None
    n, expected = len(fields) + len(extra), len([k for k in row if k is not None])
    text = "".join(v for v in fields + list(extra) if isinstance(v, str))
    if "\uff0c" in text:
        hint = "the row uses \uff0c (full-width comma) as a delimiter; use ,"
    elif extra:
        hint = "quote fields that contain commas"
    else:
        hint = "give every column of the header a field (an empty one is ',,')"
    more = "more" if extra else "fewer"
    return Problem(
        str(path), line, "-", "columns", f"the row has {n} fields, {more} than the header's {expected}", hint
    )


def _open_factor_csv(path, problems):
    """Open a factor file as a ``csv.DictReader`` if its header is right, else None (problem recorded)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 0, "-", "readable", f"cannot read the file ({exc})", "save it as UTF-8 CSV"))
        return None
    reader = csv.DictReader(text.splitlines(), restval=SHORT_ROW)
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
        problems.append(Problem(str(path), 1, "header", "columns", what, "the header must be: " + ",".join(COLUMNS)))
        return None
    return reader


class _FactorTable:
    """The rows read so far: valid ``records``, every problem, and what later rows are checked against.

    ``first_seen`` holds the first file and line of each (id, gas), ``per_factor`` the first
    row of each factor.
    """

    def __init__(self):
        self.records = []
        self.problems = []
        self.first_seen = {}
        self.per_factor = {}

    def add_row(self, path, line, row):
        """Validate one CSV row and keep it if it is valid, unique and consistent."""
        if not any(v.strip() for v in row.values() if isinstance(v, str)):
            return
        problem = field_count_problem(path, line, row)
        if problem is not None:
            self.problems.append(problem)
            return
        rec, probs = _row_problems(path, line, row)
        self.problems.extend(probs)
        if rec is None or not self._unique(path, line, rec):
            return
        if self._consistent(path, line, rec):
            self.records.append(rec)

    def _unique(self, path, line, rec):
        """Check that the row's (id, gas) is new; a duplicate is a problem."""
        key = (rec["id"], rec["gas"])
        if key in self.first_seen:
            f, ln = self.first_seen[key]
            self.problems.append(
                Problem(
                    str(path),
                    line,
                    "id",
                    "unique-id-gas",
                    f"duplicate factor {rec['id']} gas {rec['gas']}",
                    f"the same id and gas are already in {f}:{ln}",
                )
            )
            return False
        self.first_seen[key] = (str(path), line)
        return True

    def _consistent(self, path, line, rec):
        """Check that the row shares its factor's activity unit, region and year (first difference reported)."""
        ref = self.per_factor.setdefault(rec["id"], rec)
        for col in _PER_FACTOR:
            if rec[col] != ref[col]:
                self.problems.append(
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
                return False
        return True
