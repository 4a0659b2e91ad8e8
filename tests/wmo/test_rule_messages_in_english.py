"""The rules' messages come in the language of the page: a contract manager who chose English
sees the contract rule and the norm rule in English, without the cookie the same pages say it in
Dutch, the source text, word for word as before."""

import datetime

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
