"""Method profiles: the bundles of accounting choices that standards make.

A profile fixes the GWP set, co-product allocation, recycled content and end of life,
electricity accounting, the cut-off threshold, which gases and processes count, and how
biogenic carbon enters the total. ``pcflab.compare_methods`` runs one inventory under
every profile. Where a standard leaves a choice open, the profile records pcflab's default
and says so in ``notes``; users may build their own with ``MethodProfile(...)``.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ._gases import GASES

__all__ = ["PROFILES", "MethodProfile", "get_profile"]


class MethodProfile(BaseModel):
    """One set of accounting choices.

    Attributes
    ----------
    name : short id (``iso14067``).
    title : the standard(s).
    gwp_set : IPCC report whose GWP100 values characterise the gases.
    allocation : co-product allocation where a process has co-products and does not
        choose itself (``mass``, ``economic``, ``energy``, ``system_expansion``).
    recycling : ``cut_off`` (100:0), ``avoided_burden`` (0:100) or ``cff``.
    electricity : ``location`` (grid average factors) or ``market`` (green-electricity
        contracts of the model applied, remainder at the grid factor).
    cutoff_share : factor-linked activities and direct emissions contributing less than
        this share of the total are excluded (and the excluded share reported) [0-1].
    gases : gases counted; others are set to zero.
    cbam_boundary : count only processes within the CBAM boundary.
    references, notes : sources and the choices that are pcflab's defaults.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    gwp_set: Literal["AR4", "AR5", "AR6"] = "AR6"
    allocation: Literal["mass", "economic", "energy", "system_expansion"] = "mass"
    recycling: Literal["cut_off", "avoided_burden", "cff"] = "cut_off"
    electricity: Literal["location", "market"] = "location"
    cutoff_share: float = Field(0.0, ge=0.0, lt=1.0)
    gases: tuple[str, ...] = GASES
    cbam_boundary: bool = False
    references: tuple[str, ...] = ()
    notes: str = ""


PROFILES = {
    p.name: p
    for p in (
        MethodProfile(
            name="iso14067",
            title="ISO 14067:2018 / GB/T 24067-2024",
            allocation="mass",
            recycling="cut_off",
            electricity="location",
            references=("ISO 14067:2018", "GB/T 24067-2024", "ISO 14044:2006 4.3.4.2"),
            notes="Allocation by the physical relationship (mass) where subdivision is not possible "
            "(ISO 14044 hierarchy); fossil and biogenic emissions and removals included and reported "
            "separately, as are dLUC and aircraft emissions. Cut-off for recycled content, location-based "
            "electricity and AR6 are pcflab's defaults for this profile.",
        ),
        MethodProfile(
            name="ghg-protocol",
            title="GHG Protocol Product Life Cycle Accounting and Reporting Standard (2011)",
            allocation="system_expansion",
            recycling="cut_off",
            electricity="market",
            references=("WRI/WBCSD GHG Protocol Product Standard (2011), ch. 9 (allocation), recycling methods",),
            notes="System expansion preferred over allocation where a co-product's substitute is known; "
            "recycled-content (cut-off) method; market-based electricity where the model has contracts. "
            "AR6 is pcflab's default.",
        ),
        MethodProfile(
            name="pas2050",
            title="PAS 2050:2011",
            allocation="economic",
            recycling="cut_off",
            electricity="location",
            references=("BSI PAS 2050:2011",),
            notes="Economic allocation where allocation cannot be avoided; recycled-content method. "
            "AR6 and location-based electricity are pcflab's defaults for this profile.",
        ),
        MethodProfile(
            name="pef",
            title="Product Environmental Footprint (Commission Recommendation (EU) 2021/2279)",
            allocation="mass",
            recycling="cff",
            electricity="market",
            cutoff_share=0.0,
            references=("Commission Recommendation (EU) 2021/2279, Annex I: 4.4.8 (CFF), electricity modelling",),
            notes="Circular Footprint Formula for recycled content and end of life; physical allocation; "
            "market-based electricity (supplier-specific where contracted).",
        ),
        MethodProfile(
            name="cbam",
            title="EU CBAM embedded emissions (Regulation (EU) 2023/956; Implementing Regulation (EU) 2025/2621)",
            gwp_set="AR5",
            allocation="mass",
            recycling="cut_off",
            electricity="location",
            gases=("co2_fossil", "cf4", "c2f6", "co2e"),
            cbam_boundary=True,
            references=("Regulation (EU) 2023/956, Annex IV", "Implementing Regulation (EU) 2025/2621"),
            notes="Direct and indirect embedded emissions within the CBAM boundary: CO2 and, for aluminium, "
            "PFCs (CF4, C2F6) with AR5 GWPs as in EU monitoring rules; processes marked within_cbam: false "
            "(fuel extraction and supply) are outside; pre-characterised factors (co2e) inside the boundary "
            "are kept because their gases cannot be separated.",
        ),
    )
}


def get_profile(profile):
    """Return a method profile by name, or the profile itself.

    Parameters
    ----------
    profile : str or MethodProfile
        A key of ``PROFILES`` (such as ``"iso14067"``) or a profile object.

    Returns
    -------
    MethodProfile
        The profile; a ``MethodProfile`` given is returned as it is.

    Raises
    ------
    ValueError
        If the name is not a key of ``PROFILES``; the message lists the known names.
    """
    if isinstance(profile, MethodProfile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown method profile {profile!r}: use one of {', '.join(PROFILES)}") from None
