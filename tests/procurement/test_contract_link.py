"""The contract that came out of the tender: linked from the tender (demo, award form, API) and
drawn on the timeline with its extension options next to the tender's own options."""

import datetime
import random
import re

import pytest

from procurement.demo import seed_tender_links
from procurement.models import Candidate, Tender, TenderOption
from procurement.selectors import extension_options, timeline, timeline_tender
from providers.demo import seed_providers
from providers.models import Consortium, Contract, ContractOption, Provider
from tests.conftest import data_for_module

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo's providers, contracts and tender links, seeded once for this module's tests."""
    with data_for_module(django_db_blocker):
        seed_providers(random.Random(2027))
        seed_tender_links()
        yield


@pytest.fixture
def contract(_demo, db):
    return Contract.objects.get(reference="AZ-2027-STAD")


def test_demo_links_the_tender_to_its_contract(contract):
    assert Tender.objects.get(reference="30209886").contract == contract
    assert contract.tenders.get().reference == "30209886"


def test_extension_periods_and_statuses():
    contract = Contract(
        start_date=D(2027, 1, 1), end_date=D(2030, 12, 31), extension_count=2,
        extension_months=24, extensions_exercised=0,
    )  # fmt: skip
    rows = extension_options(contract, today=D(2026, 6, 1))
    assert [(o.number, o.start, o.end, o.status) for o in rows] == [
        (1, D(2031, 1, 1), D(2032, 12, 31), "open"),
        (2, D(2033, 1, 1), D(2034, 12, 31), "open"),
    ]
    contract.extensions_exercised = 1
    rows = extension_options(contract, today=D(2033, 1, 1))
    assert [(o.status, o.status_label) for o in rows] == [
        ("exercised", "Gelicht"),
        ("lapsed", "Vervallen"),  # its first day came without it being exercised
    ]
    assert extension_options(contract, today=D(2032, 12, 31))[1].status == "open"
    assert extension_options(None) == []
    contract.extension_count = 0
    assert extension_options(contract) == []


def test_timeline_rows_for_the_contract_and_its_extensions(contract):
    tender = timeline_tender()
    data = timeline(tender, today=D(2026, 6, 1), can_view_contracts=True)
    group = next(g for g in data["groups"] if g["code"] == "options")
    detail = f"/contracten/{contract.pk}/"
    rows = [(i.title, i.planned_label, i.status, i.related_url) for i in group["items"]]
    assert rows == [
        ("Looptijd contract AZ-2027-STAD", "1 januari 2027 t/m 31 december 2030", "upcoming",
         detail),
        ("Pilots Beschermd Thuis (24/7 ambulante begeleiding) met nieuwe instroom", "2027–2028",
         "open", detail),
        ("Besluit over Beschermd Thuis vanaf 2029, samen met de U16", "vanaf 2029", "open", ""),
        ("Verlengingsoptie 1 van 2 (24 maanden)", "1 januari 2031 t/m 31 december 2032", "open",
         detail),
        ("Heroverwegingsclausule: hulp bij het huishouden toevoegen",
         "gericht op 2031, eerder als evaluaties daartoe aanleiding geven", "open", detail),
        ("Verlengingsoptie 2 van 2 (24 maanden)", "1 januari 2033 t/m 31 december 2034", "open",
         detail),
    ]  # fmt: skip
    by_title = {i.title: i for i in group["items"]}
    pilots = by_title["Pilots Beschermd Thuis (24/7 ambulante begeleiding) met nieuwe instroom"]
    assert pilots.related_label == (
        "Contractoptie in AZ-2027-STAD: Pilots Beschermd Thuis met nieuwe instroom"
    )
    first = by_title["Verlengingsoptie 1 van 2 (24 maanden)"]
    second = by_title["Verlengingsoptie 2 van 2 (24 maanden)"]
    assert first.axis_note == "loopt door na 2031"
    assert (second.planned.left, second.planned.width) == (99.5, 0.5)
    assert second.axis_note == "na 2031, buiten de tijdlijn"
    assert by_title["Looptijd contract AZ-2027-STAD"].axis_note == ""
    # Without access to contracts the rows still say which contract option, without a link.
    plain = timeline(tender, today=D(2026, 6, 1), can_view_contracts=False)
    plain_rows = next(g for g in plain["groups"] if g["code"] == "options")["items"]
    assert {i.related_url for i in plain_rows} == {""}
    assert plain_rows[0].url == "/aanbesteding/30209886/#contract"


@pytest.mark.parametrize(
    ("role", "linked"),
    [("contract_manager", True), ("council_member", True), ("buurtteam_worker", False)],
)
def test_timeline_page_links_the_contract_where_the_role_may_open_it(
    client_for, contract, role, linked
):
    page = client_for(role).get("/aanbesteding/").content.decode()
    assert "Verlengingsoptie 2 van 2 (24 maanden)" in page
    assert "Periode: 1 januari 2031 t/m 31 december 2032 (loopt door na 2031)" in page
    assert "Periode: 1 januari 2033 t/m 31 december 2034 (na 2031, buiten de tijdlijn)" in page
    assert "Contractoptie in AZ-2027-STAD: Pilots Beschermd Thuis met nieuwe instroom" in page
    link = f'<a class="utrecht-link" href="/contracten/{contract.pk}/">Verlengingsoptie in contract'
    assert (link in page) is linked
    # Both the visual timeline and the table say it.
    assert page.count("Verlengingsoptie 1 van 2 (24 maanden)") == 2


@pytest.mark.parametrize(
    ("role", "linked"),
    [("contract_manager", True), ("council_member", True), ("buurtteam_worker", False)],
)
def test_tender_page_shows_the_contract_and_extensions(client_for, contract, role, linked):
    page = client_for(role).get("/aanbesteding/30209886/").content.decode()
    text = "AZ-2027-STAD Stedelijke contractpartij aanvullende zorg 2027–2030"
    assert text in page
    assert (f'href="/contracten/{contract.pk}/">{text}</a>' in page) is linked
    assert "Verlengingsoptie 2 van 2 (24 maanden)" in page
    assert "1 januari 2033 t/m 31 december 2034" in page
    pilots = f'href="/contracten/{contract.pk}/">AZ-2027-STAD: Pilots Beschermd Thuis met'
    assert (pilots in page) is linked
    # Extensions are changed on the contract itself; only contract managers get that link.
    edit = f'href="/contracten/{contract.pk}/wijzigen/">Wijzig in het contract'
    assert (edit in page) is (role == "contract_manager")


def test_tender_page_without_contract(council_client):
    Tender.objects.filter(reference="30209886").update(contract=None)  # seeded or not
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert '<dt id="contract">Contract</dt><dd>nog niet vastgelegd' in page
    assert "Verlengingsoptie" not in page


def test_api_shows_and_sets_the_contract(contract, council_client, contract_manager_client):
    body = council_client.get("/api/v1/aanbestedingen/30209886").json()
    assert (body["contract"], body["contractKenmerk"]) == (contract.pk, "AZ-2027-STAD")
    url = "/api/v1/aanbestedingen/30209886"
    response = contract_manager_client.patch(
        url, {"contract": None}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["contract"], response.json()["contractKenmerk"]) == (None, None)
    assert Tender.objects.get(reference="30209886").contract is None
    response = contract_manager_client.patch(
        url, {"contract": contract.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert Tender.objects.get(reference="30209886").contract == contract
    response = contract_manager_client.patch(
        url, {"contract": 999999}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "contract"


def _other_consortium():
    main = Provider.objects.create(
        agb_code="97000001", name="Andere Hoofdaannemer", kind="care_provider"
    )
    return Consortium.objects.create(
        name="Ander Verband", form="main_contractor", main_contractor=main
    )


def test_award_form_links_a_contract_and_refuses_another_consortiums(
    contract, contract_manager_client
):
    tender = Tender.objects.get(reference="30209886")
    tender.contract = None
    tender.save()
    winner = Candidate.objects.get(tender=tender, consortium=contract.consortium)
    form = {"awarded_candidate": winner.pk, "standstill_days": 20, "contract": contract.pk}
    response = contract_manager_client.post("/aanbesteding/30209886/gunning/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    tender.refresh_from_db()
    assert (tender.contract, tender.awarded_candidate) == (contract, winner)

    loser = Candidate.objects.create(
        tender=tender, name="Ander Verband", consortium=_other_consortium()
    )
    response = contract_manager_client.post(
        "/aanbesteding/30209886/gunning/",
        {**form, "awarded_candidate": loser.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is niets opgeslagen." in page
    assert (
        "Contract: Dit contract is gesloten met een ander samenwerkingsverband dan de gegunde "
        "kandidaat." in page
    )
    tender.refresh_from_db()
    assert tender.awarded_candidate == winner


def test_option_decision_is_recorded_and_shown(contract, contract_manager_client):
    option = TenderOption.objects.get(code="bt_pilots_2027_2028")
    url = f"/aanbesteding/opties/{option.pk}/wijzigen/"
    form = contract_manager_client.get(url).content.decode()
    # Only the options of the tender's own contract can be chosen.
    select = re.search(r'<select name="contract_option".*?</select>', form, re.S).group(0)
    assert select.count("<option ") == 1 + contract.options.count()
    assert "AZ-2027-STAD: Pilots Beschermd Thuis met nieuwe instroom" in form
    response = contract_manager_client.post(
        url,
        {"status": "exercised", "decision_date": "2026-12-15",
         "contract_option": option.contract_option_id, "description": "Gelicht in december."},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == "/aanbesteding/30209886/#opties"
    assert "Status: Gelicht." in response.content.decode()
    option.refresh_from_db()
    assert (option.status, option.decision_date) == ("exercised", D(2026, 12, 15))
    timeline_page = contract_manager_client.get("/aanbesteding/").content.decode()
    assert "Besluit: 15 december 2026" in timeline_page
    assert f'href="/aanbesteding/opties/{option.pk}/wijzigen/"' in timeline_page


def test_option_errors_are_dutch_and_save_nothing(contract, contract_manager_client):
    option = TenderOption.objects.get(code="bt_pilots_2027_2028")
    before = option.contract_option_id
    other = ContractOption.objects.exclude(contract=contract).first() or ContractOption.objects.create(
        contract=Contract.objects.exclude(pk=contract.pk).first(), name="Andere optie",
        decision_date=D(2026, 1, 1),
    )  # fmt: skip
    url = f"/aanbesteding/opties/{option.pk}/wijzigen/"
    response = contract_manager_client.post(url, {"status": "lapsed", "decision_date": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Besluitdatum: Vul de besluitdatum in: een gelichte of vervallen optie is een besluit."
        in page
    )
    # An option of another contract is not even offered once the tender has its contract.
    response = contract_manager_client.post(
        url, {"status": "open", "decision_date": "", "contract_option": other.pk}
    )
    assert "Contractoptie: Selecteer een geldige keuze." in response.content.decode()
    option.refresh_from_db()
    assert (option.status, option.decision_date, option.contract_option_id) == (
        "open",
        None,
        before,
    )


def test_option_of_another_contract_is_refused_by_the_model(contract):
    from django.core.exceptions import ValidationError

    option = TenderOption.objects.get(code="bt_pilots_2027_2028")
    option.contract_option = ContractOption.objects.create(
        contract=Contract.objects.exclude(pk=contract.pk).first(),
        name="x",
        decision_date=D(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        option.full_clean()
    assert error.value.message_dict["contract_option"] == [
        "Deze contractoptie hoort bij een ander contract dan het contract van de aanbesteding."
    ]


@pytest.mark.parametrize("url", ["/aanbesteding/", "/aanbesteding/30209886/"])
def test_pages_with_the_contract_run_a_fixed_number_of_queries(
    contract, council_client, django_assert_max_num_queries, url
):
    council_client.get(url)
    with django_assert_max_num_queries(20):
        assert council_client.get(url).status_code == 200


def test_calendar_has_the_extension_options(contract, council_client):
    from icalendar import Calendar

    events = {
        str(e["UID"]): e
        for e in Calendar.from_ical(council_client.get("/aanbesteding/planning.ics").content).walk(
            "VEVENT"
        )
    }
    assert len(events) == 22 + 3 + 1 + 2
    second = events[
        f"aanbesteding-30209886-contract-{contract.pk}-verlenging-2@wmo-aanvullende-zorg.utrecht.nl"
    ]
    assert second.decoded("DTSTART") == D(2033, 1, 1)
    assert str(second["SUMMARY"]) == "Verlengingsoptie 2: contract AZ-2027-STAD"
    assert "01-01-2033 t/m 31-12-2034" in str(second["DESCRIPTION"])
