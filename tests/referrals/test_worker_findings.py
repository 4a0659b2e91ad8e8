"""What a buurtteam worker found on the referral and case pages: paging that lost the case
filter, a predecessor error shown only in the summary, bare 405 pages after a refused action,
and a predecessor's page that did not name its successor."""

import datetime
import re

import pytest
from django.test import Client

from districts.models import Buurtteam
from wmo.referrals import views
from wmo.referrals.models import BuurtteamCase

from .conftest import field_error
from .test_pages import form_data

D = datetime.date


def _cases(referral, count: int, closed: bool):
    BuurtteamCase.objects.bulk_create([
        BuurtteamCase(external_id=f"C{closed:d}{n:04d}", client=referral.client,
                      district=referral.district, buurtteam=referral.team,
                      registration_date=D(2026, 3, 2), support_form="group",
                      closed_date=D(2026, 4, 1) if closed else None)
        for n in range(count)
    ])  # fmt: skip


def _next_page(html: str) -> str:
    found = re.search(r'<a class="utrecht-link" href="([^"]+)">Volgende pagina</a>', html)
    assert found, "no next-page link"
    return found.group(1).replace("&amp;", "&")


def test_all_cases_keep_their_filter_when_paging(client_for, make_referral, monkeypatch):
    # Before: the next-page link of ?status=alle was ?page=2, the open cases' second page.
    monkeypatch.setattr(views.CaseListView, "paginate_by", 2)
    referral = make_referral(team_code="BT05")
    _cases(referral, 3, closed=True)
    _cases(referral, 1, closed=False)
    client = client_for("buurtteam_worker", team_code="BT05")
    first = client.get("/verwijzingen/casussen/?status=alle")
    assert _next_page(first.content.decode()) == "?status=alle&page=2"
    second = client.get("/verwijzingen/casussen/" + _next_page(first.content.decode()))
    assert second.context["paginator"].count == 4 and second.context["page_obj"].number == 2


def test_in_care_pages_on(client_for, make_referral, monkeypatch):
    monkeypatch.setattr(views.InCareListView, "paginate_by", 1)
    for _ in range(2):
        make_referral(team_code="BT05", start_date=D(2026, 3, 4))
    client = client_for("buurtteam_worker", team_code="BT05")
    first = client.get("/verwijzingen/in-zorg/")
    assert _next_page(first.content.decode()) == "?page=2"
    assert client.get("/verwijzingen/in-zorg/?page=2").context["page_obj"].number == 2


def test_unknown_predecessor_is_shown_at_its_field(client_for, providers):
    # Before: the service's `previous` error went to the summary only (the field is previous_id).
    client = client_for("buurtteam_worker", team_code="BT05")
    response = client.post(
        "/verwijzingen/registreren/", form_data(providers, previous_id="NOPE-123")
    )
    assert "De vorige verwijzing NOPE-123 is onbekend." in field_error(response, "id_previous_id")
    assert re.search(r'<input[^>]*name="previous_id"[^>]*aria-invalid="true"',
                     response.content.decode())  # fmt: skip


REFERRAL_ACTIONS = ["toewijzen", "starten", "beeindigen", "annuleren"]
CASE_STEPS = ["eerste-contact", "afsluiten"]


@pytest.fixture
def case(make_referral):
    referral = make_referral(team_code="BT05")
    _cases(referral, 1, closed=False)
    return referral, BuurtteamCase.objects.get()


@pytest.mark.parametrize("action", REFERRAL_ACTIONS)
def test_get_of_a_referral_action_goes_to_the_referral(client_for, case, action):
    # Before: a refresh after a refused action, or the language switch, gave a bare 405.
    referral, _case = case
    page = f"/verwijzingen/{referral.external_id}/"
    response = client_for("buurtteam_worker", team_code="BT05").get(f"{page}{action}/")
    assert (response.status_code, response["Location"]) == (302, page)
    assert (
        client_for("buurtteam_worker", team_code="BT01").get(f"{page}{action}/").status_code == 404
    )
    assert client_for("council_member").get(f"{page}{action}/").status_code == 403
    anonymous = Client().get(f"{page}{action}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/inloggen/")
    assert client_for("contract_manager").get(f"{page}onzin/").status_code == 404


@pytest.mark.parametrize("step", CASE_STEPS)
def test_get_of_a_case_step_goes_to_the_case(client_for, case, step):
    _referral, record = case
    page = f"/verwijzingen/casussen/{record.external_id}/"
    response = client_for("buurtteam_worker", team_code="BT05").get(f"{page}{step}/")
    assert (response.status_code, response["Location"]) == (302, page)
    assert client_for("buurtteam_worker", team_code="BT01").get(f"{page}{step}/").status_code == 404
    assert client_for("council_member").get(f"{page}{step}/").status_code == 403
    anonymous = Client().get(f"{page}{step}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/inloggen/")


def test_language_switch_after_a_refused_action(client_for, case):
    referral, _case = case
    client = client_for("buurtteam_worker", team_code="BT05")
    action = f"/verwijzingen/{referral.external_id}/toewijzen/"
    assert client.post(action, {"date": "01-01-2020"}).status_code == 400
    switched = client.post("/taal/", {"language": "en", "next": action}, follow=True)
    assert switched.status_code == 200
    assert switched.redirect_chain[-1][0] == f"/verwijzingen/{referral.external_id}/"


def test_predecessor_names_its_successor(client_for, make_referral, providers):
    from .test_succession import register

    first = make_referral(team_code="BT05")
    client = client_for("buurtteam_worker", team_code="BT05")
    assert (
        "Opgevolgd door" not in client.get(f"/verwijzingen/{first.external_id}/").content.decode()
    )
    second = register(providers, previous_id=first.external_id)
    html = client.get(f"/verwijzingen/{first.external_id}/").content.decode()
    link = f'<a href="/verwijzingen/{second.external_id}/">{second.external_id}</a>'
    assert f"<dt>Opgevolgd door</dt><dd>{link}</dd>" in html


def test_another_teams_successor_is_not_named(client_for, make_referral, providers):
    from .test_succession import register

    first = make_referral(team_code="BT05")
    theirs = register(providers, previous_id=first.external_id)
    type(theirs).objects.filter(pk=theirs.pk).update(team=Buurtteam.objects.get(code="BT01"))
    html = (
        client_for("buurtteam_worker", team_code="BT05")
        .get(f"/verwijzingen/{first.external_id}/")
        .content.decode()
    )
    assert "<dt>Opgevolgd door</dt><dd>een verwijzing van een ander buurtteam</dd>" in html
    assert theirs.external_id not in html
    manager = client_for("contract_manager").get(f"/verwijzingen/{first.external_id}/")
    assert f'href="/verwijzingen/{theirs.external_id}/"' in manager.content.decode()


def test_english_bsn_error_and_history(client_for, make_referral, providers):
    # Before: the BSN check and the history's source and value labels stayed Dutch.
    client = client_for("buurtteam_worker", team_code="BT05")
    client.post("/taal/", {"language": "en", "next": "/"})
    refused = client.post("/verwijzingen/registreren/", form_data(providers, bsn="111222334"))
    assert "This is not a valid BSN" in field_error(refused, "id_bsn")
    referral = make_referral(team_code="BT05")
    html = client.get(f"/verwijzingen/{referral.external_id}/").content.decode()
    from .conftest import table_rows

    history = table_rows(html, "geschiedenis")
    assert history[0][2] == "form"
    assert history[0][5].startswith("district: WK034403; service: dagbegeleiding;")


BSN_SAID = "Het BSN wordt gecontroleerd en niet bewaard; alleen een sleutel die er niet naar terug te rekenen is."


@pytest.mark.parametrize(
    "url", ["/verwijzingen/registreren/", "/verwijzingen/casussen/registreren/"]
)
def test_the_bsn_is_described_one_way(client_for, db, url):
    # Before: the intro said "als versleutelde sleutel bewaard", the field "niet bewaard". What
    # is kept is a keyed hash (pseudonyms.py), not an encryption that a key would undo.
    client = client_for("buurtteam_worker", team_code="BT05")
    html = client.get(url).content.decode()
    intro = re.search(r'<p class="utrecht-paragraph">Velden zonder.*?</p>', html, re.S).group()
    assert BSN_SAID in intro
    assert re.search(r'id="id_bsn-hint">\s*9 cijfers\. ' + re.escape(BSN_SAID), html)
    assert "versleutel" not in html
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    said = (
        "The BSN is checked and not stored; only a key from which it cannot be worked out is kept."
    )
    assert english.count(said) == 2 and "encrypted" not in english


def test_the_api_describes_the_bsn_as_the_pages_do(client_for, db):
    schema = client_for("contract_manager").get("/api/v1/openapi.json").json()
    described = {
        name: body["properties"]["bsn"].get("description", "")
        for name, body in schema["components"]["schemas"].items()
        if "bsn" in body.get("properties", {})
    }
    assert described  # the referral's and the case's request bodies
    for name, text in described.items():
        assert "nooit opgeslagen" in text and "niet naar terug te rekenen" in text, name
