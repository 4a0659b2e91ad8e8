"""The waiting norm (wmo/referrals/waiting.py): the pages and the indicator job judge a wait
that lasts exactly the norm alike — within — and one day more alike — over."""

import datetime
import re

import pytest

from districts.models import Buurtteam, District
from indicators.services import compute_values
from wmo.calendar import BUURTTEAM
from wmo.periods import Quarter
from wmo.referrals import services
from wmo.referrals.waiting import judge

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = Quarter(2026, 1)
NORM = 14  # dagbegeleiding (make_referral's voorziening)
FIRST_CONTACT_NORM_WORKDAYS = 5  # the buurtteam's norm as seeded (wmo.catalogue Norm)


def value(values, level, key, indicator):
    (found,) = [v for v in values if (v.level, v.level_key, v.indicator) == (level, key, indicator)]
    return found


def shown_wait(response) -> str:
    """The wait on a detail page: its colour and its text."""
    found = re.search(r'class="ref-wait ref-wait--(\w+)">([^<]*)<', response.content.decode())
    return f"{found.group(1)}: {' '.join(found.group(2).split())}"


def test_the_rule_at_the_norm_and_one_day_over():
    assert (judge(NORM, NORM).level, judge(NORM, NORM).verdict) == ("near", "bijna aan de norm")
    assert (judge(NORM + 1, NORM).level, judge(NORM + 1, NORM).verdict) == ("over", "boven de norm")
    assert judge(10, NORM).level == "ok" and judge(11, NORM).level == "near"  # 3/4 of 14: 10.5
    assert judge(400, None).verdict == "geen norm"
    assert judge(5, 5, warn_near=False).level == "ok"


def test_referral_page_and_indicator_agree_on_the_boundary(make_referral, client_for):
    on_norm = make_referral(referral_date=D(2026, 1, 5), start_date=D(2026, 1, 5 + NORM))
    over = make_referral(referral_date=D(2026, 1, 5), start_date=D(2026, 1, 6 + NORM))
    manager = client_for("contract_manager")
    page = manager.get(f"/verwijzingen/{on_norm.external_id}/")
    assert shown_wait(page) == f"near: {NORM} dagen (bijna aan de norm, norm {NORM} dagen)"
    page = manager.get(f"/verwijzingen/{over.external_id}/")
    assert shown_wait(page) == f"over: {NORM + 1} dagen (boven de norm, norm {NORM} dagen)"
    found = value(compute_values(Q1), "service_type", "dagbegeleiding", "pct_within_norm")
    assert (found.numerator, found.denominator) == (1, 2)  # the one on the norm only


def test_case_page_and_indicator_agree_on_the_boundary(client_for):
    registered = D(2026, 1, 5)
    contact = {BUURTTEAM.working_days_between(registered, registered + datetime.timedelta(days=n)):
               registered + datetime.timedelta(days=n) for n in range(1, 12)}  # fmt: skip
    cases = {}
    for days in (FIRST_CONTACT_NORM_WORKDAYS, FIRST_CONTACT_NORM_WORKDAYS + 1):
        cases[days] = services.register_case(
            user=None, bsn="111222333", district=District.objects.get(code="WK034403"),
            buurtteam=Buurtteam.objects.get(code="BT05"), registration_date=registered,
            first_contact_date=contact[days], support_form="group",
        )  # fmt: skip
    manager = client_for("contract_manager")
    on_norm = manager.get(f"/verwijzingen/casussen/{cases[5].external_id}/")
    assert shown_wait(on_norm) == "ok: 5 (binnen de norm van 5 werkdagen)"
    over = manager.get(f"/verwijzingen/casussen/{cases[6].external_id}/")
    assert shown_wait(over) == "over: 6 (boven de norm van 5 werkdagen)"
    found = value(compute_values(Q1), "district", "WK034403", "bt_pct_within_norm")
    assert (found.numerator, found.denominator) == (1, 2)
