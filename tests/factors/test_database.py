"""The factor database: loading, the dataset layout, validation of every rule, the build."""

import shutil
import warnings

import numpy as np
import pytest

import pcflab
from pcflab.core._errors import FactorTableError
from pcflab.factors._database import factor_source_files, load_build
from pcflab.factors._schema import read_factor_rows
from pcflab.methods import dqr_from_pedigree, gsd_from_pedigree
from tests.conftest import factor_row


def test_shipped_database_loads_with_units_and_sources():
    db = pcflab.load_factors()
    assert len(db) >= 40
    assert len(db.content_hash) == 64 and db.version != "0"
    v = db.ds["value"].values
    assert np.all(v[np.isfinite(v)] > 0)
    g = db.ds["gsd"].values
    assert np.all(g[np.isfinite(v)] >= 1)
    present = np.isfinite(v)
    assert all(s.strip() for s in db.ds["source"].values[present])
    # the Shandong 2023 grid factor of the MEE/NBS announcement (2025 No. 47), in a notebook-style lookup
    row = db.sel(factor="cn-sd/electricity/grid-co2/2023", gas="co2_fossil")
    assert float(row["value"]) == pytest.approx(0.6191)
    assert row["per"].item() == "kWh" and "MEE" in row["source"].item()
    assert row["region"].item() == "CN-SD" and int(row["year"]) == 2023


def test_values_are_converted_to_kg_per_activity_unit():
    db = pcflab.load_factors()
    row = db.sel(factor="glo/steel/pig-iron/ipcc2006", gas="co2_fossil")
    assert float(row["published_value"]) == 1.35 and row["published_unit"].item() == "t"
    assert float(row["value"]) == pytest.approx(1350.0)


def test_gsd_and_dqr_from_pedigree(factor_file):
    db = pcflab.load_factors(factor_file(factor_row(gsd="", pedigree="2;3;1;5;3", basic="1.05")))
    row = db.sel(factor="test/electricity/grid/2023", gas="co2_fossil")
    assert float(row["gsd"]) == pytest.approx(gsd_from_pedigree((2, 3, 1, 5, 3), 1.05))
    assert tuple(row["dqr_scores"].values) == dqr_from_pedigree((2, 3, 1, 5, 3)) == (3, 5, 1, 2)
    assert float(row["dqr"]) == pytest.approx((3 + 5 + 1 + 2) / 4) and int(row["dqr_derived"]) == 1


def test_explicit_dqr_is_kept(factor_file):
    path = factor_file(factor_row().replace(",Test source,", ",Test source,"))
    text = path.read_text(encoding="utf-8").splitlines()
    header = text[0] + ",dqr"
    path.write_text("\n".join([header, text[1] + ",1;2;2;3"]) + "\n", encoding="utf-8")
    row = pcflab.load_factors(path).sel(factor="test/electricity/grid/2023", gas="co2_fossil")
    assert float(row["dqr"]) == 2.0 and int(row["dqr_derived"]) == 0


@pytest.mark.parametrize(
    ("row", "column", "rule"),
    [
        (factor_row(unit=""), "unit", "required"),
        (factor_row(per=""), "per", "required"),
        (factor_row(per="kWhx"), "per", "unit-known"),
        (factor_row(unit="kWh"), "unit", "unit-mass"),
        (factor_row(gas="co3"), "gas", "gas-known"),
        (factor_row(value="-0.5"), "value", "positive-finite"),
        (factor_row(value="nan"), "value", "positive-finite"),
        (factor_row(value="inf"), "value", "positive-finite"),
        (factor_row(value="abc"), "value", "number"),
        (factor_row(region="Shandong"), "region", "region-iso"),
        (factor_row(region="CN-ZZ"), "region", "region-iso"),
        (factor_row(region="XQ"), "region", "region-iso"),
        (factor_row(gas="co2e"), "gwp_set", "gwp-named"),
        (factor_row(gsd="0.9"), "gsd", "gsd-at-least-1"),
        (factor_row(gsd="", pedigree="2;3;6;1;1", basic="1.05"), "pedigree", "pedigree-scores"),
        (factor_row(gsd="", pedigree="2;3;1"), "pedigree", "pedigree-scores"),
        (factor_row(gsd="", pedigree="2;3;1;1;1", basic=""), "basic_uncertainty", "basic-at-least-1"),
        (factor_row(gsd=""), "gsd", "uncertainty-given"),
        (factor_row(tag="X"), "tag", "tag-known"),
        (factor_row(fid="Bad Id"), "id", "id-format"),
        (factor_row(fid="cn/electricity/grid"), "id", "id-format"),
    ],
)
def test_bad_rows_are_located(factor_file, row, column, rule):
    path = factor_file(factor_row(fid="test/ok/ok/1"), row)
    with pytest.raises(FactorTableError) as err:
        pcflab.load_factors(path)
    assert err.value.line == 3
    assert err.value.field == column
    assert f"[{rule}]" in str(err.value)
    assert str(path) in str(err.value) and err.value.hint


def test_validate_reports_every_problem_at_once(factor_file):
    path = factor_file(
        factor_row(fid="test/a/a/1", unit=""),
        factor_row(fid="test/b/b/1", region="XX-XX"),
        factor_row(fid="test/c/c/1", value="1,5"),
        factor_row(fid="test/d/d/1", gsd="0.5"),
    )
    records, problems = read_factor_rows([path])
    assert records == []
    assert [(p.line, p.column, p.rule) for p in problems] == [
        (2, "unit", "required"),
        (3, "region", "region-iso"),
        (4, "-", "columns"),
        (5, "gsd", "gsd-at-least-1"),
    ]
    with pytest.raises(FactorTableError, match="and 3 more problems") as err:
        pcflab.load_factors(path)
    assert len(err.value.problems) == 4


def test_duplicate_id_and_gas_across_files(factor_file, tmp_path):
    factor_file(factor_row(), name="a.csv")
    factor_file(factor_row(value="0.7"), name="b.csv")
    with pytest.raises(FactorTableError, match="already in") as err:
        pcflab.load_factors(tmp_path)
    assert err.value.file.endswith("b.csv") and err.value.line == 2


def test_gases_of_one_factor_must_share_activity_unit(factor_file):
    path = factor_file(factor_row(), factor_row(gas="ch4_fossil", per="MWh"))
    with pytest.raises(FactorTableError, match="consistent-factor"):
        pcflab.load_factors(path)


def test_measured_calibrated_needs_a_certificate(factor_file):
    row = factor_row().replace(",literature,", ",measured-calibrated,")
    with pytest.raises(FactorTableError, match="certificate-given"):
        pcflab.load_factors(factor_file(row))


def test_missing_required_column(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("id,gas,value\na/b/c/d,co2_fossil,1\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match="missing columns"):
        pcflab.load_factors(path)


def test_several_gases_of_one_factor(factor_file):
    db = pcflab.load_factors(factor_file(factor_row(), factor_row(gas="ch4_fossil", value="0.001")))
    assert len(db) == 1
    assert db.gases_of("test/electricity/grid/2023") == [("co2_fossil", 0.5, 1.1), ("ch4_fossil", 0.001, 1.1)]


def test_content_hash_ignores_file_split_and_order(factor_file, tmp_path):
    one = factor_file(factor_row(fid="test/a/a/1"), factor_row(fid="test/b/b/1"), name="one.csv")
    split = tmp_path / "split"
    split.mkdir()
    (split / "x.csv").write_text(one.read_text().splitlines()[0] + "\n" + one.read_text().splitlines()[2] + "\n")
    (split / "y.csv").write_text(one.read_text().splitlines()[0] + "\n" + one.read_text().splitlines()[1] + "\n")
    assert pcflab.load_factors(one).content_hash == pcflab.load_factors(split).content_hash
    changed = factor_file(factor_row(fid="test/a/a/1", value="0.51"), factor_row(fid="test/b/b/1"), name="c.csv")
    assert pcflab.load_factors(changed).content_hash != pcflab.load_factors(one).content_hash


def test_build_is_reused_and_a_corrupt_build_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("PCFLAB_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "db"
    shutil.copytree(factor_source_files()[0].parent, src, ignore=shutil.ignore_patterns("templates", "notes", "*.md"))
    first = pcflab.load_factors(src)
    builds = list((tmp_path / "cache").glob("factors-*.nc"))
    assert len(builds) == 1
    again = pcflab.load_factors(src)
    assert again.content_hash == first.content_hash
    builds[0].write_bytes(builds[0].read_bytes()[:500])  # truncate the build
    with pytest.raises(FactorTableError, match="cannot be read"):
        load_build(builds[0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rebuilt = pcflab.load_factors(src)
    assert any("rebuilt from the CSV sources" in str(w.message) for w in caught)
    assert rebuilt.content_hash == first.content_hash
    assert load_build(builds[0]).content_hash == first.content_hash  # the cache was repaired
    np.testing.assert_array_equal(load_build(builds[0]).ds["value"].values, first.ds["value"].values)


def test_export_round_trips(tmp_path):
    db = pcflab.load_factors()
    csv_path = db.to_csv(tmp_path / "all.csv")
    nc_path = db.to_netcdf(tmp_path / "all.nc")
    assert pcflab.load_factors(csv_path).content_hash == db.content_hash
    assert load_build(nc_path).content_hash == db.content_hash
    np.testing.assert_array_equal(pcflab.load_factors(csv_path).ds["value"].values, db.ds["value"].values)


# --- issue 15, point 16: a row with the wrong number of fields is an error naming the row ---


def test_row_with_a_full_width_comma_has_a_field_too_few(factor_file):
    """One ',' typed as '，' merges two fields: the row is short by one and must not be imported."""
    path = factor_file(
        factor_row(fid="test/a/a/1"), factor_row(fid="test/b/b/1").replace("Test source,", "Test source\uff0c")
    )
    records, problems = read_factor_rows([path])
    assert [r["id"] for r in records] == ["test/a/a/1"]
    assert [(p.line, p.rule) for p in problems] == [(3, "columns")]
    assert "19 fields, fewer than the header's 20" in problems[0].message
    assert problems[0].hint == "the row uses \uff0c (full-width comma) as a delimiter; use ,"
    with pytest.raises(FactorTableError) as err:
        pcflab.load_factors(path)
    assert f"{path}:3" in str(err.value)


def test_row_delimited_by_full_width_commas_only(factor_file):
    path = factor_file(factor_row().replace(",", "\uff0c"))
    _, problems = read_factor_rows([path])
    assert [(p.line, p.rule) for p in problems] == [(2, "columns")]
    assert "1 fields" in problems[0].message and "full-width comma" in problems[0].hint


def test_short_row_without_full_width_comma(factor_file):
    path = factor_file(factor_row().rsplit(",", 2)[0])
    _, problems = read_factor_rows([path])
    assert [(p.line, p.rule) for p in problems] == [(2, "columns")]
    assert "18 fields, fewer than the header's 20" in problems[0].message
    assert "full-width" not in problems[0].hint


def test_long_row_is_still_an_error(factor_file):
    path = factor_file(factor_row() + ",extra")
    _, problems = read_factor_rows([path])
    assert [(p.line, p.rule) for p in problems] == [(2, "columns")]
    assert "21 fields, more than the header's 20" in problems[0].message
