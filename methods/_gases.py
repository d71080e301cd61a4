"""The greenhouse gases pcflab accounts, and the life-cycle stages it reports."""

__all__ = ["GASES", "STAGES", "STAGE_NAMES_ZH"]

#: Gas identifiers, in report order. ``co2e`` holds factors published already
#: characterised as CO2 equivalents (their GWP set is recorded with the factor).
GASES = (
    "co2_fossil",
    "co2_biogenic",
    "ch4_fossil",
    "ch4_non_fossil",
    "n2o",
    "sf6",
    "cf4",
    "c2f6",
    "hfc_134a",
    "nf3",
    "co2e",
)

#: Life-cycle stages as ISO 14067:2018 and GB/T 24067-2024 name them, in order.
STAGES = (
    "raw_material_acquisition",
    "production",
    "distribution",
    "use",
    "end_of_life",
)

#: Chinese names of the stages (GB/T 24067-2024 wording).
STAGE_NAMES_ZH = {
    "raw_material_acquisition": "原材料获取",
    "production": "生产",
    "distribution": "分销",
    "use": "使用",
    "end_of_life": "寿命终止",
}
