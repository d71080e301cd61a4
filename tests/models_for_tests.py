"""Small models for the tests, written once.

Builders return the YAML text of a model file: ``header_yaml`` (the eight lines every model starts
with), ``process_yaml`` (one process in the flow style the test models use), and the models that
several test files share: ``widget_yaml`` (one process, one lognormal parameter) and
``assembly_and_parts_yaml`` (assembly takes 0.5 t of parts; factors for electricity and gas and a
direct CH4 emission). ``edit`` applies text edits that must each match. The fixtures of
``tests/conftest.py`` write these texts to ``tmp_path``.
"""

__all__ = ["SMALL_MODEL", "assembly_and_parts_yaml", "edit", "header_yaml", "process_yaml", "widget_yaml"]

ONE_TONNE_OF_WIDGETS = (1, "t", "one tonne of widgets")


def header_yaml(
    id,
    name,
    reference_process,
    *,
    functional_unit=ONE_TONNE_OF_WIDGETS,
    region="CN-SD",
    year=2023,
    sector="test",
):
    """Return the first eight lines of a model file.

    ``functional_unit`` is ``(amount, unit, description)``.
    """
    amount, unit, description = functional_unit
    return (
        "pcflab_model: 1\n"
        f"id: {id}\n"
        f"name: {name}\n"
        f"sector: {sector}\n"
        f"region: {region}\n"
        f"year: {year}\n"
        f"functional_unit: {{amount: {amount}, unit: {unit}, description: {description}}}\n"
        f"reference_process: {reference_process}\n"
    )


def _flows(key, what, rows):
    if not rows:
        return ""
    return f"    {key}:\n" + "".join(f"      - {{{what}: {a}, amount: {b}, unit: {c}}}\n" for a, b, c in rows)


def process_yaml(pid, name, stage, product, *, lines=(), inputs=(), factors=(), emissions=()):
    """Return one process of a model's ``processes`` (indented for it).

    ``product`` is ``(name, amount, unit)`` of the reference product; ``lines`` are keys
    written after ``stage`` (``"within_cbam: false"``); ``inputs`` are ``(process, amount,
    unit)``, ``factors`` ``(factor, amount, unit)`` and ``emissions`` ``(gas, amount, unit)``,
    written in that order.
    """
    product_name, amount, unit = product
    return (
        f"  {pid}:\n"
        f"    name: {name}\n"
        f"    stage: {stage}\n"
        + "".join(f"    {line}\n" for line in lines)
        + f"    reference_product: {{name: {product_name}, amount: {amount}, unit: {unit}}}\n"
        + _flows("inputs", "process", inputs)
        + _flows("factors", "factor", factors)
        + _flows("emissions", "gas", emissions)
    )


def _assembly(**flows):
    """Assembly of 1 t of widgets with ``power`` kWh/t of grid power, and other flows."""
    grid = [("test/electricity/grid/2023", "power", "kWh/t")]
    return process_yaml("assembly", "Assembly", "production", ("widget", 1, "t"), factors=grid, **flows)


def widget_yaml(*, id="test/widget", power=100, gsd=1.2):
    """Return the one-process widget model: 1 t of widgets takes ``power`` kWh/t of grid power.

    ``power`` [kWh/t] is lognormal with geometric standard deviation ``gsd``; the factor is
    ``test/electricity/grid/2023``. The text of the defaults is ``SMALL_MODEL``, whose line
    numbers the tests of model errors check (``power`` starts line 10, the factor line 20).
    """
    return (
        "\n"
        + header_yaml(id, "Widget", "assembly")
        + "parameters:\n"
        + "  power:\n"
        + f"    value: {power}\n"
        + "    unit: kWh/t\n"
        + f"    uncertainty: {{distribution: lognormal, gsd: {gsd}}}\n"
        + "processes:\n"
        + _assembly()
    )


SMALL_MODEL = widget_yaml()


def assembly_and_parts_yaml(id, name, parameters, *, parts_power="40", heat="heat"):
    """Return the two-process widget model with the given parameters.

    Assembly (1 t of widgets) takes ``power`` kWh/t of grid power, emits 0.1 kg CH4 and takes
    0.5 t of parts; parts take ``parts_power`` kWh/t of grid power and ``heat`` GJ/t of
    natural gas. ``parameters`` is the text under ``parameters:`` (indented).
    """
    return (
        "\n"
        + header_yaml(id, name, "assembly")
        + "parameters:\n"
        + parameters
        + "processes:\n"
        + _assembly(inputs=[("parts", 0.5, "t")], emissions=[("ch4_fossil", 0.1, "kg")])
        + process_yaml(
            "parts",
            "Parts",
            "raw_material_acquisition",
            ("parts", 1, "t"),
            factors=[("test/electricity/grid/2023", parts_power, "kWh/t"), ("test/fuel/gas/2023", heat, "GJ/t")],
        )
    )


def edit(text, *edits):
    """Apply ``(old, new)`` or ``(old, new, count)`` replacements in order; each must match.

    Raises
    ------
    ValueError
        If the text has no ``old`` (a typo would otherwise leave the model unchanged).
    """
    for old, new, *count in edits:
        if old not in text:
            raise ValueError(f"the model has no {old!r} to replace")
        text = text.replace(old, new, *count)
    return text
