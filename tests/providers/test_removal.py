"""Removing a contract's values, options, subcontracts and wijkteams (wmo.versions.delete_versioned):
after a confirmation page that shows what is stored; refused when someone changed the record
since the page was opened, and a subcontract while its subcontractor runs a wijkteam of the
contract (Subcontract.removal_refusal) — on the pages and in the API alike."""

import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from districts.models import District
from providers.models import Consortium, ContractValue, DistrictTeam, Provider, Subcontract
from tests.factories import make_user

from .factories import (
    ConsortiumFactory,
    ContractFactory,
    DistrictTeamFactory,
    ProviderFactory,
    SubcontractFactory,
)
from .test_child_versions import a_value, an_option
from .test_versions import hidden_version, manager

pytestmark = pytest.mark.django_db


def a_subcontract():
    contract = ContractFactory(reference="OOST-5")
    return SubcontractFactory(contract=contract, subcontractor=ProviderFactory(name="Buurtkracht"))


def a_team():
    return DistrictTeamFactory(contract=ContractFactory(reference="OOST-6"), name="Team Oost")


# kind: (make, URL part, where the removal leads, title, a fact the page shows, success message)
RECORDS = {
    "jaarwaarde": (a_value, "jaarwaarden", "", "Jaarwaarde verwijderen — OOST-3",
                   "<dt>Jaarwaarde (€)</dt><dd>1.000,00</dd>",
                   "Jaarwaarde OOST-3 2026: € 1.000,00 is verwijderd."),
    "contractoptie": (an_option, "opties", "", "Contractoptie verwijderen — OOST-4",
                      "<dd>Pilots</dd>", "Contractoptie Pilots is verwijderd."),
    "onderaanneming": (a_subcontract, "onderaannemingen", "structuur/",
                       "Onderaanneming verwijderen — OOST-5", "<dd>Buurtkracht</dd>",
                       "Onderaanneming Buurtkracht in OOST-5 is verwijderd."),
    "wijkteam": (a_team, "wijkteams", "structuur/", "Wijkteam verwijderen — OOST-6",
                 "<dd>Team Oost</dd>", "Wijkteam Team Oost is verwijderd."),
}  # fmt: skip


@pytest.mark.parametrize("kind", RECORDS)
def test_a_contract_manager_confirms_and_the_record_is_gone(kind):
    make, part, lands_on, title, fact, done = RECORDS[kind]
    record = make()
    model = type(record)
    edit = f"/contracten/{record.contract_id}/{part}/{record.pk}/"
    anna = manager("Anna")
    # The edit page leads to the removal page.
    assert f'href="{edit}verwijderen/"' in anna.get(edit).content.decode()
    page = anna.get(f"{edit}verwijderen/").content.decode()
    assert f'<h1 class="utrecht-heading-1">{title}</h1>' in page
    assert fact in page
    assert "Verwijderen kan niet ongedaan worden gemaakt." in page
    assert hidden_version(page) == "1"
    response = anna.post(f"{edit}verwijderen/", {"version": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/contracten/{record.contract_id}/{lands_on}"
    assert done in response.content.decode()
    assert not model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_changed_since_the_page_was_opened_stays(kind):
    make, part, *_ = RECORDS[kind]
    record = make()
    model = type(record)
    url = f"/contracten/{record.contract_id}/{part}/{record.pk}/verwijderen/"
    anna = manager("Anna")
    assert hidden_version(anna.get(url).content.decode()) == "1"
    model.objects.filter(pk=record.pk).update(version=2)  # Bram saved it meanwhile
    refused = anna.post(url, {"version": "1"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "(u bewerkte versie 1, nu is het versie 2)" in html
    assert "Er is niets verwijderd; bevestig opnieuw als u dit wilt verwijderen." in html
    # Confirming again, now having seen version 2, removes it.
    assert hidden_version(html) == "2"
    assert model.objects.filter(pk=record.pk).exists()
    assert anna.post(url, {"version": "2"}).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()


def test_a_removal_without_the_version_removes_nothing():
    value = a_value()
    url = f"/contracten/{value.contract_id}/jaarwaarden/{value.pk}/verwijderen/"
    response = manager("Anna").post(url, {"version": "x"})
    assert response.status_code == 200
    assert ("De versie van het formulier ontbreekt of is ongeldig; open de pagina opnieuw en "
            "breng uw wijzigingen opnieuw aan.") in response.content.decode()  # fmt: skip
    assert ContractValue.objects.filter(pk=value.pk).exists()


def test_a_record_someone_else_removed_is_reported_not_an_error():
    team = a_team()
    url = f"/contracten/{team.contract_id}/wijkteams/{team.pk}/verwijderen/"
    anna = manager("Anna")
    anna.get(url)
    DistrictTeam.objects.filter(pk=team.pk).delete()
    response = anna.post(url, {"version": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/contracten/{team.contract_id}/structuur/"
    assert f"Wijkteam {team.pk} bestaat niet meer" in response.content.decode()


RUNS_A_TEAM = ("Deze onderaanneming kan niet worden verwijderd: Buurtkracht voert het wijkteam "
               "Team Buurtkracht van dit contract uit. Wijs dat wijkteam eerst een andere "
               "uitvoerende aanbieder toe, of verwijder het.")  # fmt: skip


def subcontractor_running_a_team():
    sub = a_subcontract()
    DistrictTeamFactory(contract=sub.contract, provider=sub.subcontractor, name="Team Buurtkracht")
    return sub


def test_the_last_subcontract_of_a_team_s_provider_is_kept_with_the_reason():
    sub = subcontractor_running_a_team()
    url = f"/contracten/{sub.contract_id}/onderaannemingen/{sub.pk}/verwijderen/"
    anna = manager("Anna")
    page = anna.get(url).content.decode()
    # Said before the button, and there is no button.
    assert RUNS_A_TEAM in page and "Definitief verwijderen" not in page
    refused = anna.post(url, {"version": "1"})
    assert refused.status_code == 409 and RUNS_A_TEAM in refused.content.decode()
    assert Subcontract.objects.filter(pk=sub.pk).exists()
    # A second subcontract with the same provider keeps the team's provider involved.
    SubcontractFactory(contract=sub.contract, subcontractor=sub.subcontractor)
    assert anna.post(url, {"version": "1"}).status_code == 302
    assert not Subcontract.objects.filter(pk=sub.pk).exists()


def test_a_subcontractor_running_two_teams_is_named_with_both():
    sub = subcontractor_running_a_team()
    DistrictTeamFactory(contract=sub.contract, provider=sub.subcontractor, name="Team Noord",
                        district=District.objects.get(code="WK034402"))  # fmt: skip
    assert sub.removal_refusal() == (
        "Deze onderaanneming kan niet worden verwijderd: Buurtkracht voert de wijkteams Team "
        "Buurtkracht en Team Noord van dit contract uit. Wijs die wijkteams eerst een andere "
        "uitvoerende aanbieder toe, of verwijder ze.")  # fmt: skip


def test_the_api_applies_the_same_rule():
    sub = subcontractor_running_a_team()
    token = Token.objects.create(user=make_user("contract_manager")).key
    api = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client = Client()
    refused = client.delete(f"/api/v1/onderaannemingen/{sub.pk}", **api)
    assert refused.status_code == 409
    assert refused.json()["detail"] == RUNS_A_TEAM
    assert Subcontract.objects.filter(pk=sub.pk).exists()
    DistrictTeam.objects.filter(contract=sub.contract).delete()
    assert client.delete(f"/api/v1/onderaannemingen/{sub.pk}", **api).status_code == 204
    assert not Subcontract.objects.filter(pk=sub.pk).exists()


def test_english_titles_name_the_part_in_english(settings):
    team = a_team()
    anna = manager("Anna")
    anna.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    edit = anna.get(f"/contracten/{team.contract_id}/wijkteams/{team.pk}/").content.decode()
    assert '<h1 class="utrecht-heading-1">Edit district team — OOST-6</h1>' in edit
    assert ">Remove district team</a>" in edit
    page = anna.get(f"/contracten/{team.contract_id}/wijkteams/{team.pk}/verwijderen/")
    assert (
        '<h1 class="utrecht-heading-1">Remove district team — OOST-6</h1>' in page.content.decode()
    )


# --- providers and consortia -------------------------------------------------------------------


def test_a_provider_entered_by_mistake_is_removed():
    """The AGB code cannot be changed, so a provider entered with a wrong one is removed."""
    provider = ProviderFactory(agb_code="87654321", name="Tikfout Zorg")
    anna = manager("Anna")
    edit = anna.get("/aanbieders/87654321/wijzigen/").content.decode()
    assert 'href="/aanbieders/87654321/verwijderen/">Aanbieder verwijderen</a>' in edit
    page = anna.get("/aanbieders/87654321/verwijderen/").content.decode()
    assert '<h1 class="utrecht-heading-1">Aanbieder Tikfout Zorg verwijderen</h1>' in page
    assert "<dt>AGB-code</dt><dd>87654321</dd>" in page and "Definitief verwijderen" in page
    response = anna.post("/aanbieders/87654321/verwijderen/", {"version": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/aanbieders/"
    assert "Aanbieder Tikfout Zorg is verwijderd." in response.content.decode()
    assert not Provider.objects.filter(pk=provider.pk).exists()


HAS_CONTRACTS = ("Aanbieder Zorggroep Oost kan niet worden verwijderd: andere gegevens verwijzen "
                 "ernaar (2 contracten, 1 onderaanneming).")  # fmt: skip


def test_a_provider_others_refer_to_is_kept_with_what_refers_to_it():
    provider = ProviderFactory(agb_code="11223344", name="Zorggroep Oost")
    ContractFactory(contractor=provider)
    ContractFactory(contractor=provider)
    SubcontractFactory(subcontractor=provider)
    anna = manager("Anna")
    page = anna.get("/aanbieders/11223344/verwijderen/").content.decode()
    assert HAS_CONTRACTS in page and "Definitief verwijderen" not in page
    refused = anna.post("/aanbieders/11223344/verwijderen/", {"version": "1"})
    assert refused.status_code == 409 and HAS_CONTRACTS in refused.content.decode()
    token = Token.objects.create(user=make_user("contract_manager")).key
    api = Client().delete("/api/v1/aanbieders/11223344", HTTP_AUTHORIZATION=f"Token {token}")
    assert (api.status_code, api.json()["detail"]) == (409, HAS_CONTRACTS)
    assert Provider.objects.filter(pk=provider.pk).exists()


def test_a_consortium_is_removed_unless_a_contract_names_it():
    consortium = ConsortiumFactory(name="Samen Oost")
    ContractFactory(reference="OOST-8", consortium=consortium)
    anna = manager("Anna")
    url = f"/consortia/{consortium.pk}/verwijderen/"
    refused = anna.post(url, {"version": str(consortium.version)})
    assert refused.status_code == 409
    assert ("Samenwerkingsverband Samen Oost kan niet worden verwijderd: andere gegevens "
            "verwijzen ernaar (1 contract).") in refused.content.decode()  # fmt: skip
    consortium.contracts.all().delete()
    response = anna.post(url, {"version": str(consortium.version)}, follow=True)
    assert response.redirect_chain[-1][0] == "/consortia/"
    assert not Consortium.objects.filter(pk=consortium.pk).exists()


def test_a_contract_entered_by_mistake_goes_with_its_parts_after_the_page_counts_them():
    """A contract's values, options, subcontracts and wijkteams go with it (on_delete CASCADE):
    the page says how many before the button; a tender that led to it only loses the link."""
    from procurement.models import Tender

    contract = ContractFactory(
        reference="OOST-9", name="Tikfout", jaarwaarden={2025: 1000, 2026: 2000}
    )
    contract.options.create(name="Verlenging", decision_date=datetime.date(2026, 6, 1))
    SubcontractFactory(contract=contract)
    DistrictTeamFactory(contract=contract, name="Team Tikfout")
    tender = Tender.objects.create(title="Aanvullende zorg", reference="T-9", procedure="open",
                                   regime="full", instrument="public_contract", contract=contract)  # fmt: skip
    anna = manager("Anna")
    edit = anna.get(f"/contracten/{contract.pk}/wijzigen/").content.decode()
    assert f'href="/contracten/{contract.pk}/verwijderen/">Contract verwijderen</a>' in edit
    page = anna.get(f"/contracten/{contract.pk}/verwijderen/").content.decode()
    assert '<h1 class="utrecht-heading-1">Contract OOST-9 Tikfout verwijderen</h1>' in page
    assert "<dt>Kenmerk</dt><dd>OOST-9</dd>" in page and "Definitief verwijderen" in page
    assert ('<p class="utrecht-paragraph" id="verwijderen-ook">Daarmee worden ook verwijderd: '
            "2 jaarwaarden, 1 contractoptie, 1 onderaanneming, 1 wijkteam.</p>") in page  # fmt: skip
    response = anna.post(f"/contracten/{contract.pk}/verwijderen/", {"version": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/contracten/"
    assert "Contract OOST-9 Tikfout is verwijderd." in response.content.decode()
    assert not ContractValue.objects.filter(contract_id=contract.pk).exists()
    assert not Subcontract.objects.filter(contract_id=contract.pk).exists()
    assert not DistrictTeam.objects.filter(contract_id=contract.pk).exists()
    tender.refresh_from_db()
    assert tender.contract is None


def test_a_record_with_nothing_attached_says_nothing_more_goes():
    value = a_value()
    page = manager("Anna").get(
        f"/contracten/{value.contract_id}/jaarwaarden/{value.pk}/verwijderen/"
    )
    assert "Daarmee worden ook verwijderd" not in page.content.decode()
