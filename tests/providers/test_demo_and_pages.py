"""Demo data (idempotent, deterministic) and the pages on it, with bounded query counts."""

import datetime
import random
import re

import pytest

from districts.models import District
from providers.demo import seed_providers
from providers.models import Consortium, Contract, DistrictTeam, Provider, Subcontract
from providers.services import coverage_check

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Provider, Contract, Subcontract, DistrictTeam,
                                             Consortium))  # fmt: skip


@pytest.mark.slow
def test_seed_is_idempotent_and_realistic():
    seed_providers(random.Random(2027))
    first = counts()
    # Hulp bij het huishouden in every wijk (a buurtteam in Overvecht found no provider for it).
    hbh = Contract.objects.filter(service_types__code="hulp_bij_huishouden")
    for day in [datetime.date(2020, 6, 30), datetime.date(2026, 6, 30)]:
        covered = District.objects.filter(contracts__in=hbh.in_force_on(day)).distinct()
        assert covered.count() == District.objects.count() == 10, day
    seed_providers(random.Random(2027))
    assert counts() == first
    seed_providers(random.Random(7))  # another seed updates, never duplicates
    assert counts() == first
    assert first[0] == 51 and first[2] == 12 and first[3] == 10 and first[4] == 1
    kinds = set(Provider.objects.values_list("kind", flat=True))
    assert kinds == {"care_provider", "resident_org", "welfare"}
    city = Contract.objects.get(reference="AZ-2027-STAD")
    assert coverage_check(city) == []
    assert city.subcontracts.filter(subcontractor__kind="resident_org").count() >= 3
    assert city.options.count() == 2
    # Hulp bij het huishouden is not part of the 2027 contract: its own contracts run on, and it
    # may join from 2031 through the heroverwegingsclausule (POLICY.md).
    assert "hulp_bij_huishouden" not in set(city.service_types.values_list("code", flat=True))
    assert not city.subcontracts.filter(service_types__code="hulp_bij_huishouden").exists()
    clause = city.options.get(service_type__code="hulp_bij_huishouden")
    assert clause.start_date == datetime.date(2031, 1, 1)
    hbh = Contract.objects.filter(service_types__code="hulp_bij_huishouden", city_wide=False)
    assert hbh.filter(start_date__lte="2027-01-01", end_date__gte="2030-12-31").count() == 2


def test_pages_on_demo_data(contract_manager_client, django_assert_max_num_queries):
    seed_providers(random.Random(2027))
    city = Contract.objects.get(reference="AZ-2027-STAD")
    provider = Provider.objects.order_by("agb_code").first()
    for url, limit in [
        ("/aanbieders/", 20),
        ("/aanbieders/?omvang=small&soort=resident_org", 20),
        (f"/aanbieders/{provider.agb_code}/", 25),
        ("/contracten/", 15),
        (f"/contracten/{city.pk}/", 20),
        (f"/contracten/{city.pk}/structuur/", 20),
        ("/consortia/", 15),
        ("/landschap/", 25),
        ("/api/v1/aanbieders", 15),
        ("/api/v1/contracten", 20),
        ("/api/v1/onderaannemingen", 15),
        ("/api/v1/consortia", 15),
    ]:
        with django_assert_max_num_queries(limit):
            response = contract_manager_client.get(url)
        assert response.status_code == 200, url
    # The contract table's last column: "heel Utrecht", or the number of wijken (counted by the
    # database, not prefetched).
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>",
                      contract_manager_client.get("/contracten/").content.decode(), re.S)  # fmt: skip
    last_cell = {re.search(r">([^<>]+)</a></th>", row)[1]: re.findall(r">([^<>]*)</td>", row)[-1]
                 for row in rows if "</th>" in row and "<a " in row}  # fmt: skip
    assert last_cell["AZ-2027-STAD"] == "heel Utrecht"
    for contract in Contract.objects.filter(city_wide=False)[:5]:
        assert last_cell[contract.reference] == str(contract.districts.count()), contract.reference
    assert any(
        contract.districts.count() > 1 for contract in Contract.objects.filter(city_wide=False)
    )
    html = contract_manager_client.get(f"/contracten/{city.pk}/").content.decode()
    assert "Pilots Beschermd Thuis met nieuwe instroom" in html
    assert "Heroverwegingsclausule hulp bij het huishouden" in html
