"""Required and optional columns (domain/INTERCHANGE.md): every column of a file's documented
header must be there, and an optional column left out of a file leaves the stored values alone."""

import pytest

from providers.imports import ProviderImporter
from tests.referrals.conftest import HEADER, REFERRALS_CSV, providers  # noqa: F401 - fixture
from wmo.finance.imports import SpendImporter
from wmo.quality.imports import ComplaintImporter, SurveyImporter
from wmo.referrals.imports import CaseImporter, ReferralImporter
from wmo.referrals.models import Referral

# The header each section of INTERCHANGE.md (and BUDGET.md for spend) gives, and the columns it
# calls optional.
DOCUMENTED = [
    (ProviderImporter, "agb_code,name,kvk,kind,size", []),
    (ReferralImporter, HEADER, ["previous_referral_id", "municipality", "pilot"]),
    (CaseImporter, "case_id,bsn,district,team,registration_date,first_contact_date,closed_date,"
                   "support_form", []),
    (SurveyImporter, "response_id,date,district,service_type,provider_agb,q_solution,"
                     "q_self_reliance", ["team"]),
    (ComplaintImporter, "complaint_id,provider_agb,service_type,district,received_date,"
                        "resolved_date", []),
    (SpendImporter, "booking_id,quarter,objective,service_type,contractor_agb,amount_eur", []),
]  # fmt: skip


@pytest.mark.parametrize("importer_class, header, optional", DOCUMENTED,
                         ids=[cls.__name__ for cls, _, _ in DOCUMENTED])  # fmt: skip
def test_the_required_columns_are_the_documented_header(importer_class, header, optional):
    columns = importer_class().columns_
    assert [c.name for c in columns if c.required] == header.split(",")
    assert sorted(c.name for c in columns if not c.required) == sorted(optional)


def without_column(text: str, name: str) -> bytes:
    lines = [line.split(",") for line in text.strip().splitlines()]
    at = lines[0].index(name)
    return "\n".join(",".join(cells[:at] + cells[at + 1 :]) for cells in lines).encode()


def stored_group_based():
    return dict(Referral.objects.values_list("external_id", "group_based"))


def test_a_referrals_file_without_group_based_is_refused_and_writes_nothing(providers):  # noqa: F811
    assert ReferralImporter().run(REFERRALS_CSV.encode()).ok
    before = stored_group_based()
    assert True in before.values()
    result = ReferralImporter().run(without_column(REFERRALS_CSV, "group_based"))
    assert not result.ok
    assert [(p.line, p.column) for p in result.problems] == [(1, "group_based")]
    assert result.problems[0].message.startswith("De kopregel mist de kolom 'group_based'.")
    assert stored_group_based() == before


U16_ROW = "U1,111222333,,beschermd_verblijf,13063077,,2026-03-02,,,,,nee,GM0310"
IN_UTRECHT = "U1,111222333,WK034403,beschermd_verblijf,13063077,,2026-03-02,,,,,nee"


def test_a_file_without_municipality_cannot_give_a_u16_referral_a_wijk(providers):  # noqa: F811
    """Keeping the stored municipality and writing the row's wijk would make both; dropping
    the municipality would change what the file does not name. So the row is refused."""
    assert ReferralImporter().run(f"{HEADER},municipality\n{U16_ROW}\n".encode()).ok
    result = ReferralImporter().run(f"{HEADER}\n{IN_UTRECHT}\n".encode())
    assert [(p.line, p.column, p.value) for p in result.problems] == [(2, "district", "WK034403")]
    assert result.problems[0].message == (
        "Deze verwijzing is opgeslagen voor een cliënt uit gemeente GM0310 (U16), zonder wijk; "
        "een bestand zonder de kolom municipality kan dat niet wijzigen. Neem de kolom "
        "municipality op."
    )
    stored = Referral.objects.get()
    assert (stored.district, stored.municipality.code) == (None, "GM0310")


SURVEY_HEADER = DOCUMENTED[3][1]


def test_a_survey_file_without_team_keeps_the_stored_teams(db):
    from wmo.quality.models import SurveyResponse

    rows = "B1,2025-03-02,WK034403,buurtteam,,5,4"
    assert SurveyImporter().run(f"{SURVEY_HEADER},team\n{rows},BT05\n".encode()).ok
    again = SurveyImporter().run(f"{SURVEY_HEADER}\n{rows}\n".encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert SurveyResponse.objects.get().team.code == "BT05"
    # A new row of such a file gets no team, as before.
    new = SurveyImporter().run(f"{SURVEY_HEADER}\nB2,2025-03-03,WK034401,buurtteam,,3,3\n".encode())
    assert new.created == 1 and SurveyResponse.objects.get(external_id="B2").team is None
