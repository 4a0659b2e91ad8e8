"""providers 0010: wijkteams that differ only in case within a contract's wijk get a number
behind their name before the constraint that refuses them is added; nothing is lost."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from districts.models import District
from providers.models import DistrictTeam

from .factories import ContractFactory


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_duplicate_wijkteams_are_numbered_and_then_refused():
    executor = MigrationExecutor(connection)
    executor.migrate([("providers", "0009_versions_of_values_options_and_teams")])
    contract = ContractFactory(reference="OOST-7")
    oost, west = District.objects.get(code="WK034401"), District.objects.get(code="WK034402")
    DistrictTeam.objects.bulk_create([
        DistrictTeam(contract=contract, district=oost, name="Team Oost", provider=contract.contractor),
        DistrictTeam(contract=contract, district=oost, name="team oost", provider=contract.contractor),
        DistrictTeam(contract=contract, district=oost, name="TEAM OOST", provider=contract.contractor),
        # The same name in another wijk is another team.
        DistrictTeam(contract=contract, district=west, name="Team Oost", provider=contract.contractor),
    ])  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(DistrictTeam.objects.order_by("pk").values_list("district__code", "name")) == [
        ("WK034401", "Team Oost"), ("WK034401", "team oost (2)"), ("WK034401", "TEAM OOST (3)"),
        ("WK034402", "Team Oost"),
    ]  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictTeam.objects.create(contract=contract, district=oost, name="TEAM oost",
                                    provider=contract.contractor)  # fmt: skip
