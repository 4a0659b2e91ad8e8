"""ServiceType moved from `referrals` to `catalogue`: a database migrated on the old layout keeps
every row and every reference to it (foreign keys, join tables, content type)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("referrals", "0005_referral_fk_indexes_covered_by_composites"),
    ("providers", "0004_share_percent_message"),
    ("quality", "0001_initial"),
]


# Marker `migrations`: runs alone and last in make test (tests/harness/suite.sh, conftest.py).
@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_moving_service_type_keeps_rows_and_references():
    from django.contrib.contenttypes.models import ContentType

    from providers.models import Contract
    from wmo.catalogue.models import ServiceType
    from wmo.quality.models import Complaint
    from wmo.referrals.models import Referral

    executor = MigrationExecutor(connection)
    executor.migrate([("catalogue", None)])
    old = executor.loader.project_state(BEFORE).apps
    OldServiceType = old.get_model("referrals", "ServiceType")
    service = OldServiceType.objects.create(
        code="proef_dienst", name="Proefdienst", objective="IV", waiting_norm_days=14
    )
    district = old.get_model("districts", "District").objects.get(code="WK034403")
    provider = old.get_model("providers", "Provider").objects.create(
        agb_code="13063077", name="A", kind="care_provider"
    )
    contract = old.get_model("providers", "Contract").objects.create(
        reference="C-1", name="Proef", contractor=provider, instrument="contract",
        financing="inspanning", start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )  # fmt: skip
    contract.service_types.add(service)
    client = old.get_model("referrals", "Client").objects.create(key="a" * 64)
    referral = old.get_model("referrals", "Referral").objects.create(
        external_id="V-1", client=client, district=district, service_type=service,
        provider=provider, contractor=provider, referral_date=datetime.date(2026, 3, 2),
    )  # fmt: skip
    complaint = old.get_model("quality", "Complaint").objects.create(
        external_id="K-1", provider=provider, service_type=service, district=district,
        received_date=datetime.date(2026, 3, 3),
    )  # fmt: skip
    content_type = ContentType.objects.get_or_create(app_label="referrals", model="servicetype")[0]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = ServiceType.objects.get(pk=service.pk)
    assert (moved.code, moved.name) == ("proef_dienst", "Proefdienst")
    # Its undated waiting norm became a dated record (catalogue 0004), valid since the Wmo 2015.
    norm = moved.norms.get()
    assert (norm.kind, norm.value, norm.valid_from) == (
        "waiting_days",
        14,
        datetime.date(2015, 1, 1),
    )
    assert ServiceType._meta.db_table == "catalogue_servicetype"
    assert Referral.objects.get(pk=referral.pk).service_type == moved
    assert list(Contract.objects.get(pk=contract.pk).service_types.all()) == [moved]
    assert Complaint.objects.get(pk=complaint.pk).service_type == moved
    assert ContentType.objects.get(pk=content_type.pk).model_class() is ServiceType
    # The reference data is there again after its migration was undone and redone.
    assert ServiceType.objects.filter(code="dagbegeleiding", norms__value=14).exists()
    # The database still refuses a reference to a service type that does not exist.
    with pytest.raises(Exception, match="(?i)foreign key"):
        Referral.objects.filter(pk=referral.pk).update(service_type_id=moved.pk + 10_000)
