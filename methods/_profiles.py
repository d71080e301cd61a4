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
    cbam_boundary : count only the embedded emissions of a CBAM good (``pcflab.methods.cbam_good``):
        the direct emissions of its production processes and of its relevant precursors
        (Regulation (EU) 2023/956, Annex IV point 2; Implementing Regulation (EU) 2023/1773,
        Annex II, section 3); a model without a CN code of Annex I is an error.
    cbam_emissions : under ``cbam_boundary``, which embedded emissions are counted:
        ``regime`` (direct, plus indirect for the goods not listed in Annex II of Regulation
        (EU) 2023/956: cement and fertilisers), ``direct`` or ``indirect`` (the emissions of
        the electricity consumed, shown apart).
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
    cbam_emissions: Literal["regime", "direct", "indirect"] = "regime"
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
            title="EU CBAM embedded emissions (Regulation (EU) 2023/956; Implementing Regulations (EU) 2023/1773, "
            "2025/2621)",
            gwp_set="AR5",
            allocation="mass",
            recycling="cut_off",
            electricity="location",
            gases=("co2_fossil", "cf4", "c2f6", "co2e"),
            cbam_boundary=True,
            references=(
                "Regulation (EU) 2023/956, Article 7(1), Annex I (goods), Annex II (only direct emissions), "
                "Annex IV point 2 (embedded emissions of simple and complex goods)",
                "Implementing Regulation (EU) 2023/1773, Annex II, sections 2 (aggregated goods categories) and 3 "
                "(production routes and relevant precursors)",
                "Implementing Regulation (EU) 2025/2621 (default values)",
            ),
            notes="Embedded emissions of a CBAM good (the model's cn_code, Annex I of 2023/956): direct emissions "
            "of its production processes plus the embedded emissions of the relevant precursors of its "
            "route (2023/1773 Annex II section 3; a process whose cn_code is not a relevant precursor, such as "
            "alumina for aluminium or coke for steel, is outside with all it alone feeds); processes marked "
            "within_cbam: false (fuel extraction and supply) are outside. Indirect emissions (electricity "
            "consumed, grid factors and electricity-producing processes) are computed and reported apart, and "
            "counted in the total only for cement and fertilisers (2023/956 Article 7(1), Annex II). CO2 and, "
            "for aluminium, PFCs (CF4, C2F6) with AR5 GWPs as in EU monitoring rules; pre-characterised "
            "factors (co2e) inside the boundary are kept because their gases cannot be separated. N2O of "
            "nitric acid and nitrogen fertilisers (Annex I) is not yet counted.",
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
