"""The continuity monitor's page: what each role sees, downloads, the audit trail."""

import csv
import datetime
import io

import pytest

from districts.models import Buurtteam
from tests.access import ROLES, Access, call
from wmo.accounts.models import AuditEntry
from wmo.referrals import rules
from wmo.referrals.models import Referral

from .test_transition import crafted  # noqa: F401 (fixture)

URL = "/dashboard/overgang/"
Q = "?overgang=2026-12-31&peildatum=2027-02-01"
LOGIN = 302


def expect(cm, bw, co):
    return {"anonymous": LOGIN, "contract_manager": cm, "buurtteam_worker": bw,
            "council_member": co}  # fmt: skip


MATRIX = [
    Access("GET", URL, expect(200, 200, 200)),
    Access("GET", f"{URL}?formaat=csv", expect(200, 200, 403)),
    Access("GET", f"{URL}?formaat=xlsx&tabel=onopgelost", expect(200, 200, 403)),
    Access("GET", f"{URL}?formaat=csv&tabel=aantallen", expect(200, 200, 200)),
    Access("GET", f"{URL}?formaat=xlsx&tabel=aantallen", expect(200, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_matrix(client_for, db, row, role):
    response = call(client_for(role, team_code="BT05"), row)
    assert response.status_code == row.expected[role]
    if role == "anonymous":
        assert "/account/inloggen/" in response["Location"]


@pytest.fixture
def teams(crafted):  # noqa: F811
    Referral.objects.filter(external_id="P5").update(team=Buurtteam.objects.get(code="BT05"))
    Referral.objects.filter(external_id="P11").update(team=Buurtteam.objects.get(code="BT01"))
    return crafted


def test_contract_manager_sees_counts_and_the_whole_list(client_for, teams):
    response = client_for("contract_manager").get(URL + Q)
    html = response.content.decode()
    assert response.status_code == 200
    assert all(rid in html for rid in ("P5", "P10", "P11"))
    assert 'id="overgang-opdrachtnemer"' in html and "14,0" in html
    # Every table is named; the wijken come before any U16 municipality.
    assert "Per wijk, dan per U16-gemeente</caption>" in html
    assert "Verwijzingen zonder opvolger en zonder reden van beëindiging</caption>" in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS)
    assert entry.content_type.model == "referral"
    assert client_for("contract_manager").get(URL + Q + "&formaat=xlsx").status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_the_list_comes_in_pages_with_the_whole_count(client_for, teams, monkeypatch):
    from indicators.dashboards import transition

    monkeypatch.setattr(transition, "LIST_PAGE", 2)
    client = client_for("contract_manager")
    first = client.get(URL + Q).content.decode()
    second = client.get(URL + Q + "&page=2").content.decode()
    assert "3 cliënten." in first and "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
    assert 'href="?overgang=2026-12-31&amp;peildatum=2027-02-01&amp;page=2"' in first
    shown = [
        [rid for rid in ("P5", "P10", "P11") if f">{rid}<" in html] for html in (first, second)
    ]
    assert sorted(shown[0] + shown[1]) == ["P10", "P11", "P5"] and len(shown[0]) == 2
    # Each page's referrals are an audit-trail line of their own.
    lines = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).order_by("pk")
    assert [len(line.record_ids) for line in lines] == [2, 1]


def test_buurtteam_sees_only_its_own_unresolved_clients(client_for, teams):
    client = client_for("buurtteam_worker", team_code="BT05")
    html = client.get(URL + Q).content.decode()
    assert ">P5<" in html and ">P11<" not in html and ">P10<" not in html
    response = client.get(URL + Q + "&formaat=csv")
    # Streamed: the list is read in chunks while it is sent (it can hold every client in care).
    assert response.streaming
    download = b"".join(response.streaming_content).decode()
    assert [line.split(";")[0] for line in download.splitlines()[1:]] == ["P5"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_council_sees_suppressed_counts_never_a_list(client_for, teams):
    html = client_for("council_member").get(URL + Q).content.decode()
    assert "onopgelost" not in html and ">P5<" not in html
    # The unresolved: 2 in WK034403 and 1 in WK034401: both `<5`; 9 to transfer in total.
    assert "&lt;5" in html and ">9<" in html
    assert "14,0" not in html  # no care-gap figures for the council
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_defaults_are_the_day_and_today(client_for, teams, monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: datetime.date(2027, 2, 1))
    html = client_for("contract_manager").get(URL).content.decode()
    assert "31-12-2026" in html


def test_pilot_referrals_counted_on_their_own(client_for, teams):
    from wmo.catalogue.models import ServiceType

    p1 = Referral.objects.get(external_id="P1")
    Referral.objects.create(
        external_id="BT1", client=p1.client, district=p1.district,
        service_type=ServiceType.objects.get(code="beschermd_thuis"), provider=p1.provider,
        contractor=p1.contractor, referral_date=datetime.date(2027, 1, 20), pilot=True,
    )  # fmt: skip
    html = client_for("contract_manager").get(URL + Q).content.decode()
    assert "Beschermd Thuis (2027–2028): 1." in html
    html = client_for("contract_manager").get(URL + "?peildatum=2027-01-19").content.decode()
    assert "Beschermd Thuis (2027–2028): 0." in html


@pytest.mark.parametrize(
    ("query", "reason"),
    [("overgang=9999-12-31", "Overgangsdag: De datum ligt tussen 01-01-2000 en 31-12-2100."),
     ("peildatum=9999-12-31", "Peildatum: De datum ligt tussen 01-01-2000 en 31-12-2100."),
     ("overgang=0001-01-01", "Overgangsdag: De datum ligt tussen 01-01-2000 en 31-12-2100."),
     ("peildatum=morgen", "Peildatum: Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2026-12-31.")],
)  # fmt: skip
@pytest.mark.parametrize("role", ["contract_manager", "council_member"])
def test_a_bad_date_is_refused_on_the_page(client_for, db, query, reason, role):
    # 9999-12-31 has no next day: the monitor's count of contracts in force then raised
    # OverflowError (a 500); the page now refuses it as the API does, beside the field.
    response = client_for(role).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_date_gives_no_download(client_for, db, fmt):
    # Never the default day's figures under a date that was refused.
    client = client_for("contract_manager")
    for query in ("overgang=9999-12-31", "peildatum=morgen"):
        response = client.get(f"{URL}?{query}&formaat={fmt}&tabel=aantallen")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert "De datum ligt tussen" in response.content.decode() or "JJJJ-MM-DD" in (
            response.content.decode()
        )
        assert "Content-Disposition" not in response


@pytest.mark.parametrize("role", ["council_member", "buurtteam_worker"])
def test_the_council_downloads_the_counts_it_is_shown(client_for, crafted, role):  # noqa: F811
    client = client_for(role, team_code="BT05")
    html = client.get(URL + Q).content.decode()
    assert "tabel=aantallen&amp;formaat=csv" in html
    response = client.get(f"{URL}{Q}&tabel=aantallen&formaat=csv")
    assert response.status_code == 200
    assert 'filename="overgang_2026-12-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["indeling", "code", "naam", "to_transfer", "planned", "transferred",
                       "same_provider", "unresolved"]  # fmt: skip
    by_key = {(row[0], row[1]): row[3:] for row in rows[1:-1]}
    # The same cells as the page and the API (test_transition_api): 9 to transfer of which
    # WK034401's 1 is `<5` and WK034403's 8 is hidden to protect it; 3 unresolved is `<5`.
    assert by_key["totaal", ""][0] == "9" and by_key["totaal", ""][4] == "<5"
    assert by_key["wijk", "WK034401"][0] == "<5"
    assert by_key["wijk", "WK034403"][0] == "<5*"
    assert rows[-1] == ["* afgeschermd om herleiding te voorkomen"]
    # No care-gap days and no figure of 1–4 in the file.
    assert not any(cell in {"1", "2", "3", "4"} for row in rows[1:] for cell in row[3:])
    xlsx = client.get(f"{URL}{Q}&tabel=aantallen&formaat=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
