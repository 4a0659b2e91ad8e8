import datetime
import random

from wmo.referrals.demo import demo_bsn, last_completed_quarter_end, seed_referrals
from wmo.referrals.models import BuurtteamCase, Referral
from wmo.referrals.pseudonyms import is_valid_bsn
from wmo.referrals.rules import case_date_errors, referral_date_errors

TODAY = datetime.date(2026, 11, 23)
FIELDS = ["external_id", "client__key", "service_type__code", "provider__agb_code", "referral_date",
          "start_date", "end_date", "end_reason", "cancelled_date", "team__code"]  # fmt: skip


def test_demo_bsns_pass_the_eleven_test():
    assert all(is_valid_bsn(demo_bsn(i)) for i in range(2000))


def test_last_completed_quarter():
    assert last_completed_quarter_end(TODAY) == datetime.date(2026, 9, 30)
    assert last_completed_quarter_end(datetime.date(2026, 1, 5)) == datetime.date(2025, 12, 31)


def test_seed_is_deterministic_and_follows_the_rules(providers):
    counts = seed_referrals(random.Random(7), referrals=600, today=TODAY)
    assert counts["referrals"] == Referral.objects.count() == 600
    first = list(Referral.objects.order_by("external_id").values_list(*FIELDS))
    seed_referrals(random.Random(7), referrals=600, today=TODAY)
    assert list(Referral.objects.order_by("external_id").values_list(*FIELDS)) == first
    referrals = list(Referral.objects.all())
    for r in referrals:
        assert referral_date_errors(r.referral_date, r.assignment_date, r.start_date, r.end_date,
                                    r.end_reason, r.cancelled_date, on=TODAY) == {}  # fmt: skip
    assert min(r.referral_date for r in referrals) >= datetime.date(2020, 1, 1)
    assert max(r.referral_date for r in referrals) <= datetime.date(2026, 9, 30)
    states = {r.state for r in referrals}
    assert {"cancelled", "started", "ended"} <= states
    assert Referral.objects.waiting().exists()
    assert len({r.client_id for r in referrals}) < len(referrals)  # repeat clients
    for case in BuurtteamCase.objects.all():
        assert case_date_errors(case.registration_date, case.first_contact_date, case.closed_date,
                                on=TODAY) == {}  # fmt: skip
