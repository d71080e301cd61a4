"""Recycled content and end of life: cut-off, avoided burden and the Circular Footprint Formula.

Three ways to share the burdens and benefits of recycling between the product that uses
recycled material and the one that supplies it, per unit of material in the product.

References
----------
European Commission (2021). Commission Recommendation (EU) 2021/2279, Annex I (PEF method),
section 4.4.8 (Circular Footprint Formula).
Zampori, L., Pant, R. (2019). Suggestions for updating the Product Environmental Footprint
(PEF) method. JRC, EUR 29682 EN, doi:10.2760/424613, Equation 3.
Allacker, K. et al. (2017). The search for an appropriate end-of-life formula for the
purpose of the European Commission Environmental Footprint initiative. Int J LCA 22,
1441-1458, doi:10.1007/s11367-016-1244-0 (cut-off = 100:0, avoided burden = 0:100).
"""

from dataclasses import dataclass

__all__ = [
    "RECYCLING_COEFFICIENTS",
    "CffParameters",
    "avoided_burden",
    "circular_footprint_formula",
    "cut_off",
]


def cut_off(recycled_content, e_virgin, e_recycled, e_disposal, recycling_rate_eol=0.0):
    """Cut-off (recycled content, 100:0) per unit of material [impact per unit].

    The recycled input carries only its recycling burden, the virgin input its production
    burden; material sent to recycling at end of life leaves burden-free and earns no credit;
    the rest is disposed of.

    Parameters
    ----------
    recycled_content : float
        Share of recycled material in the input, R1 [0-1].
    e_virgin, e_recycled, e_disposal : float
        Burdens of virgin production, of recycling, of disposal [impact per unit material].
    recycling_rate_eol : float
        Share sent to recycling at end of life, R2 [0-1].
    """
    _share(recycled_content, "recycled_content")
    _share(recycling_rate_eol, "recycling_rate_eol")
    return (1 - recycled_content) * e_virgin + recycled_content * e_recycled + (1 - recycling_rate_eol) * e_disposal


def avoided_burden(recycling_rate_eol, e_virgin, e_recycling_eol, e_disposal, e_virgin_substituted=None):
    """Avoided burden (end-of-life recycling, 0:100) per unit of material [impact per unit].

    All material is counted as virgin; what is recycled at end of life bears its recycling
    and is credited with the virgin production it replaces.

    Parameters
    ----------
    recycling_rate_eol : float
        Share recycled at end of life, R2 [0-1].
    e_virgin, e_recycling_eol, e_disposal : float
        Burdens [impact per unit material].
    e_virgin_substituted : float, optional
        Burden of the virgin material that the recycled output replaces (E*v); ``e_virgin``
        by default.
    """
    _share(recycling_rate_eol, "recycling_rate_eol")
    ev_star = e_virgin if e_virgin_substituted is None else e_virgin_substituted
    return e_virgin + recycling_rate_eol * (e_recycling_eol - ev_star) + (1 - recycling_rate_eol) * e_disposal


@dataclass(frozen=True)
class CffParameters:
    """Parameters of the Circular Footprint Formula (EU 2021/2279 Annex I, 4.4.8).

    Attributes
    ----------
    A : allocation factor of burdens and credits between supplier and user of recycled
        material [0.2-0.8 per the PEF Annex C values].
    B : allocation factor of energy-recovery processes [0 by default in PEF].
    R1 : recycled content of the input [0-1].
    R2 : share recycled at end of life [0-1].
    R3 : share sent to energy recovery at end of life [0-1].
    Qsin_Qp, Qsout_Qp : quality ratios of the secondary material at input and output.
    """

    A: float
    R1: float
    R2: float
    R3: float = 0.0
    B: float = 0.0
    Qsin_Qp: float = 1.0
    Qsout_Qp: float = 1.0

    def __post_init__(self):
        for name in ("A", "B", "R1", "R2", "R3"):
            _share(getattr(self, name), name)
        if self.R2 + self.R3 > 1 + 1e-12:
            raise ValueError(f"R2 + R3 = {self.R2 + self.R3} exceeds 1")
        for name in ("Qsin_Qp", "Qsout_Qp"):
            if not 0 <= getattr(self, name):
                raise ValueError(f"{name} must be >= 0")


def circular_footprint_formula(
    p,
    Ev,
    Erecycled,
    ErecyclingEoL,
    Ev_star,
    ED,
    EER=0.0,
    LHV=0.0,
    XER_heat=0.0,
    XER_elec=0.0,
    ESE_heat=0.0,
    ESE_elec=0.0,
):
    """Circular Footprint Formula: material, energy and disposal terms per unit of material.

    Material: (1 - R1) Ev + R1 (A Erecycled + (1 - A) Ev Qsin/Qp)
              + (1 - A) R2 (ErecyclingEoL - E*v Qsout/Qp)
    Energy:   (1 - B) R3 (EER - LHV XER,heat ESE,heat - LHV XER,elec ESE,elec)
    Disposal: (1 - R2 - R3) ED

    Parameters
    ----------
    p : CffParameters
    Ev : burden of virgin material [impact per unit material].
    Erecycled : burden of the recycling process of the recycled input [impact per unit].
    ErecyclingEoL : burden of recycling at end of life [impact per unit].
    Ev_star : burden of the virgin material replaced by the recycled output [impact per unit].
    ED : burden of disposal (landfill, incineration without recovery) [impact per unit].
    EER : burden of energy recovery [impact per unit material].
    LHV : lower heating value of the material [MJ per unit material].
    XER_heat, XER_elec : efficiencies of energy recovery to heat and electricity [0-1].
    ESE_heat, ESE_elec : burden of the heat and electricity replaced [impact per MJ].

    Returns
    -------
    dict
        ``material``, ``energy``, ``disposal`` and ``total`` [impact per unit material].

    References
    ----------
    Commission Recommendation (EU) 2021/2279, Annex I, section 4.4.8; Zampori & Pant (2019),
    Equation 3.
    """
    material = (
        (1 - p.R1) * Ev
        + p.R1 * (p.A * Erecycled + (1 - p.A) * Ev * p.Qsin_Qp)
        + (1 - p.A) * p.R2 * (ErecyclingEoL - Ev_star * p.Qsout_Qp)
    )
    energy = (1 - p.B) * p.R3 * (EER - LHV * XER_heat * ESE_heat - LHV * XER_elec * ESE_elec)
    disposal = (1 - p.R2 - p.R3) * ED
    return {"material": material, "energy": energy, "disposal": disposal, "total": material + energy + disposal}


def _share(x, name):
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} = {x} must lie between 0 and 1")


#: Coefficient of each burden per unit of material, as formula text of R1, R2, R3, A,
#: Qsin_Qp and Qsout_Qp, for each method. Every method is linear in the burdens, so a
#: model can add them as factor-linked activities (energy recovery is not included).
RECYCLING_COEFFICIENTS = {
    "cut_off": {
        "virgin": "1 - R1",
        "recycled": "R1",
        "disposal": "1 - R2 - R3",
    },
    "avoided_burden": {
        "virgin": "1",
        "recycling_eol": "R2",
        "virgin_substituted": "-R2",
        "disposal": "1 - R2 - R3",
    },
    "cff": {
        "virgin": "(1 - R1) + R1 * (1 - A) * Qsin_Qp",
        "recycled": "R1 * A",
        "recycling_eol": "(1 - A) * R2",
        "virgin_substituted": "-(1 - A) * R2 * Qsout_Qp",
        "disposal": "1 - R2 - R3",
    },
}
