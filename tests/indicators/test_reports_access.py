"""Permission matrix for every page of indicators/reports × role + anonymous, and the nav items."""

from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from providers.models import Provider
from tests.access import Access, call, expand

OK, LOGIN, FORBIDDEN = 200, 302, 403


def expected(cm, co, bw=FORBIDDEN):
    return {"anonymous": LOGIN, "buurtteam_worker": bw, "contract_manager": cm,
            "council_member": co}  # fmt: skip


ORG = "/rapportage/organisaties/aanbieder/10000001/"
CON = "/rapportage/organisaties/contractpartij/10000001/"
MATRIX = [
    Access("GET", "/rapportage/begroting/", expected(OK, OK)),
    Access("GET", "/rapportage/begroting/begroting.csv", expected(OK, OK)),
    Access("GET", "/rapportage/begroting/begroting.xlsx", expected(OK, OK)),
    Access("GET", "/uitgaven/", expected(OK, FORBIDDEN)),  # the budget page's import link
    Access("GET", "/rapportage/organisaties/", expected(OK, FORBIDDEN)),
    Access("GET", ORG, expected(OK, FORBIDDEN)),
    Access("GET", ORG + "organisatie.csv", expected(OK, FORBIDDEN)),
    Access("GET", ORG + "organisatie.xlsx", expected(OK, FORBIDDEN)),
    Access("GET", CON, expected(OK, FORBIDDEN)),
    Access("GET", CON + "organisatie.csv", expected(OK, FORBIDDEN)),
    Access("GET", CON + "organisatie.xlsx", expected(OK, FORBIDDEN)),
    Access("GET", "/rapportage/kwartaalrapportage/", expected(OK, OK)),
    Access("GET", "/rapportage/kwartaalrapportage/2026Q3.pdf", expected(OK, OK)),
    Access("GET", "/rapportage/kwartaalrapportage/2026Q3/raad.pdf", expected(OK, OK)),
]


@pytest.fixture
def stored(db):
    Provider.objects.create(agb_code="10000001", name="Groot Zorg", kind="care_provider")
    for level, key in (("system", "all"), ("provider", "10000001"), ("contractor", "10000001")):
        IndicatorValue.objects.create(quarter="2026Q3", level=level, level_key=key,
                                      indicator="clients_in_care", value=Decimal(120))  # fmt: skip


# A PDF is rendered for each allowed PDF row (about a second each): those are in the slow tier.
@pytest.mark.parametrize(
    ("row", "role", "status"),
    [pytest.param(*case, marks=pytest.mark.slow) if case[0].url.endswith(".pdf") else case
     for case in expand(MATRIX)],
    ids=str,
)  # fmt: skip
def test_get_matrix(stored, client_for, row, role, status):
    response = call(client_for(role), row)
    assert response.status_code == status
    if status == LOGIN:
        assert response["Location"].startswith("/account/inloggen/")


def test_the_hand_entry_is_gone_for_every_role(db, client_for):
    """The yearly realisation is no longer typed in: the spend bookings replace it."""
    for role in ("buurtteam_worker", "contract_manager", "council_member"):
        response = client_for(role).post(
            "/rapportage/begroting/realisatie/",
            {"objective": "IV", "year": "2026", "amount_keur": "88000", "note": ""},
        )
        assert response.status_code == 404


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("contract_manager", ["Kwartaalgesprek", "Kwartaalrapportage", "Begroting"], []),
        ("council_member", ["Kwartaalrapportage", "Begroting"], ["Kwartaalgesprek"]),
        ("buurtteam_worker", [], ["Kwartaalgesprek", "Kwartaalrapportage", "Begroting"]),
    ],
)
def test_navigation(db, client_for, role, shown, hidden):
    text = client_for(role).get("/").content.decode()
    for label in shown:
        assert f">{label}</a>" in text
    for label in hidden:
        assert f">{label}</a>" not in text
