"""Dated norms and targets (INDICATORS.md "Periods"): a figure is judged against the norm valid
on its period's last day; a wait on a page against the norm valid on the day the wait ends."""

import datetime

import pytest

from districts.models import Buurtteam, District
from indicators.services import compute_values
from wmo.catalogue.models import Norm, NormKind, ServiceType
from wmo.catalogue.norms import NormHistory, norm_on, norms_on
from wmo.periods import Quarter, Year
from wmo.referrals import services
from wmo.referrals.waiting import first_contact_wait, referral_wait

from .test_waiting import shown_wait, value

pytestmark = pytest.mark.django_db
D = datetime.date
CHANGE = D(2026, 7, 1)  # mid-year: Q2 under the old norm, Q3 under the new


@pytest.fixture
def stricter():
    """From 1 July 2026 dagbegeleiding's waiting norm is 10 days (was 14), the first-contact
    norm 4 working days (was 5) and the 80/20 target 25 (was 20)."""
    service = ServiceType.objects.get(code="dagbegeleiding")
    for kind, svc, number in ((NormKind.WAITING_DAYS, service, 10),
                              (NormKind.BT_FIRST_CONTACT_WORKDAYS, None, 4),
                              (NormKind.BT_REFERRAL_PCT, None, 25)):  # fmt: skip
        Norm.objects.create(kind=kind, service_type=svc, value=number, valid_from=CHANGE,
                            source="Raadsbesluit (proef)", note="")  # fmt: skip
    return service


def test_lookup_takes_the_latest_value_on_or_before_the_day(stricter):
    before, on = CHANGE - datetime.timedelta(days=1), CHANGE
    assert norm_on(NormKind.WAITING_DAYS, stricter, before) == 14
    assert norm_on(NormKind.WAITING_DAYS, stricter, on) == 10
    assert norm_on(NormKind.WAITING_DAYS, stricter, D(2014, 12, 31)) is None
    history = NormHistory()
    for day in (before, on, D(2030, 1, 1)):
        one_query = norms_on(day)
        for kind in (NormKind.BT_FIRST_CONTACT_WORKDAYS, NormKind.BT_REFERRAL_PCT):
            assert one_query.get(kind) == history.on(kind, None, day) == norm_on(kind, None, day)
        assert one_query.waiting_days(stricter.pk) == history.on(NormKind.WAITING_DAYS, stricter,
                                                                 day)  # fmt: skip


def test_quarters_before_and_after_a_change_use_their_own_norm(make_referral, stricter):
    # Both waited 12 days: within 14 (Q2), over 10 (Q3).
    make_referral(referral_date=D(2026, 5, 4), start_date=D(2026, 5, 16))
    make_referral(referral_date=D(2026, 7, 6), start_date=D(2026, 7, 18))
    q2 = compute_values(Quarter(2026, 2))
    q3 = compute_values(Quarter(2026, 3))
    found = value(q2, "service_type", "dagbegeleiding", "pct_within_norm")
    assert (found.numerator, found.denominator) == (1, 1)
    assert value(q2, "service_type", "dagbegeleiding", "mean_wait_days").norm == 14
    found = value(q3, "service_type", "dagbegeleiding", "pct_within_norm")
    assert (found.numerator, found.denominator) == (0, 1)
    assert value(q3, "service_type", "dagbegeleiding", "mean_wait_days").norm == 10
    assert value(q2, "system", "all", "bt_referral_rate").norm == 20
    assert value(q3, "system", "all", "bt_referral_rate").norm == 25
    assert value(q2, "system", "all", "group_share").norm == 15  # unchanged target


def test_a_year_is_judged_against_the_norm_of_31_december(make_referral, stricter):
    # Started in May under 14 days; the year ends under 10, so the year counts it over.
    make_referral(referral_date=D(2026, 5, 4), start_date=D(2026, 5, 16))
    year = compute_values(Year(2026))
    found = value(year, "service_type", "dagbegeleiding", "pct_within_norm")
    assert (found.numerator, found.denominator) == (0, 1)
    assert value(year, "system", "all", "bt_mean_wait_workdays").norm == 4


def test_first_contact_norm_change_in_engine_and_on_the_page(stricter, client_for):
    def case(registered, contact):
        return services.register_case(
            user=None, bsn="111222333", district=District.objects.get(code="WK034403"),
            buurtteam=Buurtteam.objects.get(code="BT05"), registration_date=registered,
            first_contact_date=contact, support_form="group",
        )  # fmt: skip

    # Five working days each: within 5 in Q2, over 4 in Q3.
    before = case(D(2026, 6, 1), D(2026, 6, 8))
    after = case(D(2026, 7, 6), D(2026, 7, 13))
    q2 = value(compute_values(Quarter(2026, 2)), "district", "WK034403", "bt_pct_within_norm")
    q3 = value(compute_values(Quarter(2026, 3)), "district", "WK034403", "bt_pct_within_norm")
    assert (q2.numerator, q2.denominator, q3.numerator, q3.denominator) == (1, 1, 0, 1)
    manager = client_for("contract_manager")
    page = manager.get(f"/verwijzingen/casussen/{before.external_id}/")
    assert shown_wait(page) == "ok: 5 (binnen de norm van 5 werkdagen)"
    page = manager.get(f"/verwijzingen/casussen/{after.external_id}/")
    assert shown_wait(page) == "over: 5 (boven de norm van 4 werkdagen)"


def test_a_page_judges_a_wait_on_the_day_it_ends(make_referral, stricter):
    ended_before = make_referral(referral_date=D(2026, 5, 4), start_date=D(2026, 5, 16))
    waiting = make_referral(referral_date=D(2026, 6, 19))
    # Started before the change: its 12 days stay within the 14 of that day.
    assert referral_wait(ended_before, today=D(2026, 9, 1)).norm == 14
    assert referral_wait(ended_before, today=D(2026, 9, 1)).level != "over"
    # Still waiting: held to the norm of the day looked at.
    assert referral_wait(waiting, today=D(2026, 6, 30)).verdict == "bijna aan de norm"  # 11 of 14
    assert referral_wait(waiting, today=CHANGE).verdict == "boven de norm"  # 12 of 10
    case = services.register_case(
        user=None, bsn="111222333", district=District.objects.get(code="WK034403"),
        buurtteam=Buurtteam.objects.get(code="BT05"), registration_date=D(2026, 6, 1),
        support_form="group",
    )  # fmt: skip
    assert first_contact_wait(case, today=D(2026, 6, 8)).norm == 5
    assert first_contact_wait(case, today=D(2026, 7, 1)).norm == 4


def test_the_2027_change_as_dated_catalogue_entries():
    """REFERENCE_DATA.md: ambulante begeleiding from 2027 replaces individuele begeleiding and
    thuisbegeleiding (until 2026); Beschermd Thuis goes on as pilots inside the city contract
    2027–2028, so it is not ended on 31 December 2026."""
    dates = {s.code: (s.valid_from, s.valid_to) for s in ServiceType.objects.all()}
    assert dates["ambulante_begeleiding"] == (D(2027, 1, 1), None)
    assert dates["individuele_begeleiding"] == (None, D(2026, 12, 31))
    assert dates["thuisbegeleiding"] == (None, D(2026, 12, 31))
    assert ServiceType.objects.get(code="beschermd_thuis").is_valid_on(D(2028, 6, 30))
    # Every service with a waiting norm in the table has it from 2015 on, the new one included.
    assert norm_on(NormKind.WAITING_DAYS, ServiceType.objects.get(code="ambulante_begeleiding"),
                   D(2027, 1, 1)) == 14  # fmt: skip


def test_api_shows_the_waiting_norm_valid_on_the_asked_day(stricter, client_for):
    client = client_for("contract_manager")
    on = client.get("/api/v1/voorzieningen/dagbegeleiding?geldigOp=2026-07-01").json()
    before = client.get("/api/v1/voorzieningen/dagbegeleiding?geldigOp=2026-06-30").json()
    assert (before["wachttijdnormDagen"], on["wachttijdnormDagen"]) == (14, 10)
    living_lab = client.get("/api/v1/voorzieningen/living_lab").json()
    assert living_lab["wachttijdnormDagen"] is None
