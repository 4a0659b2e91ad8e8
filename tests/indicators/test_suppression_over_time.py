"""Council suppression across the periods of a year (indicators/suppression_over_time.py), and
against the two totals the city's share of small organisations gives: hand-made years of small
figures, read by the attacker (attacker.py) with what INDICATORS.md says adds up over time."""

import random
from decimal import Decimal

import pytest

from indicators.definitions import INDICATORS
from indicators.definitions.base import Value
from indicators.rounding import round_one_decimal
from indicators.services import replace_period
from indicators.suppression import PRIMARY, SECONDARY, WITHHELD, council_view, marks
from indicators.suppression_over_time import marks_for_year, year_periods
from wmo.periods import parse_period

from .attacker import EVENT_INDICATORS, Seen, attack

YEAR = 2025
WIJKEN = ["WK034401", "WK034403", "WK034405"]


def test_the_indicators_that_add_up_over_time_are_the_events_of_indicators_md():
    # The app's flag (IndicatorDef.over_time) against the attacker's reading of INDICATORS.md.
    assert {code for code, d in INDICATORS.items() if d.over_time} == EVENT_INDICATORS


def _row(level, key, indicator, value, numerator=None, denominator=None):
    return Value(level, key, indicator, None if value is None else Decimal(value), numerator,
                 denominator)  # fmt: skip


def test_a_quarter_hidden_alone_is_covered_by_its_other_quarter():
    """The tester's case: a contractor's ended referrals, 8 in 2026H1 and 6 in 2026Q1, so the
    `<5` of 2026Q2 was 2."""
    cell = ("contractor", "98000015", "ended")
    q1, q2, h1 = (parse_period(p) for p in ("2026Q1", "2026Q2", "2026H1"))
    by_period = marks_for_year(2026, {q1: [_row(*cell, 6)], q2: [_row(*cell, 2)],
                                      h1: [_row(*cell, 8)]})  # fmt: skip
    assert by_period == {q1: {cell: SECONDARY}, q2: {cell: PRIMARY}, h1: {}}
    # Each period on its own hid only the 2.
    assert marks([_row(*cell, 6)]) == {}


@pytest.mark.django_db  # the voorzieningen' objectives (the pools per objective)
def test_a_breakdown_withheld_in_a_quarter_stays_withheld_over_the_year():
    """The same meeting bounds (test_suppression.meeting_bounds) in 2026Q1, with 2026H1 and
    2026Q2 stored: withholding changes marks the quarter already had (`<5` becomes `—*`),
    which the year's marking must carry through its rounds."""
    from .test_suppression import SERVICES, meeting_bounds

    q1, q2, h1 = (parse_period(p) for p in ("2026Q1", "2026Q2", "2026H1"))
    second = [_row("system", "all", "waiting_at_end", 20)]
    by_period = marks_for_year(2026, {q1: meeting_bounds(), q2: second, h1: second})
    assert {by_period[q1][("service_type", s, "waiting_at_end")] for s in SERVICES} == {WITHHELD}
    rows = {q1: meeting_bounds(), q2: second, h1: second}
    seen = _seen(rows, by_period)
    assert attack(seen, complete=[str(p) for p in rows], reads_marks=True) == []


WIJKEN_OF_ONE = ["WK034402", "WK034405", "WK034409", "WK034410"]


def _complaints_of_one_quarter() -> dict:
    """Complaints in four wijken (the full demo's 2025 had this shape): about woonvoorzieningen
    2 a quarter in each; about rolstoelvoorzieningen one in each wijk, all in 2025Q2."""
    rows = {}
    for period in year_periods(YEAR):
        quarters = [q.number for q in period.quarters()]
        wheelchair, housing = (1 if 2 in quarters else 0), 2 * len(quarters)
        count = len(WIJKEN_OF_ONE)
        rows[period] = [
            _row("system", "all", "complaints", (wheelchair + housing) * count),
            _row("service_type", "rolstoelvoorziening", "complaints", wheelchair * count),
            _row("service_type", "woonvoorziening", "complaints", housing * count),
        ]
        for wijk in WIJKEN_OF_ONE:
            rows[period] += [
                _row("district", wijk, "complaints", wheelchair + housing),
                _row("district_service", f"{wijk}:rolstoelvoorziening", "complaints", wheelchair),
                _row("district_service", f"{wijk}:woonvoorziening", "complaints", housing),
            ]
    return rows


def _attack_year(rows) -> list[str]:
    together = marks_for_year(YEAR, rows)
    return attack(_seen(rows, together), complete=[str(p) for p in rows], reads_marks=True)


@pytest.mark.django_db  # the voorzieningen' objectives (the pools per objective)
def test_a_sum_still_pinned_with_every_part_withheld_withholds_its_total():
    """Each wijk's rolstoelvoorziening year is `<5` and its other quarters 0, so its 2025Q2
    is at least 1 whatever 2025Q2 shows; four of them under a `<5` total are 1 each. With the
    four withheld already, the total is withheld as well."""
    rows = _complaints_of_one_quarter()
    together = marks_for_year(YEAR, rows)
    q2 = parse_period("2025Q2")
    assert together[q2][("service_type", "rolstoelvoorziening", "complaints")] == WITHHELD
    assert {together[q2][("district_service", f"{wijk}:rolstoelvoorziening", "complaints")]
            for wijk in WIJKEN_OF_ONE} == {WITHHELD}  # fmt: skip
    assert _attack_year(rows) == []


def _counts(rng) -> dict:
    """ended per wijk and quarter: small numbers, many of them 1–4."""
    return {(q, wijk): rng.choice([0, 1, 2, 3, 5, 6, 7, 9, 12]) for q in (1, 2, 3, 4)
            for wijk in WIJKEN}  # fmt: skip


def _shares(rng) -> dict:
    """pct_within_norm per wijk and quarter: (within norm, started with a norm)."""
    shares = {}
    for q in (1, 2, 3, 4):
        for wijk in WIJKEN:
            denominator = rng.choice([6, 9, 11, 14, 20, 25])
            shares[(q, wijk)] = (rng.randint(0, denominator), denominator)
    return shares


def _year(rng) -> dict:
    """Every period of the year as rows: each wijk, and the city as their sum."""
    counts, shares = _counts(rng), _shares(rng)
    rows = {}
    for period in year_periods(YEAR):
        quarters = [q.number for q in period.quarters()]
        period_rows = []
        for key in [*WIJKEN, "all"]:
            wijken = WIJKEN if key == "all" else [key]
            level = "system" if key == "all" else "district"
            ended = sum(counts[(q, w)] for q in quarters for w in wijken)
            within = sum(shares[(q, w)][0] for q in quarters for w in wijken)
            started = sum(shares[(q, w)][1] for q in quarters for w in wijken)
            period_rows.append(_row(level, key, "ended", ended))
            period_rows.append(_row(level, key, "pct_within_norm",
                                    round_one_decimal(Decimal(100 * within) / started),
                                    within, started))  # fmt: skip
        rows[period] = period_rows
    return rows


def _seen(rows_by_period: dict, marked: dict) -> list[Seen]:
    seen = []
    for period, rows in rows_by_period.items():
        for row in rows:
            row.suppression = marked[period].get((row.level, row.level_key, row.indicator), "")
            view = council_view(row)
            seen.append(Seen("API", str(period), row.level, row.level_key, row.indicator,
                             view.value, noted=bool(view.note)))  # fmt: skip
    return seen


@pytest.mark.parametrize("seed", range(6))
def test_nothing_follows_from_the_other_periods_of_the_year(seed):
    rows = _year(random.Random(seed))
    complete = [str(p) for p in rows]
    per_period = {period: marks(period_rows) for period, period_rows in rows.items()}
    # Each period marked on its own (the old rule): the year gives quarters away.
    old = attack(_seen(rows, per_period), complete=complete)
    assert any(f.startswith("(c)") for f in old), seed
    together = marks_for_year(YEAR, rows)
    assert attack(_seen(rows, together), complete=complete) == []
    # Every figure the old rule hid stays hidden, for the same reason.
    for period, marked in per_period.items():
        assert {c for c, kind in marked.items() if kind == PRIMARY} <= set(together[period])


@pytest.mark.parametrize("seed", range(6))
def test_nothing_follows_for_an_attacker_who_reads_the_marks(seed):
    rows = _year(random.Random(seed))
    together = marks_for_year(YEAR, rows)
    findings = attack(_seen(rows, together), complete=[str(p) for p in rows], reads_marks=True)
    assert findings == [], "\n".join(findings)


def _providers(counts: dict, small: set) -> list[Value]:
    """referrals_in_care per provider and the city, with the small_org_share rows."""
    total = sum(counts.values())
    in_small = sum(n for key, n in counts.items() if key in small)
    rows = [_row("system", "all", "referrals_in_care", total),
            _row("system", "all", "small_org_share",
                 round_one_decimal(Decimal(100 * in_small) / total), in_small, total)]  # fmt: skip
    for key, n in counts.items():
        share = n if key in small else 0
        rows += [_row("provider", key, "referrals_in_care", n),
                 _row("provider", key, "small_org_share", 100 if key in small else 0, share, n)]  # fmt: skip
    return rows


def test_the_share_of_small_organisations_gives_no_provider_away():
    """The tester's case: 20 referrals in care, 50 % with small organisations; 83058805 (small)
    5 shown, 75039087 (small) hidden, 63003158 (large) 8 shown, 13063077 (large) 2 hidden:
    20 × 50 % − 5 = 5 and 10 − 8 = 2."""
    small = {"83058805", "75039087"}
    rows = _providers({"83058805": 5, "75039087": 5, "63003158": 8, "13063077": 2}, small)
    period = parse_period("2026Q3")
    marked = marks(rows)
    seen = _seen({period: rows}, {period: marked})
    assert attack(seen, complete=["2026Q3"], small=small) == []
    in_care = {key: kind for (level, key, indicator), kind in marked.items()
               if level == "provider" and indicator == "referrals_in_care"}  # fmt: skip
    assert in_care == {"13063077": PRIMARY, "75039087": SECONDARY, "83058805": SECONDARY,
                       "63003158": SECONDARY}  # fmt: skip
    # The small class is then two `<5*`, each at least 5 to whoever knows the rules: 20 × 50 %
    # = 10 would pin both, so the city's share goes too.
    assert marked[("system", "all", "small_org_share")] == SECONDARY
    # Without the class totals the attacker works both back.
    from indicators import suppression

    old = dict(marked)
    for cell in [("provider", "83058805", "referrals_in_care"),
                 ("provider", "63003158", "referrals_in_care"),
                 ("system", "all", "small_org_share")]:  # fmt: skip
        old.pop(cell)
    findings = attack(_seen({period: rows}, {period: old}), complete=["2026Q3"], small=small)
    assert [f for f in findings if "75039087" in f and "is 5" in f]
    assert suppression.CLASS_TOTAL == "class"


def test_a_class_of_one_hidden_provider_hides_the_share():
    """One large provider, hidden to cover a small one's 2: the share's complement is its 6."""
    small = {"83058805", "75039087"}
    rows = _providers({"83058805": 2, "75039087": 30, "13063077": 6}, small)
    marked = marks(rows)
    assert marked[("provider", "83058805", "referrals_in_care")] == PRIMARY
    assert marked[("provider", "13063077", "referrals_in_care")] == SECONDARY
    assert marked[("system", "all", "small_org_share")] == SECONDARY
    period = parse_period("2026Q3")
    assert attack(_seen({period: rows}, {period: marked}), complete=["2026Q3"], small=small) == []


@pytest.mark.django_db
@pytest.mark.parametrize("order", [("2026Q1", "2026Q2", "2026H1"), ("2026H1", "2026Q2", "2026Q1")])
def test_storing_a_period_marks_the_stored_periods_of_its_year(order):
    from indicators.models import IndicatorValue

    values = {"2026Q1": 6, "2026Q2": 2, "2026H1": 8}
    for period in order:
        replace_period(parse_period(period), [_row("contractor", "98000015", "ended",
                                                   values[period])])  # fmt: skip
    stored = dict(IndicatorValue.objects.values_list("quarter", "suppression"))
    assert {str(p): mark for p, mark in stored.items()} == {
        "2026Q1": SECONDARY,
        "2026Q2": PRIMARY,
        "2026H1": "",
    }
    # Another year is decided apart.
    replace_period(parse_period("2025Q1"), [_row("contractor", "98000015", "ended", 3)])
    assert IndicatorValue.objects.get(quarter="2026Q1").suppression == SECONDARY
