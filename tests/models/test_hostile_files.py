"""Hostile and sloppy model and factor files: a clear error naming file and line, fast.

Each case used to end in a hang, a traceback or a silently wrong number (issue 15, points
13-15): a YAML alias bomb, explicit Python tags, binary or non-UTF-8 files, a folder, a
file too big to be a model, and the unit ``ton`` that pint reads as the US short ton.
"""

import time

import pytest

import pcflab
from pcflab.core import AmbiguousUnitError, FactorTableError, ModelError, parse_unit, ureg
from pcflab.models import _product_system
from tests.conftest import SMALL_MODEL, factor_row

BOMB = """\
pcflab_model: 1
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize("ruamel_only", [False, True], ids=["libyaml", "ruamel"])
def test_alias_bomb_is_refused_within_a_second(tmp_path, ruamel_only):
    text = ("%YAML 1.2\n---\n" if ruamel_only else "") + BOMB  # a directive sends the file to ruamel
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ModelError, match=r"aliases \(\*name\) expand its [\d,]+ YAML nodes to [\d,]+") as err:
        pcflab.load_model(path)
    assert time.perf_counter() - start < 1.0
    assert err.value.file == str(path)
    assert "at most 10x" in err.value.hint


def test_modest_alias_use_still_reads(model_file):
    ok = model_file(
        SMALL_MODEL.replace(
            "    reference_product: {name: widget, amount: 1, unit: t}",
            "    reference_product: &widget {name: widget, amount: 1, unit: t}",
        )
    )
    assert pcflab.load_model(ok).processes["assembly"].reference_product.unit == "t"


@pytest.mark.parametrize(
    ("edit", "line", "field"),
    [
        (lambda t: "!!python/object:collections.OrderedDict\n" + t, 1, None),
        (lambda t: t.replace("amount: power, unit", "amount: !!python/object:os.system power, unit"), 20, "amount"),
        (lambda t: t.replace("value: 100", "value: !custom 100"), 11, "value"),
    ],
    ids=["top-level", "amount", "custom-tag"],
)
def test_explicit_tags_are_refused_with_their_line(model_file, edit, line, field):
    path = model_file(edit(SMALL_MODEL.lstrip("\n")))
    with pytest.raises(ModelError, match="YAML tag .* is not allowed in a model file") as err:
        pcflab.load_model(path)
    assert err.value.line == line
    if field:
        assert err.value.field.endswith(field)


def test_binary_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "model.yaml"
    path.write_bytes(b"pcflab_model: 1\nid: x\n\x00\x01\x02binary")
    with pytest.raises(ModelError, match=r"not a text file in UTF-8: byte 0x00 at offset 22") as err:
        pcflab.load_model(path)
    assert err.value.line == 3


def test_gbk_file_names_the_first_bad_byte(tmp_path):
    path = tmp_path / "model.yaml"
    path.write_bytes(SMALL_MODEL.lstrip("\n").replace("name: Widget", "name: 钢").encode("gbk"))
    with pytest.raises(ModelError, match=r"byte 0xb8 at offset \d+ \(invalid start byte\)") as err:
        pcflab.load_model(path)
    assert err.value.line == 3
    assert "UTF-8 (not GBK)" in err.value.hint


def test_a_folder_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="is a folder, not a model file"):
        pcflab.load_model(tmp_path)


def test_a_file_too_big_is_refused_before_it_is_read(model_file, monkeypatch):
    path = model_file(SMALL_MODEL)
    monkeypatch.setattr(_product_system, "MAX_MODEL_BYTES", path.stat().st_size - 1)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read the file"))
    with pytest.raises(ModelError, match="a model file may be at most 0 MiB"):
        pcflab.load_model(path)


@pytest.mark.parametrize("unit", ["ton", "tons", "kg/ton", "kton", "gal", "barrel", "bbl", "pint", "cwt"])
def test_ambiguous_units_are_refused_everywhere(unit):
    with pytest.raises(ValueError, match="is ambiguous: write "):
        parse_unit(unit)
    with pytest.raises(AmbiguousUnitError):
        ureg.Quantity(1.0, unit)


@pytest.mark.parametrize(
    ("unit", "kg_or_m3"),
    [("t", 1000.0), ("tonne", 1000.0), ("short_ton", 907.18474), ("long_ton", 1016.0469088), ("Mt", 1e9)],
)
def test_unambiguous_masses_keep_their_values(unit, kg_or_m3):
    # NIST SP 811 (2008), Appendix B.8: short ton = 907.184 74 kg, long ton = 1 016.047 kg
    assert ureg.Quantity(1.0, unit).to("kg").magnitude == pytest.approx(kg_or_m3, rel=1e-12)


def test_volumes_spelt_out_keep_their_values():
    # NIST SP 811 (2008), Appendix B.8: US gallon = 3.785 412 L; UK gallon 4.546 09 L (exact)
    assert ureg.Quantity(1.0, "US_liquid_gallon").to("L").magnitude == pytest.approx(3.785411784)
    assert ureg.Quantity(1.0, "imperial_gallon").to("L").magnitude == pytest.approx(4.54609)


def test_ton_in_a_model_is_an_error_naming_the_line(model_file, factor_file):
    path = model_file(SMALL_MODEL.replace("unit: kWh/t\n", "unit: kWh/ton\n"))
    factors = pcflab.load_factors(factor_file(factor_row()).parent, use_build=False)
    with pytest.raises(pcflab.PcfError, match="'ton' is ambiguous: write t ") as err:
        pcflab.footprint(path, factors=factors)
    assert (err.value.line, err.value.field) == (12, "parameters.power.unit")


def test_ton_in_a_factor_table_is_an_error_naming_the_row(factor_file):
    path = factor_file(factor_row(), factor_row(fid="test/steel/hrc/2023", per="ton", unit="kg"))
    with pytest.raises(FactorTableError, match="'ton' is ambiguous") as err:
        pcflab.load_factors(path.parent, use_build=False)
    assert "line 3" in str(err.value) or err.value.line == 3
