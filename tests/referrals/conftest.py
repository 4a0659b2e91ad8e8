import datetime
import re
from html.parser import HTMLParser

import pytest

from districts.models import Buurtteam, District
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.referrals.services import register_referral

SAMPLE_AGB = ["10116225", "13063077", "17105493", "28073946", "63003158", "75039087",
              "83058805", "87137463", "98094829"]  # fmt: skip

HEADER = (
    "referral_id,bsn,district,service_type,provider_agb,contractor_agb,referral_date,start_date,"
    "end_date,end_reason,cancelled_date,group_based"
)

REFERRALS_CSV = (
    HEADER
    + """
R00000,418820028,WK034408,dagbegeleiding,13063077,13063077,2026-06-30,2026-07-01,,,,true
R00001,251377908,WK034408,arbeidsmatige_activering,83058805,83058805,2026-07-01,2026-09-30,2026-09-30,19,,false
R00002,717429246,WK034402,dagbegeleiding,98094829,98094829,2026-09-30,,,,2026-10-01,1
R00003,373197688,WK034409,individuele_begeleiding,87137463,,2026-04-01,2026-06-30,2026-07-01,31,,nee
R00004,251377908,WK034405,ambulante_begeleiding,75039087,63003158,2025-08-17,2025-09-16,,,,nee
R00007,624207055,WK034401,individuele_begeleiding,28073946,,2025-05-03,,,,,nee
"""
)

REFERRALS_NL_CSV = (
    "\ufeff"
    + HEADER.replace(",", ";")
    + """
R00000;418820028;WK034408;dagbegeleiding;13063077;13063077;30-06-2026;01-07-2026;;;;true
R00001;251377908;WK034408;arbeidsmatige_activering;83058805;83058805;01-07-2026;30-09-2026;30-09-2026;19;;false
R00002;717429246;WK034402;dagbegeleiding;98094829;98094829;30-09-2026;;;;01-10-2026;1
R00003;373197688;WK034409;individuele_begeleiding;87137463;;01-04-2026;30-06-2026;01-07-2026;31;;nee
R00004;251377908;WK034405;ambulante_begeleiding;75039087;63003158;17-08-2025;16-09-2025;;;;nee
R00007;624207055;WK034401;individuele_begeleiding;28073946;;03-05-2025;;;;;nee
"""
)

CASES_CSV = """case_id,bsn,district,team,registration_date,first_contact_date,closed_date,support_form
C00000,408316007,WK034410,BT15,2026-04-24,2026-04-28,,individual
C00001,348604695,WK034405,BT01,2026-05-13,2026-05-20,,individual
C00005,861793754,WK034402,BT08,2025-12-23,2025-12-26,2026-04-13,group
C00007,251377908,WK034402,BT05,2026-05-08,2026-05-11,2026-05-25,blended
"""

VALID_BSN = "111222333"


class _Table(HTMLParser):
    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with this id, each as its cells' text (header row dropped)."""
    parser = _Table(table_id)
    parser.feed(html)
    return parser.rows[1:]


def field_error(response, field_id: str) -> str:
    """The text of the error block the template puts next to a field (`<id>-fout`)."""
    html = response.content.decode()
    found = re.search(rf'id="{field_id}-fout"[^>]*>(.*?)</div>', html, re.S)
    assert found, f"no error shown next to #{field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def action_forms(response) -> list[str]:
    return re.findall(r'class="utrecht-form wmo-form ref-action" novalidate aria-label="([^"]+)"',
                      response.content.decode())  # fmt: skip


@pytest.fixture
def providers(db):
    return {agb: Provider.objects.create(agb_code=agb, name=f"Aanbieder {agb}", kind="care_provider")
            for agb in SAMPLE_AGB}  # fmt: skip


@pytest.fixture
def make_referral(providers):
    """make_referral(team_code="BT05", **dates) -> a referral registered by that team."""

    def build(team_code="BT05", referral_date=None, user=None, **kwargs):
        team = Buurtteam.objects.get(code=team_code)
        referral = register_referral(
            user=user, bsn=VALID_BSN, district=District.objects.get(code="WK034403"),
            service_type=ServiceType.objects.get(code="dagbegeleiding"),
            provider=providers["13063077"], team=team,
            referral_date=referral_date or datetime.date(2026, 3, 2),
        )  # fmt: skip
        if kwargs:
            type(referral).objects.filter(pk=referral.pk).update(**kwargs)
            referral.refresh_from_db()
        return referral

    return build


@pytest.fixture
def contracts(providers):
    """Dagbegeleiding in WK034403 (BT05's wijk) and WK034401, 2025–2027, held by 13063077:
    83058805 subcontracts in all the contract's wijken, 28073946 only in WK034401, 87137463 only
    for arbeidsmatige activering (so not for dagbegeleiding). No contract covers WK034405."""
    from providers.models import Contract, Subcontract

    D = datetime.date
    service = ServiceType.objects.get(code="dagbegeleiding")
    contract = Contract.objects.create(
        reference="DB-2025", name="Dagbegeleiding", contractor=providers["13063077"],
        instrument="public_contract", financing="lump_sum",
        start_date=D(2025, 1, 1), end_date=D(2027, 12, 31),
    )  # fmt: skip
    contract.service_types.add(service)
    contract.districts.add(*District.objects.filter(code__in=["WK034403", "WK034401"]))

    def subcontract(agb, districts=(), services=()):
        sub = Subcontract.objects.create(contract=contract, subcontractor=providers[agb],
                                         annual_value=10_000, start_date=D(2025, 1, 1),
                                         end_date=D(2027, 12, 31))  # fmt: skip
        sub.districts.add(*District.objects.filter(code__in=districts))
        sub.service_types.add(*ServiceType.objects.filter(code__in=services))
        return sub

    subcontract("83058805")
    subcontract("28073946", districts=["WK034401"])
    subcontract("87137463", services=["arbeidsmatige_activering"])
    return contract
