"""Product-system model files: YAML in, a validated ``ProductSystem`` out.

The format (``pcflab_model: 1``) is documented in ``datasets/models/README.md`` and by
the pydantic classes below. Every error names the file, the line and the key.
"""

import hashlib
import importlib.resources
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from pcflab.core import ModelError
from pcflab.factors import TRACEABILITY
from pcflab.methods import GASES, STAGES, normalise_cn

from ._yaml import _dotted, _gc_paused, _LineMap, read_yaml_mapping

__all__ = ["NOT_MODEL_FILES", "ProductSystem", "load_model", "model_path", "model_schema", "shipped_models"]

Gas = Literal[GASES]  # type: ignore[valid-type]
Stage = Literal[STAGES]  # type: ignore[valid-type]
Amount = float | str
Traceability = Literal[TRACEABILITY]  # type: ignore[valid-type]


def _checked_cn(code):
    """Return the CN code as written, once ``normalise_cn`` has checked its digits."""
    normalise_cn(code)
    return code


#: A Combined Nomenclature code of 4, 6 or 8 digits, spaces allowed ("7208 39 00").
CnCode = Annotated[
    str,
    pydantic.AfterValidator(_checked_cn),
    Field(json_schema_extra={"pattern": r"^\d{4}( ?\d{2}){0,2}$"}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Uncertainty(_Strict):
    """Uncertainty of a parameter, in the parameter's unit.

    ``lognormal`` needs ``gsd`` (the parameter's ``value`` is the median), or ``pedigree``
    scores with a ``basic_uncertainty`` factor, or ``sd`` (then ``value`` is the arithmetic
    mean and ``sd`` the arithmetic standard deviation); ``normal`` needs ``sd``;
    ``truncnormal`` needs ``sd``, ``min`` and ``max`` (``value`` is the mean of the parent
    normal); ``uniform`` needs ``min`` and ``max``; ``triangular`` and ``pert`` need ``min``
    and ``max`` (``value`` is the mode); ``beta`` needs ``alpha``, ``beta``, ``min`` and
    ``max``; ``discrete`` needs ``values`` and their ``probabilities`` (summing to one).
    """

    distribution: Literal["lognormal", "normal", "truncnormal", "uniform", "triangular", "pert", "beta", "discrete"]
    gsd: float | None = Field(None, ge=1.0)
    pedigree: str | None = None
    basic_uncertainty: float | None = Field(None, ge=1.0)
    sd: float | None = Field(None, gt=0.0)
    min: float | None = None
    max: float | None = None
    alpha: float | None = Field(None, gt=0.0)
    beta: float | None = Field(None, gt=0.0)
    values: list[float] | None = None
    probabilities: list[float] | None = None
    source: str | None = None


class Parameter(_Strict):
    """A named quantity of the model, with unit, uncertainty and source.

    Either ``value`` (with an optional ``uncertainty``) or ``formula`` (a formula of other
    parameters, recomputed in every sample; no uncertainty of its own).

    A value may declare its kind of data, which the data quality of every result reports
    (``pcflab._data_quality``): ``data_type`` is ``primary`` (site data: measured at, or
    read from the records of, the plant or product studied) or ``secondary`` (literature,
    databases, defaults); undeclared counts as secondary. ``traceability`` uses the factor
    table's classes (``measured-calibrated``, ``measured``, ``calculated``, ``literature``,
    ``default``); ``measured-calibrated`` (measured with calibrated instruments, traceable to
    SI) needs the ``certificate``: the calibration certificate or metrological record that
    makes it so. A formula parameter takes both from its inputs and declares neither.

    ``reported: true`` marks a parameter recorded for the report (grading, disclosure) that
    no formula or exchange uses; any other unused parameter is a ``ModelWarning``.
    """

    value: float | None = None
    formula: str | None = None
    unit: str
    uncertainty: Uncertainty | None = None
    description: str | None = None
    source: str | None = None
    data_type: Literal["primary", "secondary"] | None = None
    traceability: Traceability | None = None
    certificate: str | None = Field(None, validate_default=True)
    reported: bool = False

    @pydantic.field_validator("certificate")
    @classmethod
    def _certificate_for_calibrated(cls, value, info):
        if info.data.get("traceability") == "measured-calibrated" and not (value or "").strip():
            raise PydanticCustomError("certificate_missing", "measured-calibrated data need a calibration certificate")
        return value

    @pydantic.model_validator(mode="after")
    def _value_or_formula(self):
        if (self.value is None) == (self.formula is None):
            raise ValueError("give either 'value' or 'formula'")
        if self.formula is not None and self.uncertainty is not None:
            raise ValueError(
                "a parameter given by a formula takes its uncertainty from its inputs: remove 'uncertainty'"
            )
        declared = [k for k in ("data_type", "traceability", "certificate") if getattr(self, k) is not None]
        if self.formula is not None and declared:
            raise ValueError(
                "a parameter given by a formula takes its data type and traceability from its inputs: "
                f"remove {', '.join(repr(k) for k in declared)}"
            )
        return self


class ReferenceProduct(_Strict):
    """What a process makes: the unit its inputs and emissions are counted per.

    ``properties`` give, for the stated amount, the quantities that co-product allocation
    uses: ``mass`` (e.g. ``"1 t"``), ``economic`` (``"4200 CNY"``), ``energy`` (``"28 GJ"``).
    """

    name: str
    amount: float = Field(1.0, gt=0.0)
    unit: str
    properties: dict[Literal["mass", "economic", "energy"], str] = {}


class TechnosphereInput(_Strict):
    """An input made by another process of the model."""

    process: str
    amount: Amount
    unit: str
    note: str | None = None


class FactorInput(_Strict):
    """An activity whose emissions come from the factor table.

    Purchased electricity, fuel burned, transport, a Tier 1 process factor.
    """

    factor: str
    amount: Amount
    unit: str
    note: str | None = None


class Emission(_Strict):
    """A direct emission of one gas, measured or calculated for this process."""

    gas: Gas
    amount: Amount
    unit: str
    note: str | None = None


class Substitute(_Strict):
    """What a co-product replaces under system expansion.

    A factor or a process of the model, in an amount per the co-product's stated amount.
    """

    factor: str | None = None
    process: str | None = None
    amount: Amount
    unit: str
    note: str | None = None

    @pydantic.model_validator(mode="after")
    def _one_target(self):
        if (self.factor is None) == (self.process is None):
            raise ValueError("a substitute names either a 'factor' or a 'process'")
        return self


class CoProduct(_Strict):
    """A further product of a process (made alongside its reference product amount)."""

    name: str
    amount: float = Field(gt=0.0)
    unit: str
    properties: dict[Literal["mass", "economic", "energy"], str] = {}
    substitutes: list[Substitute] = []
    note: str | None = None


class Process(_Strict):
    """A unit process of the product system.

    ``allocation`` overrides the method profile's choice for this process's co-products;
    ``allocation_shares`` fixes the shares explicitly (by product name, summing to one) and
    then overrides both;
    ``report_as`` marks emissions that ISO 14067 reports separately (direct land-use change,
    aircraft); ``within_cbam`` is False for processes outside the EU CBAM boundary (e.g.
    extraction and supply of fuels); ``cn_code`` is the CN code of the reference product
    when it is a good of its own (a precursor such as pig iron, or an input such as
    alumina or coke): under the ``cbam`` profile the process then counts only if its good
    is a relevant precursor of the good it feeds (``pcflab.methods.CBAM_CATEGORIES``).
    """

    name: str
    stage: Stage
    reference_product: ReferenceProduct
    inputs: list[TechnosphereInput] = []
    factors: list[FactorInput] = []
    emissions: list[Emission] = []
    co_products: list[CoProduct] = []
    allocation: Literal["mass", "economic", "energy", "system_expansion"] | None = None
    allocation_shares: dict[str, float] | None = None
    report_as: Literal["dluc", "aircraft"] | None = None
    within_cbam: bool = True
    cn_code: CnCode | None = None
    description: str | None = None
    source: str | None = None


class Circularity(_Strict):
    """Recycled content and end of life of a material in the product.

    They are accounted per the method profile: cut-off, avoided burden or the Circular
    Footprint Formula.

    The burdens are factors (ids or keys) per unit of material; ``mass`` is the material
    per reference product of ``process``. R1, R2, R3, A, B and the quality ratios may be
    numbers or parameter names.
    """

    material: str
    process: str
    mass: Amount
    unit: str
    R1: Amount = 0.0
    R2: Amount = 0.0
    R3: Amount = 0.0
    A: Amount = 0.5
    Qsin_Qp: Amount = 1.0
    Qsout_Qp: Amount = 1.0
    virgin: str | None = None
    recycled: str | None = None
    recycling_eol: str | None = None
    virgin_substituted: str | None = None
    disposal: str | None = None
    source: str | None = None


class Correlation(_Strict):
    """Rank (Spearman) correlation between two uncertain parameters of the model."""

    parameters: tuple[str, str]
    spearman: float = Field(ge=-1.0, le=1.0)
    source: str | None = None


class ElectricityContract(_Strict):
    """Green electricity claimed for the product system (market-based accounting).

    ``share`` of the grid electricity of every process is covered by the instrument and
    takes the footprint factor ``factor`` (a generation-type factor, e.g.
    ``electricity/footprint-wind``); the evidence (certificate serials, contract) is named.
    """

    instrument: Literal["gec", "green_power_trading", "direct_line"]
    share: Amount
    factor: str
    evidence: str


class FunctionalUnit(_Strict):
    """The functional unit: an amount of the reference process's product."""

    amount: float = Field(gt=0.0)
    unit: str
    description: str


class ProductSystem(_Strict):
    """A validated product-system model (the content of one model file).

    Attributes
    ----------
    path : str
        File it was read from (not part of the file).
    sha256 : str
        SHA-256 of the file's bytes (not part of the file).

    ``cn_code`` is the Combined Nomenclature code of the product (4 to 8 digits); the
    ``cbam`` profile needs it, and applies only to the goods of Annex I of Regulation
    (EU) 2023/956.
    """

    pcflab_model: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
    name: str
    name_zh: str | None = None
    sector: str
    region: str
    year: int
    cn_code: CnCode | None = None
    description: str | None = None
    functional_unit: FunctionalUnit
    reference_process: str
    references: dict[str, str] = {}
    parameters: dict[str, Parameter] = {}
    processes: dict[str, Process]
    circularity: list[Circularity] = []
    correlations: list[Correlation] = []
    electricity_contracts: list[ElectricityContract] = []
    path: str = Field("", exclude=True)
    sha256: str = Field("", exclude=True)
    _lines: Mapping = pydantic.PrivateAttr(default_factory=lambda: _LineMap(lines={}))

    def line_of(self, *keys):
        """1-based line of a key path in the model file (best effort, else None)."""
        keys = tuple(keys)
        while keys:
            if keys in self._lines:
                return self._lines[keys]
            keys = keys[:-1]
        return None

    def error(self, message, keys, hint, cls=ModelError):
        """Build an error located at ``keys`` in this model's file."""
        return cls(message, file=self.path, line=self.line_of(*keys), field=_dotted(keys), hint=hint)


_MESSAGES = {
    "missing": ("is required", "add this key"),
    "extra_forbidden": ("is not a key of the model format", "check the spelling; see datasets/models/README.md"),
    "float_parsing": ("expected a number", "write a plain number; put units in the 'unit' key"),
    "float_type": ("expected a number", "write a plain number; put units in the 'unit' key"),
    "int_parsing": ("expected an integer", "write a whole number such as 2023"),
    "string_type": ("expected a text", "quote the value"),
    "literal_error": ("has a value that is not allowed", None),
    "dict_type": ("expected a mapping of keys to values", "indent the entries under this key"),
    "list_type": ("expected a list", "write the entries as '- ...' items"),
    "greater_than": ("is too small", None),
    "greater_than_equal": ("is too small", None),
    "string_pattern_mismatch": ("is not a valid id", "use lowercase words separated by '/'"),
    "value_error": (None, None),
    "certificate_missing": (
        "measured-calibrated data need a calibration certificate",
        "give certificate: <the calibration certificate or metrological record>, or declare traceability: measured",
    ),
}


def _validation_error(exc, path, lines):
    """One ModelError for every problem pydantic found (``err.problems``), led by the first."""
    problems = [_one_error(e, path, lines) for e in exc.errors()]
    problems.sort(key=lambda p: p.line or 0)
    return combine_errors(problems)


def combine_errors(problems):
    """Combine the problems found in a model into the one error to raise.

    Parameters
    ----------
    problems : list of PcfError
        The problems, in the order they were found (at least one).

    Returns
    -------
    PcfError
        The first problem (of its own type, file, line, field and hint), its message
        followed by the count and the first five others; all of them in ``.problems``.
    """
    first = problems[0]
    if len(problems) > 1:
        others = "; ".join(f"line {p.line}: {p.field}: {p.message}" for p in problems[1:6])
        more = f" ... and {len(problems) - 6} more" if len(problems) > 6 else ""
        first = type(first)(
            f"{first.message} (and {len(problems) - 1} more problems: {others}{more})",
            file=first.file,
            line=first.line,
            field=first.field,
            hint=first.hint,
        )
    first.problems = problems
    return first


def _one_error(err, path, lines):
    loc = tuple(k for k in err["loc"] if not (isinstance(k, str) and k.startswith(("float", "str", "function"))))
    message, hint = _MESSAGES.get(err["type"], (err["msg"], None))
    if err["type"] == "value_error":
        message = err["msg"].removeprefix("Value error, ")
        hint = message
    if err["type"] == "literal_error":
        hint = err["msg"].replace("Input should be", "use")
    if err["type"] in ("greater_than", "greater_than_equal"):
        hint = err["msg"].replace("Input should be", "the value must be")
    got = err.get("input")
    if err["type"] not in ("missing", "certificate_missing") and not isinstance(got, (dict, list)):
        message += f" (got {got!r})"
    keys = loc
    line = None
    while keys:
        if keys in lines:
            line = lines[keys]
            break
        keys = keys[:-1]
    return ModelError(message, file=path, line=line, field=_dotted(loc), hint=hint)


#: YAML files of the model folders that are not models (per-sector validation tables)
NOT_MODEL_FILES = frozenset({"validation.yaml"})


def shipped_models():
    """List the shipped models by name.

    Returns
    -------
    list of str
        ``sector/name`` of every model file under ``datasets/models`` (``validation.yaml``
        and other files of ``NOT_MODEL_FILES`` left out), sorted; each is a name that
        ``load_model`` takes.
    """
    root = Path(str(importlib.resources.files("pcflab.datasets").joinpath("models")))
    return sorted(
        str(path.relative_to(root).with_suffix("")) for path in root.rglob("*.yaml") if path.name not in NOT_MODEL_FILES
    )


def model_path(name):
    """Resolve a model given as a path or as a shipped model name.

    Parameters
    ----------
    name : str or Path
        A path to a YAML file, or the name of a shipped model such as
        ``steel/bf-bof-hot-rolled-coil`` (``datasets/models/<name>.yaml``).

    Returns
    -------
    Path
    """
    p = Path(name)
    if p.is_file():
        return p
    if p.is_dir():
        raise ModelError(
            f"{str(name)!r} is a folder, not a model file",
            file=p,
            hint="give the path of one .yaml model file in it",
        )
    shipped = Path(str(importlib.resources.files("pcflab.datasets").joinpath("models", f"{name}.yaml")))
    if shipped.is_file():
        return shipped
    raise ModelError(
        f"no model file or shipped model named {str(name)!r}",
        file=None,
        hint="give a path to a .yaml model or a shipped name such as "
        "steel/bf-bof-hot-rolled-coil (see 'pcflab models')",
    )


#: Largest model file read [bytes]: the synthetic benchmark system of 5,000 processes
#: (benchmarks/synthetic.py, about 8 uncertain inputs a process) is 7.4 MiB.
MAX_MODEL_BYTES = 64 * 2**20


def _read_model_bytes(path):
    """Read a model file's bytes, refusing a file too big to be a model before reading it."""
    size = path.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise ModelError(
            f"the file is {size / 2**20:,.0f} MiB; a model file may be at most {MAX_MODEL_BYTES // 2**20} MiB",
            file=path,
            hint="check that this is the model file you meant; split a very large system into models",
        )
    return path.read_bytes()


def _model_text(raw, path):
    """Decode a model file as UTF-8, or raise a ModelError naming the line of the first bad byte."""
    nul = raw.find(b"\x00")
    try:
        if nul >= 0:
            raise UnicodeDecodeError("utf-8", raw, nul, nul + 1, "a NUL byte")
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(
            f"not a text file in UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} ({exc.reason})",
            file=path,
            line=raw.count(b"\n", 0, exc.start) + 1,
            hint="a model file is YAML text in UTF-8; save it as UTF-8 (not GBK) and check it is not a binary file",
        ) from None


def load_model(name):
    """Load and validate a product-system model file.

    Parameters
    ----------
    name : str or Path
        Path of a YAML model file, or a shipped model name (see ``model_path``).

    Returns
    -------
    ProductSystem

    Raises
    ------
    ModelError
        Naming the file, line and key of the first problem and how to fix it.
    """
    path = model_path(name)
    raw = _read_model_bytes(path)
    data, lines = read_yaml_mapping(_model_text(raw, path), path)
    try:
        with _gc_paused():  # a big model makes 100 000 pydantic objects, in no cycle
            model = ProductSystem.model_validate({**data, "path": str(path), "sha256": hashlib.sha256(raw).hexdigest()})
    except pydantic.ValidationError as exc:
        raise _validation_error(exc, path, lines) from None
    model._lines = lines
    _check_references(model)
    return model


def _check_references(model):
    if model.reference_process not in model.processes:
        raise model.error(
            f"reference process {model.reference_process!r} is not a process of the model",
            ("reference_process",),
            f"use one of {', '.join(model.processes)}",
        )
    for pid, proc in model.processes.items():
        for i, inp in enumerate(proc.inputs):
            if inp.process not in model.processes:
                raise model.error(
                    f"input from unknown process {inp.process!r}",
                    ("processes", pid, "inputs", i, "process"),
                    f"use one of {', '.join(model.processes)}",
                )


def canonical_json(model):
    """Write the model's content as canonical JSON (for hashing and provenance).

    Parameters
    ----------
    model : ProductSystem
        A validated model.

    Returns
    -------
    str
        ``model_dump(mode="json")`` with sorted keys and non-ASCII text kept as it is.
    """
    return json.dumps(model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def model_schema():
    """JSON Schema of the model file format (``pcflab_model: 1``), from the pydantic classes."""
    schema = ProductSystem.model_json_schema()
    for internal in ("path", "sha256"):
        schema["properties"].pop(internal, None)
    schema["$id"] = "https://pcflab/schemas/model-1.json"
    schema["title"] = "pcflab product-system model (pcflab_model: 1)"
    return schema
