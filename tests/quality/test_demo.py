import datetime
import random

import pytest

from districts.models import District
from wmo.catalogue.models import ServiceType
from wmo.quality.demo import FALLBACK_COMPLAINTS, FALLBACK_RESPONSES, seed_quality
from wmo.quality.models import Complaint, SurveyResponse
from wmo.quality.services import validate

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def snapshot():
    return (
        list(SurveyResponse.objects.order_by("external_id").values_list(
            "external_id", "date", "district_id", "service_type_id", "provider_id", "q_solution",
            "q_self_reliance")),
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
    assert counts == {"survey_responses": FALLBACK_RESPONSES, "complaints": FALLBACK_COMPLAINTS}
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


def test_demo_volumes_follow_the_referrals(sample_providers):
    counts = seed_quality(random.Random(1), referral_count=1_600, today=TODAY)
    assert counts == {"survey_responses": 200, "complaints": 10}
    assert SurveyResponse.objects.count() == 200 and Complaint.objects.count() == 10
