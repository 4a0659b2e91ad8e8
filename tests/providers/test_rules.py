"""Every rule gives its Dutch message, the same through the model, the form and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from providers.forms import ContractForm, DistrictTeamForm, ProviderForm, SubcontractForm
from providers.models import ContractValue, Provider, Subcontract

from .factories import (
    ConsortiumFactory,
    ContractFactory,
    DistrictTeamFactory,
    ProviderFactory,
    SubcontractFactory,
)

pytestmark = pytest.mark.django_db

AGB_MSG = "Een AGB-code bestaat uit precies 8 cijfers."
KVK_MSG = "Een KvK-nummer bestaat uit precies 8 cijfers."
OWN_SUB_MSG = "Een aanbieder kan niet zijn eigen onderaannemer zijn."
SHARE_MSG = "De aandelen van de onderaannemingen die tegelijk lopen komen samen boven 100 %"


def errors_of(instance):
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


@pytest.mark.parametrize("code", ["1234567", "123456789", "1234567a", "", " 1234567"])
def test_agb_code_format(code):
    errors = errors_of(Provider(agb_code=code, name="X", kind="care_provider"))
    expected = "Dit veld kan niet leeg zijn" if code == "" else AGB_MSG
    assert expected in errors["agb_code"]


@pytest.mark.parametrize("number", ["1234567", "123456789", "abcdefgh"])
def test_kvk_number_format(number):
    errors = errors_of(Provider(agb_code="12345678", kvk_number=number, name="X",
                                kind="care_provider"))  # fmt: skip
    assert KVK_MSG in errors["kvk_number"]


def test_kvk_optional_and_valid_provider_passes():
    Provider(agb_code="12345678", kvk_number="", name="X", kind="welfare").full_clean()


def test_agb_code_unique_in_dutch():
    ProviderFactory(agb_code="12345678")
    errors = errors_of(Provider(agb_code="12345678", name="Y", kind="welfare"))
    assert errors["agb_code"] == ["Er bestaat al een aanbieder met deze AGB-code."]


def test_subcontract_within_contract_dates():
    contract = ContractFactory(start_date=datetime.date(2027, 1, 1),
                               end_date=datetime.date(2030, 12, 31))  # fmt: skip
    sub = Subcontract(contract=contract, subcontractor=ProviderFactory(), annual_value=1000,
                      start_date=datetime.date(2026, 12, 1), end_date=datetime.date(2031, 1, 31))  # fmt: skip
    errors = errors_of(sub)
    assert errors["start_date"] == ["De onderaanneming begint vóór het contract "
                                    "(ingangsdatum 01-01-2027)."]  # fmt: skip
    assert errors["end_date"] == ["De onderaanneming loopt door na het einde van het contract "
                                  "(einddatum 31-12-2030)."]  # fmt: skip


def test_subcontract_may_run_into_exercised_extension():
    contract = ContractFactory(start_date=datetime.date(2027, 1, 1),
                               end_date=datetime.date(2030, 12, 31), extension_count=2,
                               extension_months=24, extensions_exercised=1)  # fmt: skip
    Subcontract(contract=contract, subcontractor=ProviderFactory(), annual_value=1000,
                start_date=datetime.date(2031, 1, 1),
                end_date=datetime.date(2032, 12, 31)).full_clean()  # fmt: skip


def test_provider_is_not_its_own_subcontractor():
    contract = ContractFactory()
    sub = Subcontract(contract=contract, subcontractor=contract.contractor, annual_value=1,
                      start_date=contract.start_date, end_date=contract.end_date)  # fmt: skip
    assert errors_of(sub)["subcontractor"] == [OWN_SUB_MSG]


def test_shares_per_contract_at_most_100_percent():
    contract = ContractFactory()
    SubcontractFactory(contract=contract, annual_value=None, share_percent=Decimal("60"))
    SubcontractFactory(contract=contract, annual_value=None, share_percent=Decimal("30"))
    sub = Subcontract(contract=contract, subcontractor=ProviderFactory(), share_percent=11,
                      start_date=contract.start_date, end_date=contract.end_date)  # fmt: skip
    message = errors_of(sub)["share_percent"][0]
    assert message.startswith(SHARE_MSG)
    assert "al toegekend: 90 %" in message
    sub.share_percent = Decimal("10")
    sub.full_clean()  # exactly 100 % is fine


def test_share_update_does_not_count_itself():
    contract = ContractFactory()
    sub = SubcontractFactory(contract=contract, annual_value=None, share_percent=Decimal("80"))
    sub.share_percent = Decimal("100")
    sub.full_clean()


def test_subcontract_needs_value_or_share():
    contract = ContractFactory()
    sub = Subcontract(contract=contract, subcontractor=ProviderFactory(),
                      start_date=contract.start_date, end_date=contract.end_date)  # fmt: skip
    assert errors_of(sub)["annual_value"] == ["Vul een jaarwaarde of een aandeel in."]


def test_contract_dates_and_extensions():
    contract = ContractFactory.build(
        contractor=ProviderFactory(), start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2026, 1, 1), extension_count=1, extension_months=None,
        extensions_exercised=2,
    )  # fmt: skip
    errors = errors_of(contract)
    assert "De einddatum ligt vóór de ingangsdatum." in errors["end_date"]
    assert errors["extension_months"] == ["Geef de duur van een verlenging op."]
    assert errors["extensions_exercised"] == [
        "Er zijn meer verlengingen gelicht dan er verlengingsopties zijn."
    ]


def test_consortium_contract_is_held_by_main_contractor():
    consortium = ConsortiumFactory()
    contract = ContractFactory.build(contractor=ProviderFactory(), consortium=consortium)
    assert errors_of(contract)["contractor"] == [
        "Bij een samenwerkingsverband is de hoofdaannemer de contractpartij."
    ]


def test_contract_value_year_within_term():
    contract = ContractFactory()
    errors = errors_of(ContractValue(contract=contract, year=2024, amount=10))
    assert errors["year"] == ["Het jaar valt buiten de looptijd van het contract (2025–2026)."]
    errors = errors_of(ContractValue(contract=contract, year=2025, amount=-1))
    assert errors["amount"] == ["Een jaarwaarde kan niet negatief zijn."]


def test_district_team_run_by_contract_party():
    team = DistrictTeamFactory.build(contract=ContractFactory(), provider=ProviderFactory())
    team.district_id = 1
    assert errors_of(team)["provider"] == [
        "Het wijkteam moet worden uitgevoerd door de contractpartij of een van haar onderaannemers."
    ]


# --- forms: errors next to the field, nothing saved --------------------------------------------


def test_provider_form_errors_in_dutch_and_nothing_saved():
    form = ProviderForm(data={"agb_code": "123", "name": "X", "kvk_number": "12",
                              "kind": "care_provider", "active": "on"})  # fmt: skip
    assert not form.is_valid()
    assert form.errors["agb_code"] == [AGB_MSG]
    assert form.errors["kvk_number"] == [KVK_MSG]
    assert Provider.objects.count() == 0


def test_subcontract_form_uses_model_rules():
    contract = ContractFactory()
    form = SubcontractForm(
        data={"subcontractor": contract.contractor.pk, "annual_value": "1000",
              "start_date": "2024-01-01", "end_date": "2026-12-31"},
        instance=Subcontract(contract=contract),
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["subcontractor"] == [OWN_SUB_MSG]
    assert form.errors["start_date"][0].startswith("De onderaanneming begint vóór het contract")
    assert Subcontract.objects.count() == 0


def test_contract_form_date_order():
    provider = ProviderFactory()
    form = ContractForm(data={"reference": "X-1", "name": "X", "contractor": provider.pk,
                              "instrument": "subsidy", "financing": "lump_sum",
                              "start_date": "2027-01-01", "end_date": "2026-01-01",
                              "extension_count": 0, "extensions_exercised": 0})  # fmt: skip
    assert not form.is_valid()
    assert "De einddatum ligt vóór de ingangsdatum." in form.errors["end_date"]


def test_district_team_form():
    contract = ContractFactory()
    from districts.models import District
    from providers.models import DistrictTeam

    form = DistrictTeamForm(
        data={"district": District.objects.first().pk, "name": "T", "provider": ProviderFactory().pk},
        instance=DistrictTeam(contract=contract),
    )  # fmt: skip
    assert not form.is_valid()
    assert "provider" in form.errors


def test_page_post_shows_errors_next_to_field(contract_manager_client):
    response = contract_manager_client.post("/aanbieders/nieuw/", {"agb_code": "12", "name": "X",
                                                                     "kind": "welfare"})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert f"AGB-code: {AGB_MSG}" in html
    assert 'aria-invalid="true"' in html
    assert Provider.objects.count() == 0


def test_page_post_creates_provider(contract_manager_client):
    response = contract_manager_client.post(
        "/aanbieders/nieuw/",
        {"agb_code": "12345678", "name": "Nieuw", "kind": "resident_org", "kvk_number": "",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/aanbieders/12345678/"
    assert Provider.objects.get().kind == "resident_org"


def test_page_post_subcontract_own_contractor(contract_manager_client):
    contract = ContractFactory()
    url = f"/contracten/{contract.pk}/onderaannemingen/nieuw/"
    response = contract_manager_client.post(url, {
        "subcontractor": contract.contractor.pk, "share_percent": "10",
        "start_date": "2025-01-01", "end_date": "2026-12-31",
    })  # fmt: skip
    assert response.status_code == 200
    assert OWN_SUB_MSG in response.content.decode()
    assert Subcontract.objects.count() == 0


# --- rules a tester found missing (6 December 2026) ---------------------------------------------

JSON = "application/json"
CONTRACT = {"reference": "R-1", "name": "R", "instrument": "subsidy", "financing": "lump_sum",
            "start_date": "2026-01-01", "end_date": "2026-12-31", "extension_count": 0,
            "extensions_exercised": 0}  # fmt: skip
NO_SERVICE = "Kies ten minste één voorziening."
NO_AREA = "Kies de wijken waar het contract geldt, of maak het stedelijk."
ALONE = ("Een samenwerkingsverband bestaat uit ten minste twee aanbieders: kies naast de "
         "hoofdaannemer ten minste één ander lid.")  # fmt: skip


def _service():
    from wmo.catalogue.models import ServiceType

    return ServiceType.objects.get(code="dagbegeleiding")


def test_a_contract_buys_a_voorziening_in_wijken_or_city_wide_form_and_api(
    contract_manager_client,
):
    provider = ProviderFactory()
    form = ContractForm(data={**CONTRACT, "contractor": provider.pk})
    assert not form.is_valid()
    assert (form.errors["service_types"], form.errors["districts"]) == ([NO_SERVICE], [NO_AREA])
    ok = ContractForm(data={**CONTRACT, "contractor": provider.pk, "city_wide": "on",
                            "service_types": [_service().pk]})  # fmt: skip
    assert ok.is_valid(), ok.errors
    body = {"kenmerk": "R-2", "omschrijving": "R", "contractpartij": provider.agb_code,
            "instrument": "subsidy", "bekostiging": "lump_sum", "ingangsdatum": "2026-01-01",
            "einddatum": "2026-12-31"}  # fmt: skip
    response = contract_manager_client.post("/api/v1/contracten", body, content_type=JSON)
    assert response.status_code == 400
    assert {(p["name"], p["reason"]) for p in response.json()["invalidParams"]} == {
        ("voorzieningen", NO_SERVICE), ("wijken", NO_AREA)}  # fmt: skip
    created = contract_manager_client.post(
        "/api/v1/contracten",
        {**body, "voorzieningen": ["dagbegeleiding"], "wijken": ["WK034401"]},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    # A PATCH that leaves them out keeps the stored ones: still valid.
    patched = contract_manager_client.patch(
        f"/api/v1/contracten/{created.json()['id']}",
        {"omschrijving": "R2", "versie": 1},
        content_type=JSON,
    )
    assert patched.status_code == 200, patched.content


@pytest.mark.parametrize(("start", "end", "field", "message"), [
    ("0001-01-01", "2026-12-31", "start_date",
     "Een contract onder de Wmo 2015 begint niet vóór 01-01-2015."),
    ("2026-01-01", "9999-12-31", "end_date",
     "Een einddatum na 31-12-2099 is geen looptijd; geef de einddatum van het contract."),
])  # fmt: skip
def test_a_contract_runs_within_the_wmo_2015_and_this_century(start, end, field, message):
    form = ContractForm(data={**CONTRACT, "contractor": ProviderFactory().pk, "city_wide": "on",
                              "service_types": [_service().pk], "start_date": start,
                              "end_date": end})  # fmt: skip
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_consortium_has_a_member_besides_its_main_contractor(contract_manager_client):
    from providers.forms import ConsortiumForm

    main, other = ProviderFactory(), ProviderFactory()
    data = {"name": "Solo", "form": "main_contractor", "main_contractor": main.pk}
    for members in ([], [main.pk]):
        form = ConsortiumForm(data={**data, "members": members})
        assert not form.is_valid() and form.errors["members"] == [ALONE]
    assert ConsortiumForm(data={**data, "members": [main.pk, other.pk]}).is_valid()
    response = contract_manager_client.post(
        "/api/v1/consortia", {"naam": "Solo", "vorm": "main_contractor",
                              "hoofdaannemer": main.agb_code, "leden": [main.agb_code]},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "leden", "code": "invalid", "reason": ALONE}
    ]


def test_the_same_subcontract_twice_is_refused_another_part_is_not(contract_manager_client):
    from districts.models import District

    contract = ContractFactory(wijken=["WK034401", "WK034402"])
    first = SubcontractFactory(contract=contract)
    first.districts.set([District.objects.get(code="WK034401")])
    data = {"subcontractor": first.subcontractor.pk, "annual_value": "1000",
            "start_date": "2025-06-01", "end_date": "2026-06-30"}  # fmt: skip
    twice = SubcontractForm(data={**data, "districts": [District.objects.get(code="WK034401").pk]},
                            instance=Subcontract(contract=contract))  # fmt: skip
    assert not twice.is_valid()
    assert twice.errors["subcontractor"] == [
        f"{first.subcontractor} heeft in dit contract al een onderaanneming voor (een deel van) "
        "deze wijken en voorzieningen, van 01-01-2025 t/m 31-12-2026; wijzig die in plaats van "
        "een tweede."
    ]
    elsewhere = SubcontractForm(
        data={**data, "districts": [District.objects.get(code="WK034402").pk]},
        instance=Subcontract(contract=contract),
    )
    assert elsewhere.is_valid(), elsewhere.errors
    response = contract_manager_client.post("/api/v1/onderaannemingen", {
        "contract": contract.pk, "onderaannemer": first.subcontractor.agb_code,
        "jaarwaarde": "1000", "ingangsdatum": "2025-06-01", "einddatum": "2026-06-30",
    }, content_type=JSON)  # fmt: skip
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["onderaannemer"]
    assert Subcontract.objects.count() == 1
