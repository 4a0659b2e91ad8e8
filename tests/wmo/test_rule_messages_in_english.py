"""The rules' messages come in the language of the page: a contract manager who chose English
sees the contract rule and the norm rule in English, without the cookie the same pages say it in
Dutch, the source text, word for word as before."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from districts.models import District
from providers.forms import ContractForm
from providers.models import Contract
from tests.providers.factories import (
    ContractFactory,
    DistrictTeamFactory,
    ProviderFactory,
    SubcontractFactory,
)
from tests.providers.test_versions import buying, form_data, manager
from wmo.catalogue.models import Norm

pytestmark = pytest.mark.django_db

END_BEFORE_START = {
    "nl": "De einddatum ligt vóór de ingangsdatum.",
    "en": "The end date is before the start date.",
}
VALUE_NOT_POSITIVE = {
    "nl": "De waarde moet groter zijn dan 0.",
    "en": "The value must be greater than 0.",
}


def in_language(client, language):
    if language == "en":
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    return client


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_contract_ending_before_it_starts_is_refused_in_the_page_language(language):
    contract = buying(ContractFactory(reference="OOST-7", start_date=datetime.date(2026, 1, 1),
                                      end_date=datetime.date(2027, 12, 31)))  # fmt: skip
    data = form_data(ContractForm(instance=contract))
    data["end_date"] = "2025-12-31"
    anna = in_language(manager("Anna"), language)
    response = anna.post(f"/contracten/{contract.pk}/wijzigen/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [END_BEFORE_START[language]]
    html = response.content.decode()
    assert END_BEFORE_START[language] in html
    other = "en" if language == "nl" else "nl"
    assert END_BEFORE_START[other] not in html
    assert Contract.objects.get(pk=contract.pk).end_date == datetime.date(2027, 12, 31)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_new_contract_ending_before_it_starts_is_refused_in_the_page_language(language):
    ProviderFactory(agb_code="12345678", name="Zorggroep West")
    anna = in_language(manager("Anna"), language)
    form = anna.get("/contracten/nieuw/").context["form"]
    data = {**form_data(form), "reference": "WEST-1", "name": "Dagbesteding West",
            "contractor": form.fields["contractor"].queryset.get(agb_code="12345678").pk,
            "instrument": "public_contract", "financing": "per_unit",
            "start_date": "2026-01-01", "end_date": "2025-06-30", "city_wide": "on",
            "service_types": [form.fields["service_types"].queryset.first().pk]}  # fmt: skip
    response = anna.post("/contracten/nieuw/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [END_BEFORE_START[language]]
    assert not Contract.objects.filter(reference="WEST-1").exists()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_norm_value_of_zero_is_refused_in_the_page_language(client_for, language):
    before = Norm.objects.count()
    manager_client = in_language(client_for("contract_manager"), language)
    response = manager_client.post(
        "/normen/wachttijd/dagbegeleiding/nieuw/",
        data={"value": "0", "valid_from": "2027-01-01", "source": "Raadsbesluit", "note": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["value"] == [VALUE_NOT_POSITIVE[language]]
    assert VALUE_NOT_POSITIVE[language] in response.content.decode()
    assert Norm.objects.count() == before


def test_a_refusal_built_from_names_is_one_sentence_in_either_language():
    """The subcontract's removal refusal names one wijkteam or several: Dutch exactly as it was,
    English as a whole sentence with its own word for the list."""
    contract = ContractFactory(reference="OOST-5")
    sub = SubcontractFactory(contract=contract, subcontractor=ProviderFactory(name="Buurtkracht"))
    DistrictTeamFactory(contract=contract, provider=sub.subcontractor, name="Team Oost",
                        district=District.objects.get(code="WK034401"))  # fmt: skip
    with translation.override("en"):
        assert sub.removal_refusal() == (
            "This subcontract cannot be removed: Buurtkracht runs the district team Team Oost of "
            "this contract. First assign that district team another delivering provider, or "
            "remove it."
        )
    for name, code in (("Team Noord", "WK034402"), ("Team Zuid", "WK034403")):
        DistrictTeamFactory(contract=contract, provider=sub.subcontractor, name=name,
                            district=District.objects.get(code=code))  # fmt: skip
    with translation.override("en"):
        assert sub.removal_refusal() == (
            "This subcontract cannot be removed: Buurtkracht runs the district teams Team Oost, "
            "Team Noord and Team Zuid of this contract. First assign those district teams another "
            "delivering provider, or remove them."
        )
    with translation.override("nl"):
        assert sub.removal_refusal() == (
            "Deze onderaanneming kan niet worden verwijderd: Buurtkracht voert de wijkteams Team "
            "Oost, Team Noord en Team Zuid van dit contract uit. Wijs die wijkteams eerst een "
            "andere uitvoerende aanbieder toe, of verwijder ze."
        )


# --- the labels the pages show --------------------------------------------------------------------

EXTENSIONS = {
    "nl": ("Verlenging 1 (gelicht)", "Verlenging 2 (optie)"),
    "en": ("Extension 1 (exercised)", "Extension 2 (option)"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_contract_timeline_names_its_extensions_in_the_page_language(language):
    contract = buying(ContractFactory(reference="OOST-8", start_date=datetime.date(2027, 1, 1),
                                      end_date=datetime.date(2030, 12, 31), extension_count=2,
                                      extension_months=24, extensions_exercised=1))  # fmt: skip
    response = in_language(manager("Anna"), language).get(f"/contracten/{contract.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    bars = [bar["label"] for bar in response.context["timeline"]["bars"]]
    assert bars == [{"nl": "Looptijd", "en": "Term"}[language], *EXTENSIONS[language]]
    other = "en" if language == "nl" else "nl"
    for label in EXTENSIONS[language]:
        assert f'<span class="prv-timeline__label">{label}</span>' in html
    assert not any(label in html for label in EXTENSIONS[other])


BUDGET_ROWS = {
    "nl": ("IV — Prognose bij ongewijzigd beleid", "III — Gerealiseerde besparingen",
           "Totaal — Benodigd budget", "Totaal — Bijdragen derden"),
    "en": ("IV — Forecast under unchanged policy", "III — Savings realised",
           "Total — Budget needed", "Total — Third-party contributions"),
}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_budget_lines_and_their_changes_are_named_in_the_page_language(language, client_for):
    client = in_language(client_for("contract_manager"), language)
    html = client.get("/rapportage/begroting/regels/").content.decode()
    for label in BUDGET_ROWS[language]:
        assert f'<th scope="row" class="utrecht-table__header-cell">{label} ' in html
    other = "en" if language == "nl" else "nl"
    assert not any(label in html for label in BUDGET_ROWS[other])
    url = "/rapportage/begroting/regels/IV/forecast_unchanged_policy/"
    edit = client.get(url)
    title = {
        "nl": "Begrotingsregel wijzigen: IV — Prognose bij ongewijzigd beleid",
        "en": "Change budget line: IV — Forecast under unchanged policy",
    }
    assert edit.context["page_title"] == title[language]
    data = {}
    for field in edit.context["form"]:
        data[field.html_name] = field.value() if field.value() is not None else ""
    data["jaar_2027"] = "98000"
    assert client.post(url, data).status_code == 302
    html = client.get("/rapportage/begroting/regels/").content.decode()
    kind = {"nl": "gewijzigd", "en": "changed"}[language]
    assert f'<td class="utrecht-table__cell">{kind}</td>' in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_landscape_names_the_city_in_the_page_language_and_its_file_in_dutch(
    language, client_for
):
    client = in_language(client_for("council_member"), language)
    query = "?datum1=2026-06-30&datum2=2027-06-30"
    html = client.get("/landschap/" + query).content.decode()
    total = {"nl": "Heel Utrecht", "en": "All of Utrecht"}[language]
    assert f'<th scope="row" class="utrecht-table__header-cell">{total}</th>' in html
    lines = client.get("/landschap/landschap.csv" + query).content.decode("utf-8-sig").splitlines()
    assert "2027-06-30;GM0344;Heel Utrecht;0;0;0;0;" in lines


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_norm_shows_its_unit_in_the_page_language(language, client_for):
    html = in_language(client_for("council_member"), language).get("/normen/").content.decode()
    row = html.split('data-norm="waiting_days:dagbegeleiding"', 1)[1].split("</tr>", 1)[0]
    assert {"nl": "14 dagen", "en": "14 days"}[language] in row
    first_contact = html.split('data-norm="bt_first_contact_workdays"', 1)[1].split("</tr>", 1)[0]
    assert {"nl": "5 werkdagen", "en": "5 working days"}[language] in first_contact


def test_norms_complaints_responses_and_feeds_are_named_in_the_active_language():
    """How the admin and the pages name one record: Dutch exactly as it was, or English."""
    from django.contrib.auth import get_user_model

    from procurement.models import CalendarFeed
    from wmo.catalogue.models import NormKind
    from wmo.quality.models import Complaint, SurveyResponse

    norm = Norm(kind=NormKind.BT_FIRST_CONTACT_WORKDAYS, value=Decimal("5.0"),
                valid_from=datetime.date(2026, 1, 1))  # fmt: skip
    feed = CalendarFeed(user=get_user_model()(username="anna"))
    records = (norm, Complaint(external_id="K-7"), SurveyResponse(external_id="R-7"), feed)
    with translation.override("nl"):
        assert [str(r) for r in records] == [
            "Eerste contact buurtteam: 5 werkdagen vanaf 01-01-2026", "Klacht K-7", "Respons R-7",
            "Agenda-abonnement van anna"]  # fmt: skip
    with translation.override("en"):
        assert [str(r) for r in records] == [
            "First contact neighbourhood team: 5 working days from 01-01-2026", "Complaint K-7",
            "Response R-7", "Calendar subscription of anna"]  # fmt: skip
