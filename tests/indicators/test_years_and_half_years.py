"""A year (2025) and a half-year (2025H1) computed from the records with the definitions of
INDICATORS.md, never from quarters: every expected figure is worked out by hand below, and
where adding or averaging the quarters would give another number the comment says so.

Referrals (wait = start − referral, calendar days; dagbegeleiding has norm 14, vervoer none):
  A c1 West      dagbegeleiding  P1  ref 2025-01-10 start 01-20 (10) end 05-15
  B c1 West      dagbegeleiding  P3  ref 2025-08-01 start 08-31 (30)
  C c2 Overvecht dagbegeleiding  P1  ref 2025-02-01 start 04-02 (60) end 10-31
  D c3 West      vervoer         P1  ref 2025-03-15 start 03-20 (5)  end 03-31   (no norm)
  E c4 Overvecht dagbegeleiding  P1  ref 2025-06-10 cancelled 09-15
  F c5 West      dagbegeleiding  P1  ref 2025-11-20 still waiting
  G c6 West      dagbegeleiding  P1  ref 2024-12-01 start 2025-07-01 (212)  group
  H c2 Overvecht vervoer         P1  ref 2024-06-01 start 2024-06-10 end 2025-01-05
P1 large care provider, P3 small. Population 2025: West 1,000, Overvecht 2,000, the other eight
wijken 10,000 each (83,000); 2024 has other figures, which must not be used for 2025.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from districts.models import Buurtteam, District, DistrictPopulation
from indicators.models import IndicatorRun, IndicatorValue
from indicators.services import compute_values, replace_period, request_run
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.periods import HalfYear, Quarter, Year
from wmo.quality.models import Complaint, SurveyResponse
from wmo.referrals.models import BuurtteamCase, Client, Referral

TOO_EARLY = (
    "Berekenen kan vanaf 2020Q1: de gepubliceerde nulmeting en de gegevens van Ervaringwijzer "
    "en klachten beginnen in 2020, dus een eerdere periode is niet volledig te berekenen of te "
    "vergelijken."
)
"""Referrals reach back to 2017: the reason is the baseline and the quality data, not missing
records (a tester read 'van eerdere kwartalen zijn geen gegevens' beside referrals of 2017)."""

D = datetime.date
WEST, OVERVECHT = "WK034401", "WK034403"
Y2025, H1, Q1 = Year(2025), HalfYear(2025, 1), Quarter(2025, 1)


def build():
    districts = {d.code: d for d in District.objects.all()}
    for code, district in districts.items():
        population = {WEST: 1_000, OVERVECHT: 2_000}.get(code, 10_000)
        DistrictPopulation.objects.create(district=district, year=2025, population=population)
        DistrictPopulation.objects.create(district=district, year=2024, population=500)
    p1 = Provider.objects.create(agb_code="10000001", name="Groot Zorg", kind="care_provider",
                                 size_override="large")  # fmt: skip
    p3 = Provider.objects.create(agb_code="10000003", name="Klein Zorg", kind="care_provider",
                                 size_override="small")  # fmt: skip
    service = {s.code: s for s in ServiceType.objects.all()}
    clients = {n: Client.objects.create(key=f"jaar-{n}") for n in range(1, 7)}
    west, overvecht = districts[WEST], districts[OVERVECHT]

    def referral(rid, client, district, code, provider, ref, start=None, end=None,
                 cancelled=None, group=False):  # fmt: skip
        Referral.objects.create(
            external_id=rid, client=clients[client], district=district, service_type=service[code],
            provider=provider, contractor=provider, referral_date=ref, start_date=start,
            end_date=end, end_reason="19" if end else "", cancelled_date=cancelled,
            group_based=group,
        )  # fmt: skip

    day = "dagbegeleiding"
    referral("A", 1, west, day, p1, D(2025, 1, 10), D(2025, 1, 20), D(2025, 5, 15))
    referral("B", 1, west, day, p3, D(2025, 8, 1), D(2025, 8, 31))
    referral("C", 2, overvecht, day, p1, D(2025, 2, 1), D(2025, 4, 2), D(2025, 10, 31))
    referral("D", 3, west, "vervoersvoorziening", p1, D(2025, 3, 15), D(2025, 3, 20),
             D(2025, 3, 31))  # fmt: skip
    referral("E", 4, overvecht, day, p1, D(2025, 6, 10), cancelled=D(2025, 9, 15))
    referral("F", 5, west, day, p1, D(2025, 11, 20))
    referral("G", 6, west, day, p1, D(2024, 12, 1), D(2025, 7, 1), group=True)
    referral("H", 2, overvecht, "vervoersvoorziening", p1, D(2024, 6, 1), D(2024, 6, 10),
             D(2025, 1, 5))  # fmt: skip

    # c1 at the buurtteam twice in the year: Mon 3 Feb → Fri 7 Feb (4 working days), closed in
    # Q1; Mon 6 Oct → Mon 13 Oct (5 working days), still open.
    team = Buurtteam.objects.order_by("code").first()
    for cid, registered, contact, closed in (("K1", D(2025, 2, 3), D(2025, 2, 7), D(2025, 2, 20)),
                                             ("K2", D(2025, 10, 6), D(2025, 10, 13), None)):  # fmt: skip
        BuurtteamCase.objects.create(
            external_id=cid, client=clients[1], district=west, buurtteam=team,
            registration_date=registered, first_contact_date=contact, closed_date=closed,
            support_form="individual",
        )  # fmt: skip

    # Complaints: handling 2, 4 (Q1), 30 (Q2) and 10 (Q3) days.
    for kid, received, resolved in (("K1", D(2025, 1, 5), D(2025, 1, 7)),
                                    ("K2", D(2025, 3, 1), D(2025, 3, 5)),
                                    ("K3", D(2025, 5, 1), D(2025, 5, 31)),
                                    ("K4", D(2025, 9, 1), D(2025, 9, 11))):  # fmt: skip
        Complaint.objects.create(external_id=kid, provider=p1, service_type=service[day],
                                 district=west, received_date=received, resolved_date=resolved)  # fmt: skip
    for sid, answered, solution in (("S1", D(2025, 3, 1), 5), ("S2", D(2025, 9, 1), 2)):
        SurveyResponse.objects.create(external_id=sid, date=answered, district=west,
                                      service_type=service[day], provider=p1, q_solution=solution)  # fmt: skip


@pytest.fixture
def computed(db):
    build()
    return {
        period: {(v.level, v.level_key, v.indicator): v for v in compute_values(period)}
        for period in (Y2025, H1, Q1)
    }


def figure(values, indicator, level="system", key="all"):
    v = values[(level, key, indicator)]
    return v.value, v.numerator, v.denominator


def test_distinct_clients_over_the_year_count_once(computed):
    year, half = computed[Y2025], computed[H1]
    # In care in 2025: A, B (c1), C, H (c2), D (c3), G (c6) → 4 clients. The quarters have 3, 2,
    # 3 and 3 (c1 and c2 in care in several quarters): adding them would give 11.
    assert figure(year, "clients_in_care")[0] == 4
    # 2025H1: A (c1), C and H (c2), D (c3) → 3 (Q1 has 3, Q2 2).
    assert figure(half, "clients_in_care")[0] == 3
    assert figure(year, "clients_in_care", "district", WEST)[0] == 3  # c1, c3, c6
    # Counts of events do add up, and are counted over the period: referred A-F, started A, B,
    # C, D, G, ended H, D, A, C.
    assert [figure(year, code)[0] for code in ("new_referrals", "started", "ended")] == [6, 5, 4]
    assert [figure(half, code)[0] for code in ("new_referrals", "started", "ended")] == [4, 3, 3]
    # Per 1,000 inhabitants of 2025 (not 2024's 500 per wijk): West 3 / 1,000; the city 4 / 83,000.
    assert figure(year, "clients_per_1000", "district", WEST) == (Decimal("3.0"), 3, 1_000)
    assert figure(year, "clients_per_1000") == (Decimal("0.0"), 4, 83_000)
    # Diversity: referrals in care A, B, C, D, G, H; only B is delivered by a small provider.
    assert figure(year, "referrals_in_care")[0] == 6
    assert figure(year, "small_org_share") == (Decimal("16.7"), 1, 6)
    assert figure(year, "providers_active")[0] == 2
    assert figure(half, "providers_active")[0] == 1  # B starts in August


def test_waiting_times_are_medians_and_means_of_the_period_itself(computed):
    year, half = computed[Y2025], computed[H1]
    # Started in 2025 with waits 10 (A), 5 (D), 60 (C), 212 (G), 30 (B): median 30, mean 63.4.
    # The quarters' medians are 7.5, 60 and 121 (no starts in Q4): their mean would be 62.8 and
    # their median 60, neither the year's 30.
    assert figure(year, "median_wait_days") == (Decimal("30.0"), None, 5)
    assert figure(year, "mean_wait_days") == (Decimal("63.4"), 317, 5)
    # 2025H1: 10, 5, 60 → median 10 (the quarters' medians 7.5 and 60 average 33.75), mean 25.
    assert figure(half, "median_wait_days") == (Decimal("10.0"), None, 3)
    assert figure(half, "mean_wait_days") == (Decimal("25.0"), 75, 3)
    # Within the norm among started referrals with a norm (D has none): A only of A, C, G, B.
    assert figure(year, "pct_within_norm") == (Decimal("25.0"), 1, 4)
    assert figure(half, "pct_within_norm") == (Decimal("50.0"), 1, 2)
    # G, the only group-based start, starts on 1 July: in the year, not in the first half.
    assert figure(year, "group_share") == (Decimal("20.0"), 1, 5)
    assert figure(half, "group_share") == (Decimal("0.0"), 0, 3)


def test_people_waiting_are_taken_at_the_periods_end_and_its_month_ends(computed):
    year, half, quarter = computed[Y2025], computed[H1], computed[Q1]
    # At 31 December only F waits (E was cancelled, B started on 31 August): 41 days.
    assert figure(year, "waiting_at_end")[0] == 1
    assert figure(year, "mean_days_waiting_at_end") == (Decimal("41.0"), 41, 1)
    # At 30 June: E (20 days) and G (211 days; it starts on 1 July).
    assert figure(half, "waiting_at_end")[0] == 2
    assert figure(half, "mean_days_waiting_at_end") == (Decimal("115.5"), 231, 2)
    # Waiting at the twelve month-ends of 2025, Jan … Dec: G; C, G; C, G; G; G; E, G; E; E
    # (B started on 31 Aug itself); none; none; F; F → 1+2+2+1+1+2+1+1+0+0+1+1 = 13 over 12.
    assert figure(year, "mean_waiting_per_month") == (Decimal("1.1"), 13, 12)
    # The first six: 9 over 6; the first quarter's three: 5 over 3.
    assert figure(half, "mean_waiting_per_month") == (Decimal("1.5"), 9, 6)
    assert figure(quarter, "mean_waiting_per_month") == (Decimal("1.7"), 5, 3)


def test_buurtteam_and_quality_over_the_year(computed):
    year, half = computed[Y2025], computed[H1]
    # c1 had a case open in Q1 and another in Q4: one client of the year (the quarters: 1 + 1).
    assert figure(year, "bt_clients")[0] == 1
    assert figure(year, "bt_new_cases")[0] == 2
    # 4 and 5 working days to first contact: mean 4.5, both within the norm of 5.
    assert figure(year, "bt_mean_wait_workdays") == (Decimal("4.5"), 9, 2)
    assert figure(year, "bt_pct_within_norm") == (Decimal("100.0"), 2, 2)
    assert figure(half, "bt_mean_wait_workdays") == (Decimal("4.0"), 4, 1)
    # Handling days 2, 4, 30, 10: median (4 + 10) / 2 = 7. The quarters' medians 3, 30 and 10
    # have mean 14.3 and median 10. The first half: 2, 4, 30 → 4.
    assert figure(year, "median_complaint_days") == (Decimal("7.0"), None, 4)
    assert figure(half, "median_complaint_days") == (Decimal("4.0"), None, 3)
    # 4 complaints over the year's 4 clients in care.
    assert figure(year, "complaints_per_100_clients") == (Decimal("100.0"), 4, 4)
    assert figure(year, "exp_solution_pct") == (Decimal("50.0"), 1, 2)
    assert figure(half, "exp_solution_pct") == (Decimal("100.0"), 1, 1)


def test_the_quarter_is_what_it_was_and_periods_are_stored_side_by_side(computed):
    quarter = computed[Q1]
    # 2025Q1: in care A (c1), D (c3), H (c2) → 3; started A (10) and D (5): median 7.5.
    assert figure(quarter, "clients_in_care")[0] == 3
    assert figure(quarter, "median_wait_days") == (Decimal("7.5"), None, 2)
    replace_period(Q1, compute_values(Q1))
    stored_quarter = sorted(IndicatorValue.objects.filter(quarter=Q1).values_list(
        "level", "level_key", "indicator", "value", "numerator", "denominator", "norm"))  # fmt: skip
    replace_period(Y2025, compute_values(Y2025))
    replace_period(H1, compute_values(H1))
    # Storing the year and half-year leaves the quarter's rows as they were.
    assert sorted(IndicatorValue.objects.filter(quarter=Q1).values_list(
        "level", "level_key", "indicator", "value", "numerator", "denominator", "norm"),
    ) == stored_quarter  # fmt: skip
    year = IndicatorValue.objects.get(quarter="2025", level="system", indicator="clients_in_care")
    assert (year.quarter, year.value) == (Y2025, 4)
    assert IndicatorValue.objects.filter(quarter="2025H1", indicator="clients_in_care",
                                         level="system").get().value == 3  # fmt: skip


def test_one_active_run_per_period_of_any_kind(db):
    quarter_run, quarter_created = request_run(Quarter(2025, 4))
    year_run, year_created = request_run(Y2025)
    again, again_created = request_run(Year(2025))
    assert (quarter_created, year_created, again_created) == (True, True, False)
    assert again.pk == year_run.pk != quarter_run.pk
    assert IndicatorRun.objects.get(pk=year_run.pk).quarter == Y2025


def test_compute_and_export_commands_take_a_period(db):
    build()
    out = io.StringIO()
    call_command("compute_indicators", "--period", "2025H1", "--sync", stdout=out)
    written = IndicatorValue.objects.filter(quarter="2025H1").count()
    assert f"Halfjaar 2025H1: {written} waarden geschreven" in out.getvalue()
    call_command("compute_indicators", "--quarter", "2025", "--sync", stdout=out)  # the synonym
    assert "Jaar 2025: " in out.getvalue()
    export = io.StringIO()
    call_command("export_indicators", "--period", "2025", stdout=export)
    lines = export.getvalue().splitlines()
    assert lines[0] == "period,level,level_key,indicator,value,numerator,denominator,norm"
    assert "2025,system,all,mean_waiting_per_month,1.1,13,12," in lines
    assert len(lines) - 1 == IndicatorValue.objects.filter(quarter="2025").count()
    public = io.StringIO()
    call_command("export_indicators", "--quarter", "2025H1", "--suppressed", stdout=public)
    header, *rows = public.getvalue().splitlines()
    assert header == "period,level,level_key,indicator,value,numerator,denominator,norm,note"
    assert rows and all(row.startswith("2025H1,") for row in rows)


@pytest.mark.parametrize(
    ("period", "error"),
    [
        ("2026", None),  # the running year (today is 1 December 2026): its figures so far
        ("2026H2", None),
        ("2020", None),
        ("2027", "2027 ligt in de toekomst en kan nog niet berekend worden."),
        ("2027H1", "2027H1 ligt in de toekomst en kan nog niet berekend worden."),
        ("2019", TOO_EARLY),
        ("2019H2", TOO_EARLY),
    ],
)
def test_which_half_years_and_years_can_be_computed(period, error):
    from django.core.exceptions import ValidationError

    from indicators.services import check_period_computable
    from wmo.periods import parse_period

    today = datetime.date(2026, 12, 1)
    if error is None:
        check_period_computable(parse_period(period), today)
        return
    with pytest.raises(ValidationError) as raised:
        check_period_computable(parse_period(period), today)
    assert raised.value.messages == [error]


def _problem(response, status=400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def test_api_reads_a_period_of_any_kind(db, contract_manager_client):
    for period, value in (("2025", 4), ("2025H1", 3), ("2025Q1", 3)):
        IndicatorValue.objects.create(quarter=period, level="system", level_key="all",
                                      indicator="clients_in_care", value=value)  # fmt: skip
    url = "/api/v1/indicatoren?indicator=clients_in_care&"
    rows = contract_manager_client.get(url + "periode=2025").json()["resultaten"]
    assert [(r["periode"], r["kwartaal"], r["waarde"]) for r in rows] == [("2025", None, 4.0)]
    rows = contract_manager_client.get(url + "periode=2025h1").json()["resultaten"]
    assert [(r["periode"], r["kwartaal"], r["waarde"]) for r in rows] == [("2025H1", None, 3.0)]
    # The quarter's parameter and field are as they were.
    rows = contract_manager_client.get(url + "kwartaal=2025Q1").json()["resultaten"]
    assert [(r["periode"], r["kwartaal"]) for r in rows] == [("2025Q1", "2025Q1")]
    assert len(contract_manager_client.get(url).json()["resultaten"]) == 3
    # Bad input is a Dutch 400 naming the parameter, never a 500.
    assert list(_problem(contract_manager_client.get(url + "periode=2025H3"))) == ["periode"]
    assert list(_problem(contract_manager_client.get(url + "periode=" + "9" * 300))) == ["periode"]
    reason = _problem(contract_manager_client.get(url + "kwartaal=2025"))["kwartaal"]
    assert "is een jaar, geen kwartaal" in reason


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({}, "periode", "Geef de periode die berekend moet worden"),
        ({"kwartaal": None}, "periode", "Geef de periode die berekend moet worden"),
        ({"periode": "2027"}, "periode", "2027 ligt in de toekomst"),
        ({"periode": "2019H2"}, "periode", "Berekenen kan vanaf 2020Q1"),
        ({"periode": "2025", "kwartaal": "2025Q1"}, "kwartaal", "niet twee verschillende"),
        ({"kwartaal": "2025H1"}, "kwartaal", "is een halfjaar, geen kwartaal"),
        ({"periode": ["2025"]}, "periode", ""),
        ({"periode": None}, "periode", ""),
        ({"periode": "x" * 5000}, "periode", ""),
    ],
)
def test_api_refuses_a_run_of_no_computable_period_in_dutch(
    db, contract_manager_client, body, field, reason
):
    response = contract_manager_client.post("/api/v1/indicatorberekeningen", body,
                                            content_type="application/json")  # fmt: skip
    assert reason in _problem(response)[field]
    assert not IndicatorRun.objects.exists()


def test_api_starts_a_run_for_a_year_or_half_year(db, contract_manager_client):
    def post(body):
        return contract_manager_client.post("/api/v1/indicatorberekeningen", body,
                                            content_type="application/json")  # fmt: skip

    year = post({"periode": "2025"})
    assert year.status_code in (201, 202), year.content
    assert (year.json()["periode"], year.json()["kwartaal"]) == ("2025", None)
    # A run as the API shows it can be sent back: a null kwartaal is no period.
    again = post({"periode": "2025", "kwartaal": None})
    assert again.status_code == 200 and again.json()["id"] == year.json()["id"]
    # The same period in both names is one period; a quarter has its own run.
    quarter = post({"periode": "2025q1", "kwartaal": "2025Q1"})
    assert quarter.status_code in (201, 202)
    assert (quarter.json()["periode"], quarter.json()["kwartaal"]) == ("2025Q1", "2025Q1")
    assert sorted(map(str, IndicatorRun.objects.values_list("quarter", flat=True))) == [
        "2025",
        "2025Q1",
    ]


def test_the_demo_computes_half_years_and_years_beside_the_quarters(monkeypatch):
    from wmo.demo.management.commands.seed_demo import _closed_periods_from

    monkeypatch.setattr("django.utils.timezone.localdate", lambda: D(2026, 12, 4))
    assert [str(p) for p in _closed_periods_from("2023Q3")] == ["2023Q3", "2023H2", "2023"]
    # 2026H2 and 2026 have not closed yet: only the quarters are computed.
    assert [str(p) for p in _closed_periods_from("2026Q3")] == ["2026Q3"]
