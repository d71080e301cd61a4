"""Import through the national/enterprise template: all problems at once, nothing written on error."""

import csv
import shutil

import pytest

import pcflab
from pcflab.core._errors import FactorTableError
from pcflab.factors._database import default_factor_dir
from pcflab.factors._import import TEMPLATE_COLUMNS, import_factors

TEMPLATE = default_factor_dir() / "templates" / "import-template.csv"


@pytest.fixture
def database(tmp_path):
    db = tmp_path / "db"
    shutil.copytree(default_factor_dir(), db, ignore=shutil.ignore_patterns("templates", "notes"))
    return db


def write_template(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(TEMPLATE_COLUMNS), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in TEMPLATE_COLUMNS})
    return path


def good(**over):
    row = {
        "pcflab_id": "cn-sd/steam/enterprise-boiler/2024",
        "national_code": "SD-0001",
        "name_zh": "蒸汽",
        "name_en": "Steam from an enterprise boiler",
        "gas": "co2_fossil",
        "value": "95.2",
        "unit": "kg",
        "per": "GJ",
        "region": "CN-SD",
        "year": "2024",
        "uncertainty_95_pct": "10",
        "data_type": "measured",
        "source_document": "Enterprise monitoring report 2024, table 3",
        "issuing_body": "Example Co.",
        "source_tag": "P",
    }
    row.update(over)
    return row


def test_shipped_template_is_valid(database):
    done = import_factors(TEMPLATE, database=database)
    assert done == [("cn-sd/electricity/grid-co2/2023-ncsc", "co2_fossil")]
    db = pcflab.load_factors(database, use_build=False)
    row = db.sel(factor="cn-sd/electricity/grid-co2/2023-ncsc", gas="co2_fossil")
    assert float(row["value"]) == pytest.approx(0.6191)
    assert "national code 1768804560809772323" in row["notes"].item()


def test_import_adds_rows_with_gsd_from_the_percentage(database, tmp_path):
    template = write_template(tmp_path / "t.csv", [good()])
    import_factors(template, database=database)
    row = pcflab.load_factors(database, use_build=False).sel(
        factor="cn-sd/steam/enterprise-boiler/2024", gas="co2_fossil"
    )
    assert float(row["gsd"]) == pytest.approx(1.1 ** (1 / 1.959963984540054))
    assert row["traceability"].item() == "measured" and "SD-0001" in row["notes"].item()


def test_broken_template_reports_everything_and_changes_nothing(database, tmp_path):
    before = {p.name: p.read_bytes() for p in database.glob("*.csv")}
    template = write_template(
        tmp_path / "t.csv",
        [
            good(),
            good(pcflab_id="cn-sd/steam/b/2024", unit=""),
            good(pcflab_id="cn-sd/steam/c/2024", region="Shandong"),
            good(pcflab_id="cn-sd/steam/d/2024", uncertainty_95_pct="", value="-3"),
            good(pcflab_id="cn-sd/electricity/grid-co2/2023"),  # already in electricity.csv
        ],
    )
    with pytest.raises(FactorTableError) as err:
        import_factors(template, database=database)
    found = [(p.line, p.column, p.rule) for p in err.value.problems]
    assert found == [
        (3, "unit", "required"),
        (4, "region", "region-iso"),
        (5, "uncertainty_95_pct", "template"),
        (5, "value", "positive-finite"),
        (6, "pcflab_id", "unique-id-gas"),
    ]
    assert {p.name: p.read_bytes() for p in database.glob("*.csv")} == before
    assert not (database / "imported.csv").exists()


def test_clash_inside_the_target_needs_replace(database, tmp_path):
    template = write_template(tmp_path / "t.csv", [good()])
    import_factors(template, database=database)
    with pytest.raises(FactorTableError, match="replace"):
        import_factors(template, database=database)
    write_template(template, [good(value="96.0")])
    import_factors(template, database=database, replace=True)
    db = pcflab.load_factors(database, use_build=False)
    assert float(db.sel(factor="cn-sd/steam/enterprise-boiler/2024", gas="co2_fossil")["value"]) == 96.0


def test_wrong_template_columns(tmp_path, database):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,value\nx,1\n", encoding="utf-8")
    with pytest.raises(FactorTableError, match="missing template columns"):
        import_factors(bad, database=database)


def test_template_row_with_a_full_width_comma_is_an_error(database, tmp_path):
    """Issue 15, point 16: a template row short by one field (a '，' delimiter) is not imported."""
    path = write_template(
        tmp_path / "t.csv", [good(), good(pcflab_id="cn-sd/steam/enterprise-boiler/2023", year="2023")]
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",SD-0001,", ",SD-0001\uff0c", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sorted(p.read_bytes() for p in database.glob("*.csv"))
    with pytest.raises(FactorTableError) as err:
        import_factors(path, database=database)
    found = [(p.line, p.rule, p.hint) for p in err.value.problems]
    assert found == [(3, "columns", "the row uses \uff0c (full-width comma) as a delimiter; use ,")]
    assert f"{len(TEMPLATE_COLUMNS) - 1} fields, fewer than the header's {len(TEMPLATE_COLUMNS)}" in str(err.value)
    assert sorted(p.read_bytes() for p in database.glob("*.csv")) == before  # nothing written
