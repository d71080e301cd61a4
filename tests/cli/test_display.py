"""What the pcflab command prints: readable units and factor listings in a fixed order."""

import os
import re
import subprocess
import sys

import pcflab
from pcflab.cli import main

GLASS = "auto-parts/tempered-side-glass"  # functional unit 1 m**2
UNREADABLE = re.compile(r"\*\*|\^|kg/\(t\)|CO2e|m\*\*|kilogram|tonne")


def test_run_writes_units_readably(capsys):
    assert main(["run", GLASS, "--samples", "200", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    det = float(pcflab.footprint(GLASS)["gwp100"].sum())
    assert "functional unit: 1 m² " in out
    assert f"deterministic footprint (AR6 GWP100): {det:,.1f} kg CO₂e\n" in out
    assert out.rstrip().endswith("] kg CO₂e")
    assert not UNREADABLE.search(out), UNREADABLE.search(out)


def test_run_profiles_writes_units_readably(capsys):
    assert main(["run", "steel/eaf-hot-rolled-bar", "--profiles", "iso14067,pef"]) == 0
    out = capsys.readouterr().out
    assert out.count("[kg CO₂e per functional unit]:") == 3
    assert "CO2e per" not in out


def _listing(out):
    """Return (id, region, year, per) of each row of ``pcflab factors list``."""
    rows = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5 and "/" in parts[0] and parts[2].isdigit():
            rows.append((parts[0], parts[1], int(parts[2]), parts[3]))
    return rows


def test_factors_list_is_sorted_by_name_region_then_year_with_readable_units(capsys):
    assert main(["factors", "list"]) == 0
    rows = _listing(capsys.readouterr().out)
    db = pcflab.load_factors()
    assert len(rows) == len(db)
    key = {str(f): str(k) for f, k in zip(db.ds["factor"].values, db.ds["key"].values, strict=True)}
    order = [(key[f], region, year) for f, region, year, _ in rows]
    assert order == sorted(order)
    # by hand: the two IAI all-aluminium averages, 2022 before 2023; AU before CN for the PFC factor
    ids = [f for f, *_ in rows]
    assert ids.index("glo/aluminium/all-aluminium-average/iai2022") < ids.index(
        "glo/aluminium/all-aluminium-average/iai2023"
    )
    assert ids.index("au/aluminium/pfc/aac2011") < ids.index("cn/aluminium/pfc/ets-draft2024")
    pers = {per for *_, per in rows}
    assert {"m³", "t·km", "t", "kWh"} <= pers and not {"m**3", "t*km"} & pers


def test_factors_show_and_compare_write_units_readably(capsys):
    ds = pcflab.load_factors().ds
    per_m3 = next(str(f) for f, per in zip(ds["factor"].values, ds["per"].values, strict=True) if per == "m**3")
    assert main(["factors", "show", per_m3]) == 0
    out = capsys.readouterr().out
    assert "activity unit: m³" in out and "/m³" in out and "m**3" not in out
    assert main(["factors", "compare", "--all"]) == 0
    out = capsys.readouterr().out.partition("\nFactors")[2]
    assert " kg/m³ " in out or " kg/(t·km) " in out
    assert "m ** 3" not in out and "km * t" not in out


def test_a_terminal_without_unicode_gets_question_marks_not_a_traceback():
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "pcflab.cli", "run", "steel/eaf-hot-rolled-bar", "--samples", "0"],
        capture_output=True,
        text=True,
        encoding="ascii",
        errors="strict",
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "kg CO?e" in done.stdout and "Traceback" not in done.stderr
