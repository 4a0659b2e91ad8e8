import datetime
import random

import pytest

from districts.models import District
from wmo.catalogue.models import ServiceType
from wmo.quality.demo import (
    FALLBACK_BUURTTEAM_RESPONSES,
    FALLBACK_COMPLAINTS,
    FALLBACK_RESPONSES,
    seed_quality,
)
from wmo.quality.models import Complaint, SurveyResponse
from wmo.quality.services import validate

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def snapshot():
    return (
        list(SurveyResponse.objects.order_by("external_id").values_list(
            "external_id", "date", "district_id", "about_buurtteam", "service_type_id",
            "provider_id", "team_id", "q_solution", "q_self_reliance")),
        list(Complaint.objects.order_by("external_id").values_list(
            "external_id", "provider_id", "service_type_id", "district_id", "received_date",
            "resolved_date")),
    )  # fmt: skip


def test_demo_is_valid_deterministic_and_idempotent(sample_providers):
    SurveyResponse.objects.create(
        external_id="ECHT1", date=datetime.date(2025, 1, 1), provider=sample_providers[0],
        district=District.objects.get(code="WK034401"),
        service_type=ServiceType.objects.get(code="dagbegeleiding"),
    )  # fmt: skip
    counts = seed_quality(random.Random(7), referral_count=0, today=TODAY)
    assert counts == {"survey_responses": FALLBACK_RESPONSES,
                      "buurtteam_responses": FALLBACK_BUURTTEAM_RESPONSES,
                      "complaints": FALLBACK_COMPLAINTS}  # fmt: skip
    first = snapshot()
    assert seed_quality(random.Random(7), referral_count=0, today=TODAY) == counts
    assert snapshot() == first
    assert SurveyResponse.objects.filter(external_id="ECHT1").exists()  # not a demo record
    demo = SurveyResponse.objects.exclude(external_id="ECHT1")
    assert min(r.date for r in demo) >= datetime.date(2020, 1, 1)
    assert max(r.date for r in demo) <= datetime.date(2026, 9, 30)
    for record in [*demo[:300], *Complaint.objects.all()]:
        validate(record)
        if isinstance(record, Complaint):
            assert record.received_date <= datetime.date(2026, 9, 30)
            assert record.resolved_date is None or record.resolved_date <= datetime.date(
                2026, 9, 30
            )
    positive = demo.filter(q_solution__gte=4).count() / demo.exclude(q_solution=None).count()
    assert 0.5 < positive < 0.95
    buurtteam = demo.filter(about_buurtteam=True).select_related("team")
    assert buurtteam.count() == FALLBACK_BUURTTEAM_RESPONSES
    assert not buurtteam.exclude(service_type=None, provider=None).exists()
    assert buurtteam.exclude(team=None).exists() and buurtteam.filter(team=None).exists()
    for record in buurtteam[:100]:
        validate(record)
        assert record.team is None or record.team.district_id == record.district_id
        assert record.external_id.startswith("DEMO-B")


def test_demo_volumes_follow_the_referrals(sample_providers):
    counts = seed_quality(random.Random(1), referral_count=1_600, today=TODAY)
    assert counts == {"survey_responses": 200, "buurtteam_responses": FALLBACK_BUURTTEAM_RESPONSES,
                      "complaints": 10}  # fmt: skip
    assert SurveyResponse.objects.filter(about_buurtteam=False).count() == 200
    assert Complaint.objects.count() == 10


def test_demo_buurtteam_responses_follow_the_cases(sample_providers):
    from districts.models import Buurtteam
    from wmo.referrals.models import BuurtteamCase, Client

    team = Buurtteam.objects.get(code="BT05")
    client = Client.objects.create(key="sleutel-demo")
    BuurtteamCase.objects.bulk_create(
        BuurtteamCase(external_id=f"K{n}", client=client, district=team.district, buurtteam=team,
                      registration_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
        for n in range(40)
    )  # fmt: skip
    counts = seed_quality(random.Random(3), referral_count=0, today=TODAY)
    assert counts["buurtteam_responses"] == 4  # 1 per 10 cases
    rows = SurveyResponse.objects.filter(about_buurtteam=True)
    assert {r.district_id for r in rows} == {team.district_id}
    assert {r.team_id for r in rows} <= {team.pk, None}
    assert all(r.date >= datetime.date(2025, 1, 31) for r in rows)
