"""End-of-life and recycled-content methods against hand-worked cases."""

import pytest

from pcflab.methods import CffParameters, avoided_burden, circular_footprint_formula, cut_off


def test_cut_off_hand_case():
    # 30 % recycled content; virgin 2.0, recycling 0.5, disposal 0.1 kg CO2e/kg; 80 % recycled at EoL
    assert cut_off(0.3, 2.0, 0.5, 0.1, 0.8) == pytest.approx(0.7 * 2.0 + 0.3 * 0.5 + 0.2 * 0.1)  # = 1.57


def test_avoided_burden_hand_case():
    # all virgin 2.0; 80 % recycled at EoL with recycling 0.5 replacing virgin 2.0; 20 % disposed at 0.1
    assert avoided_burden(0.8, 2.0, 0.5, 0.1) == pytest.approx(2.0 + 0.8 * (0.5 - 2.0) + 0.2 * 0.1)  # = 0.82


def test_cff_hand_case_steel_like():
    """A = 0.2 (metals, PEF Annex C), R1 = 0.3, R2 = 0.8, R3 = 0, Qs/Qp = 1.

    material = 0.7 * 2.0 + 0.3 * (0.2 * 0.5 + 0.8 * 2.0 * 1) + 0.8 * 0.8 * (0.5 - 2.0 * 1)
             = 1.4 + 0.3 * 1.7 + 0.64 * (-1.5) = 1.4 + 0.51 - 0.96 = 0.95
    disposal = (1 - 0.8) * 0.1 = 0.02;  total = 0.97
    """
    p = CffParameters(A=0.2, R1=0.3, R2=0.8)
    r = circular_footprint_formula(p, Ev=2.0, Erecycled=0.5, ErecyclingEoL=0.5, Ev_star=2.0, ED=0.1)
    assert r["material"] == pytest.approx(0.95)
    assert r["energy"] == 0.0
    assert r["disposal"] == pytest.approx(0.02)
    assert r["total"] == pytest.approx(0.97)


def test_cff_with_energy_recovery_and_quality():
    """A = 0.5, R1 = 0, R2 = 0.3, R3 = 0.5, B = 0, Qsout/Qp = 0.9; plastic-like:
    material = 1 * 3.0 + 0.5 * 0.3 * (1.0 - 3.0 * 0.9) = 3.0 + 0.15 * (-1.7) = 2.745
    energy = 0.5 * (0.4 - 30 * 0.3 * 0.02 - 30 * 0.1 * 0.15) = 0.5 * (0.4 - 0.18 - 0.45) = -0.115
    disposal = (1 - 0.3 - 0.5) * 0.2 = 0.04
    """
    p = CffParameters(A=0.5, R1=0.0, R2=0.3, R3=0.5, Qsout_Qp=0.9)
    r = circular_footprint_formula(
        p,
        Ev=3.0,
        Erecycled=1.0,
        ErecyclingEoL=1.0,
        Ev_star=3.0,
        ED=0.2,
        EER=0.4,
        LHV=30.0,
        XER_heat=0.3,
        XER_elec=0.1,
        ESE_heat=0.02,
        ESE_elec=0.15,
    )
    assert r["material"] == pytest.approx(2.745)
    assert r["energy"] == pytest.approx(-0.115)
    assert r["disposal"] == pytest.approx(0.04)


def test_cff_limits_are_cut_off_and_avoided_burden():
    """With Qs/Qp = 1, A = 1 gives the cut-off result and A = 0 the avoided-burden result
    when the recycled input's burden equals the EoL recycling burden (Allacker et al. 2017)."""
    ev, erec, ed = 2.0, 0.5, 0.1
    for r1, r2 in [(0.3, 0.8), (0.0, 0.5), (0.6, 0.2)]:
        cff1 = circular_footprint_formula(CffParameters(A=1.0, R1=r1, R2=r2), ev, erec, erec, ev, ed)["total"]
        assert cff1 == pytest.approx(cut_off(r1, ev, erec, ed, r2))
        cff0 = circular_footprint_formula(CffParameters(A=0.0, R1=r1, R2=r2), ev, erec, erec, ev, ed)["total"]
        assert cff0 == pytest.approx(avoided_burden(r2, ev, erec, ed))


@pytest.mark.parametrize(
    "bad", [dict(A=1.2, R1=0.1, R2=0.1), dict(A=0.2, R1=-0.1, R2=0.1), dict(A=0.2, R1=0.1, R2=0.7, R3=0.5)]
)
def test_cff_parameter_checks(bad):
    with pytest.raises(ValueError):
        CffParameters(**bad)
