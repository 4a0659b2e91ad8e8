"""Defects a tester found as a contract manager (web UI): each rule is refused with a Dutch
message on its field, the same through the page and the API, and nothing is written."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from districts.models import District
from providers.models import Consortium, Contract
from wmo.catalogue.models import ServiceType

from .factories import (
    ConsortiumFactory,
    ContractFactory,
    DistrictTeamFactory,
    ProviderFactory,
    SubcontractFactory,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"
day = datetime.date


def invalid_params(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for param in response.json()["invalidParams"]:
        found.setdefault(param["name"], []).append(param["reason"])
    return found


# --- 1. extensions that run past this century ---------------------------------------------------

TOO_LONG = ("Met alle verlengingsopties loopt het contract door na 31-12-2099; kies minder of "
            "kortere verlengingen.")  # fmt: skip


def test_extensions_beyond_2099_are_refused_on_the_page_and_in_the_api(contract_manager_client):
    provider = ProviderFactory()
    service = ServiceType.objects.get(code="dagbegeleiding")
    page = contract_manager_client.post("/contracten/nieuw/", {
        "reference": "AZ-LANG", "name": "Lang", "contractor": provider.pk,
        "instrument": "public_contract", "financing": "lump_sum", "start_date": "2027-01-01",
        "end_date": "2027-12-31", "extension_count": "10", "extension_months": "32767",
        "extensions_exercised": "10", "city_wide": "on", "service_types": [service.pk],
    })  # fmt: skip
    assert page.status_code == 200
    assert TOO_LONG in page.content.decode()
    api = contract_manager_client.post("/api/v1/contracten", {
        "kenmerk": "AZ-LANG", "omschrijving": "Lang", "contractpartij": provider.agb_code,
        "instrument": "public_contract", "bekostiging": "lump_sum",
        "ingangsdatum": "2027-01-01", "einddatum": "2027-12-31", "verlengingsopties": 10,
        "verlengingDuurMaanden": 32767, "verlengingenGebruikt": 10, "stedelijk": True,
        "voorzieningen": ["dagbegeleiding"],
    }, content_type=JSON)  # fmt: skip
    assert api.status_code == 400
    assert invalid_params(api) == {"verlengingDuurMaanden": [TOO_LONG]}
    assert not Contract.objects.exists()
    # Up to the last day of 2099 is a term.
    ok = ContractFactory.build(contractor=provider, start_date=day(2027, 1, 1),
                               end_date=day(2027, 12, 31), extension_count=1,
                               extension_months=(2099 - 2027) * 12)  # fmt: skip
    ok.full_clean()
    assert ok.latest_possible_end == day(2099, 12, 31)


def test_a_stored_contract_extended_past_year_9999_still_shows(council_client):
    contract = ContractFactory(reference="AZ-OUD", wijken=["WK034401"])
    Contract.objects.filter(pk=contract.pk).update(
        extension_count=10, extension_months=32767, extensions_exercised=10
    )
    listing = council_client.get("/contracten/")
    assert listing.status_code == 200
    assert "AZ-OUD" in listing.content.decode()
    detail = council_client.get(f"/contracten/{contract.pk}/")
    assert detail.status_code == 200
    assert "verlengd tot en met 31-12-9999" in detail.content.decode()
    assert District.objects.get(code="WK034401").contracts.in_force_on(day(3000, 1, 1)).exists()


# --- 2. a second value for the same year ---------------------------------------------------------

SAME_YEAR = "Voor dit contract is dit jaar al een jaarwaarde ingevoerd."


def test_a_year_the_contract_already_has_is_refused_on_the_year_field(contract_manager_client):
    contract = ContractFactory(jaarwaarden={2025: "1000", 2026: "2000"})
    base = f"/contracten/{contract.pk}/jaarwaarden"
    added = contract_manager_client.post(f"{base}/nieuw/", {"year": "2025", "amount": "5"})
    assert added.status_code == 200
    assert added.context["form"].errors == {"year": [SAME_YEAR]}
    assert f"Jaar: {SAME_YEAR}" in added.content.decode()
    value_2026 = contract.values.get(year=2026)
    changed = contract_manager_client.post(f"{base}/{value_2026.pk}/", {
        "year": "2025", "amount": "5", "version": value_2026.version})  # fmt: skip
    assert changed.status_code == 200
    assert changed.context["form"].errors == {"year": [SAME_YEAR]}
    assert sorted(contract.values.values_list("year", "amount")) == [(2025, 1000), (2026, 2000)]
    # Its own year is not a duplicate of itself.
    kept = contract_manager_client.post(f"{base}/{value_2026.pk}/", {
        "year": "2026", "amount": "7", "version": value_2026.version})  # fmt: skip
    assert kept.status_code == 302
    assert contract.values.get(year=2026).amount == 7


# --- 3. a consortium's main contractor under its contracts ---------------------------------------

HELD = ("Contract AZ-2027-STAD noemt dit samenwerkingsverband met een andere contractpartij; bij "
        "een samenwerkingsverband is de hoofdaannemer de contractpartij. Haal eerst het "
        "samenwerkingsverband van die contracten af.")  # fmt: skip


def test_the_main_contractor_of_a_consortium_with_contracts_stays(contract_manager_client):
    main, other = ProviderFactory(), ProviderFactory()
    consortium = ConsortiumFactory(main_contractor=main)
    consortium.members.set([main, other])
    ContractFactory(reference="AZ-2027-STAD", contractor=main, consortium=consortium)
    data = {"name": consortium.name, "form": consortium.form, "main_contractor": other.pk,
            "members": [main.pk, other.pk], "version": 1}  # fmt: skip
    page = contract_manager_client.post(f"/consortia/{consortium.pk}/wijzigen/", data)
    assert page.status_code == 200
    assert page.context["form"].errors == {"main_contractor": [HELD]}
    api = contract_manager_client.patch(f"/api/v1/consortia/{consortium.pk}",
                                        {"hoofdaannemer": other.agb_code, "versie": 1},
                                        content_type=JSON)  # fmt: skip
    assert api.status_code == 400
    assert invalid_params(api) == {"hoofdaannemer": [HELD]}
    consortium.refresh_from_db()
    assert (consortium.main_contractor, consortium.version) == (main, 1)
    # Once the contract no longer names the consortium, the main contractor may change.
    Contract.objects.update(consortium=None)
    assert contract_manager_client.post(f"/consortia/{consortium.pk}/wijzigen/",
                                        data).status_code == 302  # fmt: skip
    consortium.refresh_from_db()
    assert consortium.main_contractor == other


# --- 4. a subcontract within its contract's voorzieningen and wijken -----------------------------


def test_a_contract_keeps_what_its_subcontracts_deliver(contract_manager_client):
    """The other side of the rule above: the contract cannot drop a voorziening or wijk that a
    subcontract still names (page and API share Contract.relation_errors)."""
    dagbegeleiding = ServiceType.objects.get(code="dagbegeleiding")
    activering = ServiceType.objects.get(code="arbeidsmatige_activering")
    contract = ContractFactory(wijken=["WK034401", "WK034403"])
    contract.service_types.set([dagbegeleiding, activering])
    sub = SubcontractFactory(contract=contract, start_date=day(2025, 1, 1),
                             end_date=day(2026, 12, 31))  # fmt: skip
    sub.service_types.set([activering])
    sub.districts.set([District.objects.get(code="WK034403")])
    api = contract_manager_client.patch(f"/api/v1/contracten/{contract.pk}",
                                        {"voorzieningen": ["dagbegeleiding"],
                                         "wijken": ["WK034401"], "versie": 1},
                                        content_type=JSON)  # fmt: skip
    assert api.status_code == 400
    assert invalid_params(api) == {
        "voorzieningen": ["Onderaannemingen van dit contract leveren deze voorzieningen nog: "
                          f"{activering.name}. Wijzig die eerst."],
        "wijken": ["Onderaannemingen van dit contract werken nog in deze wijken: Overvecht. "
                   "Wijzig die eerst."],
    }  # fmt: skip
    contract.refresh_from_db()
    assert set(contract.service_types.all()) == {dagbegeleiding, activering}
    assert contract.version == 1
    # Dropping what no subcontract names is fine.
    kept = contract_manager_client.patch(f"/api/v1/contracten/{contract.pk}",
                                         {"wijken": ["WK034403"], "versie": 1},
                                         content_type=JSON)  # fmt: skip
    assert kept.status_code == 200, kept.json()


def test_a_subcontract_stays_within_the_contracts_voorzieningen_and_wijken(
    contract_manager_client,
):
    contract = ContractFactory(wijken=["WK034401"])
    contract.service_types.set([ServiceType.objects.get(code="dagbegeleiding")])
    sub = ProviderFactory()
    west, overvecht = District.objects.get(code="WK034401"), District.objects.get(code="WK034403")
    huishouden = ServiceType.objects.get(code="hulp_bij_huishouden")
    page = contract_manager_client.post(f"/contracten/{contract.pk}/onderaannemingen/nieuw/", {
        "subcontractor": sub.pk, "annual_value": "1000", "start_date": "2025-01-01",
        "end_date": "2026-12-31", "districts": [west.pk, overvecht.pk],
        "service_types": [huishouden.pk],
    })  # fmt: skip
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "districts": ["Het contract geldt niet in deze wijken: Overvecht."],
        "service_types": ["Het contract omvat deze voorzieningen niet: "
                          f"{huishouden.name}."],
    }  # fmt: skip
    api = contract_manager_client.post("/api/v1/onderaannemingen", {
        "contract": contract.pk, "onderaannemer": sub.agb_code, "jaarwaarde": "1000",
        "ingangsdatum": "2025-01-01", "einddatum": "2026-12-31", "wijken": ["WK034403"],
        "voorzieningen": ["hulp_bij_huishouden"],
    }, content_type=JSON)  # fmt: skip
    assert api.status_code == 400
    assert set(invalid_params(api)) == {"wijken", "voorzieningen"}
    assert not contract.subcontracts.exists()
    inside = contract_manager_client.post(f"/contracten/{contract.pk}/onderaannemingen/nieuw/", {
        "subcontractor": sub.pk, "annual_value": "1000", "start_date": "2025-01-01",
        "end_date": "2026-12-31", "districts": [west.pk],
        "service_types": [ServiceType.objects.get(code="dagbegeleiding").pk],
    })  # fmt: skip
    assert inside.status_code == 302
    assert contract.subcontracts.get().subcontractor == sub


# --- 5. only shares in force on the same day add up ----------------------------------------------


def test_shares_add_up_only_where_subcontracts_run_at_the_same_time(contract_manager_client):
    contract = ContractFactory(start_date=day(2027, 1, 1), end_date=day(2027, 12, 31),
                               city_wide=True)  # fmt: skip
    SubcontractFactory(contract=contract, annual_value=None, share_percent=Decimal("60"),
                       start_date=day(2027, 1, 1), end_date=day(2027, 6, 30))  # fmt: skip
    url = f"/contracten/{contract.pk}/onderaannemingen/nieuw/"
    overlapping = contract_manager_client.post(url, {
        "subcontractor": ProviderFactory().pk, "share_percent": "60",
        "start_date": "2027-06-01", "end_date": "2027-12-31",
    })  # fmt: skip
    assert overlapping.status_code == 200
    assert overlapping.context["form"].errors == {"share_percent": [
        "De aandelen van de onderaannemingen die tegelijk lopen komen samen boven 100 % "
        "(op 01-06-2027 al toegekend: 60 %)."
    ]}  # fmt: skip
    assert contract.subcontracts.count() == 1
    after = contract_manager_client.post(url, {
        "subcontractor": ProviderFactory().pk, "share_percent": "60",
        "start_date": "2027-07-01", "end_date": "2027-12-31",
    })  # fmt: skip
    assert after.status_code == 302
    assert sorted(contract.subcontracts.values_list("start_date", "share_percent")) == [
        (day(2027, 1, 1), 60), (day(2027, 7, 1), 60)]  # fmt: skip
    # The peak counts those in force together: 60 % (H1) and 30 % (all year) meet in H1.
    SubcontractFactory(contract=contract, annual_value=None, share_percent=Decimal("30"),
                       start_date=day(2027, 3, 1), end_date=day(2027, 12, 31))  # fmt: skip
    third = contract_manager_client.post(url, {
        "subcontractor": ProviderFactory().pk, "share_percent": "15",
        "start_date": "2027-01-01", "end_date": "2027-12-31",
    })  # fmt: skip
    assert third.context["form"].errors["share_percent"] == [
        "De aandelen van de onderaannemingen die tegelijk lopen komen samen boven 100 % "
        "(op 01-03-2027 al toegekend: 90 %)."
    ]


# --- 6. an option's dates --------------------------------------------------------------------------


def test_an_options_dates_lie_within_the_contracts_possible_term(contract_manager_client):
    contract = ContractFactory(start_date=day(2027, 1, 1), end_date=day(2027, 12, 31),
                               city_wide=True)  # fmt: skip
    url = f"/contracten/{contract.pk}/opties/nieuw/"
    outside = contract_manager_client.post(url, {
        "name": "Pilot", "status": "open", "start_date": "2040-01-01", "end_date": "2041-12-31",
        "decision_date": "1900-01-01",
    })  # fmt: skip
    assert outside.status_code == 200
    term = "(01-01-2027 t/m 31-12-2027, met alle verlengingen)."
    assert outside.context["form"].errors == {
        "start_date": [f"Het begin valt buiten de looptijd van het contract {term}"],
        "end_date": [f"Het einde valt buiten de looptijd van het contract {term}"],
        "decision_date": ["Een datum vóór 01-01-2015 valt niet onder de Wmo 2015."],
    }
    late = contract_manager_client.post(url, {
        "name": "Pilot", "status": "open", "start_date": "2027-01-01", "end_date": "2027-06-30",
        "decision_date": "2027-03-01",
    })  # fmt: skip
    assert late.context["form"].errors == {"decision_date": [
        "Over een optie wordt beslist vóór zij begint: de beslisdatum ligt na het begin."]}  # fmt: skip
    assert not contract.options.exists()
    # With an extension option the possible term runs on; an open end is allowed.
    Contract.objects.filter(pk=contract.pk).update(extension_count=1, extension_months=12)
    ok = contract_manager_client.post(url, {
        "name": "Heroverweging", "status": "open", "start_date": "2028-01-01",
        "decision_date": "2027-10-01",
    })  # fmt: skip
    assert ok.status_code == 302
    assert contract.options.get().start_date == day(2028, 1, 1)


# --- 7. references and names unique whatever their case --------------------------------------------


def test_a_reference_or_name_in_other_case_is_the_same_one(contract_manager_client):
    existing = ContractFactory(reference="AZ-2027-STAD")
    main, member = ProviderFactory(), ProviderFactory()
    ConsortiumFactory(name="Samenwerkingsverband Wijkzorg Utrecht", main_contractor=main)
    page = contract_manager_client.post("/contracten/nieuw/", {
        "reference": "az-2027-stad", "name": "Stad", "contractor": main.pk,
        "instrument": "public_contract", "financing": "lump_sum", "start_date": "2027-01-01",
        "end_date": "2027-12-31", "extension_count": "0", "extensions_exercised": "0",
        "city_wide": "on", "service_types": [ServiceType.objects.get(code="dagbegeleiding").pk],
    })  # fmt: skip
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "reference": ["Er bestaat al een contract met dit kenmerk."]}  # fmt: skip
    other = ContractFactory(city_wide=True)
    other.service_types.set([ServiceType.objects.get(code="dagbegeleiding")])
    api = contract_manager_client.patch(f"/api/v1/contracten/{other.pk}",
                                        {"kenmerk": "Az-2027-Stad", "versie": 1},
                                        content_type=JSON)  # fmt: skip
    assert api.status_code == 400
    assert invalid_params(api) == {"kenmerk": ["Er bestaat al een contract met dit kenmerk."]}
    named = contract_manager_client.post("/consortia/nieuw/", {
        "name": "samenwerkingsverband wijkzorg utrecht", "form": "main_contractor",
        "main_contractor": main.pk, "members": [main.pk, member.pk],
    })  # fmt: skip
    assert named.status_code == 200
    assert named.context["form"].errors == {
        "name": ["Er bestaat al een samenwerkingsverband met deze naam."]}  # fmt: skip
    assert list(Contract.objects.filter(reference__iexact="az-2027-stad")) == [existing]
    assert (
        Consortium.objects.filter(name__iexact="Samenwerkingsverband wijkzorg utrecht").count() == 1
    )
    # The database holds to it too, whatever writes past the models.
    with pytest.raises(IntegrityError), transaction.atomic():
        Consortium.objects.create(name="SAMENWERKINGSVERBAND WIJKZORG UTRECHT", form="joint_entity",
                                  main_contractor=main)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(reference="az-2027-STAD")


# --- 8. the same wijkteam twice, and a way to correct it ------------------------------------------

TWIN = ("Dit contract heeft in deze wijk al een wijkteam met deze naam; wijzig dat wijkteam in "
        "plaats van een tweede toe te voegen.")  # fmt: skip


def test_a_wijkteam_twice_is_refused_and_each_links_to_its_edit_page(
    contract_manager_client, council_client
):
    contract = ContractFactory(city_wide=True)
    west = District.objects.get(code="WK034401")
    first = DistrictTeamFactory(contract=contract, district=west, name="Wijkteam West")
    data = {"district": west.pk, "name": "wijkteam west ", "provider": contract.contractor.pk}
    page = contract_manager_client.post(f"/contracten/{contract.pk}/wijkteams/nieuw/", data)
    assert page.status_code == 200
    assert page.context["form"].errors == {"name": [TWIN]}
    assert list(contract.district_teams.all()) == [first]
    # A twin stored before the rule (numbered by providers 0010): the structure page links both
    # to their edit pages.
    twin = DistrictTeamFactory(contract=contract, district=west, name="Wijkteam West (2)")
    html = contract_manager_client.get(f"/contracten/{contract.pk}/structuur/").content.decode()
    for team in (first, twin):
        assert f'href="/contracten/{contract.pk}/wijkteams/{team.pk}/"' in html
    assert "Wijk West heeft 2 wijkteams" in html
    readonly = council_client.get(f"/contracten/{contract.pk}/structuur/").content.decode()
    assert "/wijkteams/" not in readonly
    renamed = contract_manager_client.post(f"/contracten/{contract.pk}/wijkteams/{twin.pk}/",
                                           {**data, "name": "Wijkteam West 2",
                                            "version": twin.version})  # fmt: skip
    assert renamed.status_code == 302
    twin.refresh_from_db()
    assert twin.name == "Wijkteam West 2"


def test_the_demo_options_pass_the_option_rules(db):
    """Seeded without validation, the demo's options must still be ones a contract manager can
    save unchanged (the pilots once decided in 2028 on an option begun in 2027)."""
    import random

    from providers.demo import seed_providers
    from providers.models import ContractOption

    seed_providers(random.Random(1))
    options = list(ContractOption.objects.all())
    assert options
    for option in options:
        option.full_clean()
