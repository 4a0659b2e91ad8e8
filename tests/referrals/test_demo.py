"""The demo referrals and cases: valid by every rule, deterministic, shaped like the published
0-measurement 2020–2022 at the default size, contracted as the seeded contracts say, and
re-seedable without loading the old rows."""

import csv
import datetime
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F, Q

from districts.models import Buurtteam, District
from providers.models import Consortium, Contract
from tests.seeded import demo_providers
from wmo.calendar import BUURTTEAM
from wmo.catalogue.models import ServiceType
from wmo.referrals.contracts import check_parties
from wmo.referrals.demo import (
    DEMO_PREFIX,
    demo_bsn,
    exact_mean_draws,
    full_size,
    last_completed_quarter_end,
    seed_referrals,
)
from wmo.referrals.models import BuurtteamCase, Client, Referral, ReferralEvent
from wmo.referrals.pseudonyms import is_valid_bsn
from wmo.referrals.rules import (
    case_date_errors,
    previous_referral_errors,
    referral_area_errors,
    referral_date_errors,
)
from wmo.referrals.services import register_referral

TODAY = datetime.date(2026, 11, 23)
END = datetime.date(2026, 9, 30)
CITY_CONTRACT = datetime.date(2027, 1, 1)
FIELDS = ["external_id", "client__key", "service_type__code", "provider__agb_code", "referral_date",
          "start_date", "end_date", "end_reason", "cancelled_date", "team__code"]  # fmt: skip
BASELINE = Path(__file__).resolve().parents[2] / "indicators" / "data" / "baseline_2020_2022.csv"
# Stated tolerances of the default-size demo against the published figures.
COUNT_TOLERANCE = 0.01  # people in care per voorziening and year, new buurtteam cases
OPEN_CASES_TOLERANCE = 0.02  # buurtteam cases open in the year
WAIT_TOLERANCE = 0.5  # days (voorzieningen), working days (buurtteam)


@pytest.fixture
def landscape(db):
    demo_providers()


def baseline() -> dict[tuple[str, str, int], float]:
    with open(BASELINE, encoding="utf-8") as handle:
        return {(r["service_type"], r["indicator"], int(r["year"])): float(r["value"])
                for r in csv.DictReader(handle)}  # fmt: skip


def in_care(code: str, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (Referral.objects.filter(service_type__code=code, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
            .values("client_id").distinct().count())  # fmt: skip


def mean_wait(code: str, year: int) -> float:
    """Mean days from referral to start over the referrals started in `year`; a successor
    (TRANSITION.md: care handed over on 1 January 2027) is no new inflow and waits for nobody."""
    pairs = Referral.objects.filter(service_type__code=code, start_date__year=year,
                                    previous__isnull=True).values_list(
        "referral_date", "start_date")  # fmt: skip
    return sum((start - day).days for day, start in pairs) / len(pairs)


def test_demo_bsns_pass_the_eleven_test():
    assert all(is_valid_bsn(demo_bsn(i)) for i in range(2000))


def test_last_completed_quarter():
    assert last_completed_quarter_end(TODAY) == END
    assert last_completed_quarter_end(datetime.date(2026, 1, 5)) == datetime.date(2025, 12, 31)


def test_waits_are_skewed_with_the_exact_mean():
    waits = exact_mean_draws(random.Random(3), 1000, 51.0)
    assert sum(waits) == 51_000 and min(waits) >= 0
    assert sorted(waits)[500] < 51 < max(waits)  # most wait less than the mean, a few long
    assert exact_mean_draws(random.Random(3), 0, 10.0) == []


@pytest.mark.slow
def test_seed_is_deterministic_and_follows_every_rule(landscape):
    counts = seed_referrals(random.Random(7), referrals=600, today=TODAY)
    assert counts["referrals"] == Referral.objects.count() == 600
    assert counts["cases"] == BuurtteamCase.objects.count() > 200
    first = list(Referral.objects.order_by("external_id").values_list(*FIELDS))
    seed_referrals(random.Random(7), referrals=600, today=TODAY)
    assert list(Referral.objects.order_by("external_id").values_list(*FIELDS)) == first
    referrals = list(Referral.objects.select_related("service_type", "district", "provider",
                                                     "contractor", "municipality"))  # fmt: skip
    # A few U16 clients from outside Utrecht, for objective V services only.
    assert {r.service_type.objective for r in referrals if r.municipality} == {"V"}
    # The city-wide contractor of 2027 delivers from 2027 on; it took uncontracted voorzieningen
    # from 2017 on, and counted as a small organisation in those years.
    main_contractor = Consortium.objects.get(contracts__start_date=CITY_CONTRACT).main_contractor
    assert [r.referral_date for r in referrals if main_contractor in (r.provider, r.contractor)
            and r.referral_date < CITY_CONTRACT] == []  # fmt: skip
    for r in referrals:
        assert referral_area_errors(r.district, r.municipality, r.service_type) == {}
        assert referral_date_errors(r.referral_date, r.assignment_date, r.start_date, r.end_date,
                                    r.end_reason, r.cancelled_date, on=TODAY) == {}  # fmt: skip
        assert r.service_type.is_valid_on(r.referral_date), r.external_id
        contractor, errors = check_parties(r.service_type, r.district, r.referral_date, r.provider,
                                           r.contractor)  # fmt: skip
        assert errors == {} and contractor == r.contractor, (r.external_id, errors)
    # Only the people already in care on 1 January 2020 (and starts early that year) were
    # referred before 2020; nothing is dated after the last completed quarter.
    assert all(r.start_date and r.start_date.year <= 2020 for r in referrals
               if r.referral_date.year < 2020)  # fmt: skip
    assert max(r.referral_date for r in referrals) <= END
    assert {"cancelled", "started", "ended"} <= {r.state for r in referrals}
    assert Referral.objects.waiting().exists()
    assert len({r.client_id for r in referrals}) < len(referrals)  # repeat clients
    for case in BuurtteamCase.objects.all():
        assert case_date_errors(case.registration_date, case.first_contact_date, case.closed_date,
                                on=TODAY) == {}  # fmt: skip


@pytest.mark.slow
def test_referrals_n_scales_everything(landscape):
    small = seed_referrals(random.Random(1), referrals=3_000, today=TODAY)
    assert Referral.objects.count() == 3_000
    large = seed_referrals(random.Random(1), referrals=9_000, today=TODAY)
    assert Referral.objects.count() == 9_000
    assert 2.8 < large["cases"] / small["cases"] < 3.2
    assert 2.8 < large["clients"] / small["clients"] < 3.2


@pytest.mark.slow
def test_default_size_resembles_the_published_baseline(landscape):
    """At the default size: people in care per voorziening and year within 1 % of the
    published unique clients, the mean wait of each year's starts within half a day of the
    published mean; buurtteam new cases within 1 %, open cases within 2 %, working days to
    first contact within half a day. 2023 and later continue the trend."""
    counts = seed_referrals(random.Random(2028), today=TODAY)
    assert counts["referrals"] == full_size(END) == Referral.objects.count()
    assert 100_000 < counts["referrals"] < 115_000
    published = baseline()
    codes = {code for code, indicator, _ in published if indicator == "unique_clients"}
    codes &= set(ServiceType.objects.values_list("code", flat=True))
    assert len(codes) == 13
    for code in sorted(codes):
        for year in (2020, 2021, 2022):
            expected = published[(code, "unique_clients", year)]
            assert abs(in_care(code, year) - expected) <= COUNT_TOLERANCE * expected, (code, year)
            if (code, "mean_wait", year) in published:
                wait = mean_wait(code, year)
                assert abs(wait - published[(code, "mean_wait", year)]) <= WAIT_TOLERANCE, (
                    code, year, wait)  # fmt: skip
    # The trend continues: Beschermd Verblijf keeps falling (1151 → 767 → 691), slower.
    assert 600 < in_care("beschermd_verblijf", 2024) < in_care("beschermd_verblijf", 2022)
    assert in_care("living_lab", 2024) > in_care("living_lab", 2022)
    for year in (2020, 2021, 2022):
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        new = BuurtteamCase.objects.filter(registration_date__range=(first, last)).count()
        expected = published[("buurtteam", "new_cases", year)]
        assert abs(new - expected) <= COUNT_TOLERANCE * expected, year
        open_cases = BuurtteamCase.objects.filter(registration_date__lte=last).filter(
            Q(closed_date__isnull=True) | Q(closed_date__gte=first)).count()  # fmt: skip
        expected = published[("buurtteam", "cases", year)]
        assert abs(open_cases - expected) <= OPEN_CASES_TOLERANCE * expected, year
        contacted = BuurtteamCase.objects.filter(first_contact_date__range=(first, last))
        waits = [BUURTTEAM.working_days_between(r, f) for r, f in
                 contacted.values_list("registration_date", "first_contact_date")]  # fmt: skip
        expected = published[("buurtteam", "mean_wait", year)]
        assert abs(sum(waits) / len(waits) - expected) <= WAIT_TOLERANCE, year
    waiting = Referral.objects.waiting().filter(referral_date__lte=END).count()
    assert 800 < waiting < 2_500
    cancelled = Referral.objects.filter(cancelled_date__isnull=False).count()
    assert 0.03 < cancelled / counts["referrals"] < 0.08


@pytest.mark.slow
def test_from_2027_ambulante_begeleiding_takes_over_and_subcontractors_deliver(landscape):
    seed_referrals(random.Random(5), referrals=20_000, today=datetime.date(2028, 1, 15))
    merged = Referral.objects.filter(service_type__code="ambulante_begeleiding")
    assert merged.count() > 300
    assert not merged.filter(referral_date__lt="2027-01-01").exists()
    for code in ("individuele_begeleiding", "thuisbegeleiding"):
        assert not Referral.objects.filter(service_type__code=code,
                                           referral_date__gte="2027-01-01").exists()  # fmt: skip
    # Its waits continue those of the three it replaces (about 78 days), not a norm of 14.
    assert 65 < mean_wait("ambulante_begeleiding", 2027) < 90
    consortium = Consortium.objects.get()
    members = set(consortium.members.values_list("pk", flat=True))
    subcontracted = merged.exclude(provider_id=F("contractor_id"))
    assert subcontracted.count() > 0.3 * merged.count()
    assert set(subcontracted.values_list("contractor_id", flat=True)) == {
        consortium.main_contractor_id
    }
    assert set(subcontracted.values_list("provider_id", flat=True)) <= members
    for r in merged.select_related("service_type", "district", "provider", "contractor")[:200]:
        contractor, errors = check_parties(r.service_type, r.district, r.referral_date, r.provider,
                                           r.contractor)  # fmt: skip
        assert errors == {} and contractor == r.contractor, (r.external_id, errors)
    # Hulp bij het huishouden stays outside the 2027 contract: its referrals go to the
    # existing HbH contracts (running to 2031), never to the city-wide contractor.
    city = Contract.objects.get(reference="AZ-2027-STAD")
    hbh = Referral.objects.filter(service_type__code="hulp_bij_huishouden",
                                  referral_date__gte="2027-01-01")  # fmt: skip
    assert hbh.count() > 50
    holders = set(Contract.objects.filter(reference__startswith="HBH-2021-")
                  .values_list("contractor_id", flat=True))  # fmt: skip
    assert set(hbh.values_list("contractor_id", flat=True)) <= holders
    assert set(hbh.values_list("provider_id", flat=True)) <= holders
    assert city.contractor_id not in holders


@pytest.mark.slow
def test_reseeding_replaces_demo_rows_only(landscape, user_for):
    seed_referrals(random.Random(2), referrals=1_000, today=TODAY)  # empty tables: TRUNCATE
    demo = Referral.objects.order_by("pk").first()
    ReferralEvent.objects.create(referral=demo, to_state="registered")  # someone clicked in it
    own = register_referral(
        user=user_for("contract_manager"), bsn="111222333",
        district=District.objects.get(code="WK034403"),
        service_type=ServiceType.objects.get(code="woonvoorziening"),
        provider=demo.provider, referral_date=datetime.date(2026, 3, 2),
        team=Buurtteam.objects.get(code="BT05"),
    )  # fmt: skip
    seed_referrals(random.Random(2), referrals=1_200, today=TODAY)  # by prefix: DELETE
    assert Referral.objects.filter(external_id__startswith=DEMO_PREFIX).count() == 1_200
    assert Referral.objects.filter(pk=own.pk).exists() and own.events.count() == 1
    assert not ReferralEvent.objects.filter(referral_id=demo.pk).exists()
    assert Client.objects.filter(pk=own.client_id).exists()


@pytest.mark.slow
def test_seed_demo_command(landscape, capsys):
    call_command("seed_demo", "--referrals", "1500", "--seed", "3", "--indicators-since", "geen")
    out = capsys.readouterr().out
    assert "Verwijzingen: 1500, buurtteamcasussen: " in out
    assert Referral.objects.count() == 1500


@pytest.mark.slow
def test_demo_transition_successors_tell_the_story(landscape):
    """Seeded after the move: most clients to transfer have a successor of the same client
    (some keep their provider as subcontractor, some start after a gap), not all; each
    successor's parties follow the 2027 contracts on its date."""
    from wmo.referrals.transition import TRANSITION_DAY, monitor

    today = datetime.date(2027, 3, 1)
    counts = seed_referrals(random.Random(3), referrals=6_000, today=today)
    result = monitor(TRANSITION_DAY, today)
    total = result.total
    assert counts["successors"] == total.transferred + total.planned > 0
    assert 0 < total.unresolved < total.to_transfer / 5
    assert 0 < total.same_provider < total.transferred
    assert total.gap_max and total.gap_max > 0 and len(total.gaps) < total.transferred
    successors = Referral.objects.filter(previous__isnull=False).select_related(
        "previous", "service_type", "district", "provider", "contractor")  # fmt: skip
    for r in successors[:200]:
        assert r.client_id == r.previous.client_id and r.previous.end_date == TRANSITION_DAY
        contractor, errors = check_parties(r.service_type, r.district, r.referral_date, r.provider,
                                           r.contractor)  # fmt: skip
        assert errors == {} and contractor == r.contractor, (r.external_id, errors)
    # Every successor follows its predecessor (rules.previous_referral_errors).
    for r in successors:
        assert previous_referral_errors(
            r.previous.external_id, r.client_id, r.previous.client_id, r.external_id,
            dates=(r.referral_date, r.start_date),
            previous_dates=(r.previous.referral_date, r.previous.start_date),
        ) == {}, r.external_id  # fmt: skip
    first = list(successors.order_by("external_id").values_list("external_id", "provider_id",
                                                                "start_date"))  # fmt: skip
    seed_referrals(random.Random(3), referrals=6_000, today=today)
    assert list(Referral.objects.filter(previous__isnull=False).order_by("external_id")
                .values_list("external_id", "provider_id", "start_date")) == first  # fmt: skip
