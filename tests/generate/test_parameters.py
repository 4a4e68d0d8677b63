"""The generator's clinical tables are well formed and speak the contract's values."""

from __future__ import annotations

import pytest

from pipeline.contract import FIELDS_BY_NAME, OPTIONAL_FIELDS, Rule
from pipeline.contract.fields import KNEE_INJURIES, FieldType, fields_of_type
from pipeline.generate import bad_values
from pipeline.generate import clinic_parameters as cp
from pipeline.generate import messiness as m
from pipeline.generate import parameters as p
from pipeline.generate.defects import DEFECTS, DefectKind
from pipeline.generate.parameters import Presentation
from tests.intake_checks import RawRecord, broken_rules
from tests.records import NOW, record

RATE_TABLES: dict[str, tuple[dict[Presentation, tuple[float, ...]], int]] = {
    "knee injury": (p.KNEE_INJURY_BY_PRESENTATION, len(KNEE_INJURIES)),
    "hip side": (p.HIP_SIDE_BY_PRESENTATION, 3),
    **{
        name: (table, len(FIELDS_BY_NAME[name].allowed))
        for name, table in p.ENUM_FINDINGS_BY_PRESENTATION.items()
    },
}


@pytest.mark.parametrize("name", sorted(RATE_TABLES))
def test_share_tables_cover_every_presentation_and_sum_to_one(name: str) -> None:
    table, width = RATE_TABLES[name]
    assert set(table) == set(Presentation)
    for presentation, shares in table.items():
        assert len(shares) == width, (name, presentation)
        assert sum(shares) == pytest.approx(1.0), (name, presentation)
        assert all(s >= 0 for s in shares)


def test_finding_rates_are_probabilities_of_contract_boolean_fields() -> None:
    booleans = {f.name for f in fields_of_type(FieldType.BOOLEAN)}
    for name, rates in p.BOOLEAN_FINDING_RATES.items():
        assert name in booleans
        assert len(rates) == len(Presentation)
        assert all(0 <= r <= 1 for r in rates)


def test_shares_by_knee_injury_name_every_injury() -> None:
    assert set(p.AGE_BY_KNEE_INJURY) == set(KNEE_INJURIES)
    assert set(p.FEMALE_SHARE_BY_KNEE_INJURY) == set(KNEE_INJURIES)
    assert set(p.IRRITATING_KNEE_INJURIES) <= set(KNEE_INJURIES)


def test_missing_shares_name_only_optional_fields() -> None:
    assert set(p.OPTIONAL_FIELD_MISSING_SHARE) <= set(OPTIONAL_FIELDS)
    assert set(p.HIP_EXAM_FIELDS) <= set(OPTIONAL_FIELDS)


def test_mechanism_shares_and_defect_weights_are_complete() -> None:
    assert sum(cp.BASE_MECHANISM_SHARES.values()) == pytest.approx(1.0)
    assert sum(m.FIELD_DEFECT_WEIGHTS.values()) == pytest.approx(1.0)
    assert set(m.FIELD_DEFECT_WEIGHTS) == {k.value for k in DefectKind}
    assert len({c.clinic_id for c in cp.CLINIC_PROFILES}) == len(cp.CLINIC_PROFILES)


def _one_bad_field(field: str, value: str) -> set[str]:
    """The rules the contract checker sees broken in a valid record with one value replaced."""
    values = record()
    assert broken_rules(RawRecord("intake_x.csv", 2, values, ""), NOW) == set()
    return broken_rules(RawRecord("intake_x.csv", 2, {**values, field: value}, ""), NOW)


def test_every_bad_value_breaks_the_rule_its_defect_names() -> None:
    for field, values in bad_values.UNKNOWN_ENUM_VALUES.items():
        for value in values:
            assert _one_bad_field(field, value) == {f"{field}:{Rule.ALLOWED_VALUES}"}
    for field, values in bad_values.OUT_OF_RANGE_NUMBERS.items():
        for value in values:
            assert _one_bad_field(field, value) == {f"{field}:{Rule.RANGE}"}
    for field, values in bad_values.NOT_A_NUMBER.items():
        for value in values:
            assert _one_bad_field(field, value) == {f"{field}:{Rule.TYPE}"}
    for value in bad_values.BAD_BOOLEANS:
        assert _one_bad_field("antalgic_gait", value) == {f"antalgic_gait:{Rule.TYPE}"}
    for character in bad_values.BAD_ID_CHARACTERS:
        assert _one_bad_field("patient_ref", f"PT{character}1") == {f"patient_ref:{Rule.ALPHABET}"}
    assert DEFECTS[DefectKind.NOT_A_NUMBER].rule is Rule.TYPE


def test_each_writing_style_has_its_share() -> None:
    assert len(m.CSV_BOOLEAN_SPELLINGS) == len(m.CSV_BOOLEAN_SPELLING_SHARES)
    assert m.CSV_BOOLEAN_SPELLINGS[0] == ("true", "false")
    assert len(m.INTAKE_AT_STYLES) == len(m.INTAKE_AT_STYLE_SHARES)
    assert sum(m.CSV_BOOLEAN_SPELLING_SHARES) == pytest.approx(1.0)
    assert sum(m.INTAKE_AT_STYLE_SHARES) == pytest.approx(1.0)
