"""The suppression rules of INDICATORS.md ("Rounding and suppression") on hand-made figures,
and the attacker (attacker.py) proven on the old rule: it finds what the old council views let
slip, and nothing in what the new ones show."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.definitions.base import Value
from indicators.suppression import (
    NOTE,
    PRIMARY,
    SECONDARY,
    WITHHELD,
    council_view,
    is_primary,
    marks,
    pool_hidden,
    published,
    suppressed_as,
)

from .attacker import SMALL, Seen, attack

# marks() reads which objective each voorziening serves (the pools per objective).
pytestmark = pytest.mark.django_db
D = Decimal
WIJKEN = [f"WK0344{n:02d}" for n in range(1, 11)]


def shown(indicator, value, numerator=None, denominator=None, mark=""):
    row = Value("system", "all", indicator, None if value is None else D(str(value)),
                numerator, denominator)  # fmt: skip
    row.suppression = mark
    view = council_view(row)
    return view.value, view.numerator, view.denominator, view.note


@pytest.mark.parametrize(
    ("indicator", "stored", "expected"),
    [
        ("clients_in_care", (3,), "<5"),
        ("clients_in_care", (1,), "<5"),
        ("clients_in_care", (0,), D(0)),
        ("clients_in_care", (5,), D(5)),
        # The cases: 23,1 % of 13 (3 in the numerator) and 66,7 % of 12 (4 outside).
        ("pct_within_norm", ("23.1", 3, 13), "—"),
        ("pct_within_norm", ("66.7", 8, 12), "—"),
        ("group_share", ("75.0", 3, 12), "—"),
        ("group_share", ("50.0", 5, 10), D("50.0")),
        ("group_share", ("0.0", 0, 12), D("0.0")),
        ("group_share", ("100.0", 12, 12), D("100.0")),
        ("group_share", ("0.0", 0, 9), "—"),  # fewer than 10 observations
        ("exp_solution_pct", ("96.2", 25, 26), "—"),  # one person not positive
        ("mean_wait_days", ("17.7", 53, 3), "—"),
        ("mean_wait_days", ("17.7", 530, 30), D("17.7")),
        ("median_wait_days", ("11.0", None, 9), "—"),
        ("median_wait_days", ("11.0", None, 10), D("11.0")),
        ("clients_per_1000", ("0.1", 3, 26000), "—"),
        ("clients_per_1000", ("7.2", 2738, 381059), D("7.2")),
        ("complaints_per_100_clients", ("2.5", 2, 80), "—"),
        # A mean of people waiting: the count rule on its value, not the "—" rule on its
        # denominator of 3 month-ends (which would hide every value).
        ("mean_waiting_per_month", ("2.3", 7, 3), "<5"),
        ("mean_waiting_per_month", ("0.3", 1, 3), "<5"),
        ("mean_waiting_per_month", ("7.0", 21, 3), D("7.0")),
        ("mean_waiting_per_month", ("0.0", 0, 3), D("0.0")),
        ("mean_days_waiting_at_end", (None, 0, 0), None),  # undefined stays empty, never 0
    ],
)
def test_primary_rule(indicator, stored, expected):
    value, *parts = stored
    assert shown(indicator, value, *(parts + [None, None])[:2]) == (expected, None, None, "")


def test_council_members_never_see_numerators_or_denominators():
    assert shown("group_share", "40.0", 20, 50) == (D("40.0"), None, None, "")
    assert shown("clients_per_1000", "17.5", 456, 26000) == (D("17.5"), None, None, "")


def test_a_secondary_mark_shows_the_suppressed_form_with_the_note():
    assert shown("waiting_at_end", 12, mark=SECONDARY) == ("<5", None, None, NOTE)
    assert shown("group_share", "40.0", 20, 50, mark=SECONDARY) == ("—", None, None, NOTE)
    assert shown("waiting_at_end", 3, mark=PRIMARY) == ("<5", None, None, "")
    # A row stored without a mark still gets the primary rule.
    assert shown("waiting_at_end", 3) == ("<5", None, None, "")


def test_kinds_and_published_figures():
    assert suppressed_as("mean_waiting_per_month") == "count"
    assert suppressed_as("mean_wait_days") == "mean"
    assert not is_primary("mean_wait_days", None, 0, 0)
    assert published("clients_in_care", D(3)) == "<5"
    assert published("mean_wait_days", D("3.5")) == D("3.5")


# --- secondary suppression ------------------------------------------------------------------


def counts(indicator, system, per_wijk, level="district"):
    rows = [Value("system", "all", indicator, D(system))]
    rows += [Value(level, key, indicator, D(n)) for key, n in per_wijk.items()]
    return rows


def test_one_small_wijk_takes_the_smallest_other_non_zero_wijk_along():
    # The issue: 71 waiting in total, Zuidwest 3; without a second hidden wijk 71 − 68 = 3.
    per_wijk = dict(zip(WIJKEN, [20, 15, 3, 12, 8, 0, 6, 7, 0, 0], strict=True))
    found = marks(counts("waiting_at_end", 71, per_wijk))
    assert found == {
        ("district", WIJKEN[2], "waiting_at_end"): PRIMARY,
        ("district", WIJKEN[6], "waiting_at_end"): SECONDARY,  # 6: the smallest above 0
    }


def test_no_secondary_when_two_rows_are_hidden_already_or_the_total_is_small():
    per_wijk = dict(zip(WIJKEN, [20, 15, 3, 12, 8, 0, 2, 7, 0, 0], strict=True))
    assert set(marks(counts("waiting_at_end", 67, per_wijk)).values()) == {PRIMARY}
    # 3 in one wijk, none elsewhere: the total is 3, itself hidden.
    only = dict.fromkeys(WIJKEN, 0) | {WIJKEN[0]: 3}
    assert marks(counts("waiting_at_end", 3, only)) == {
        ("system", "all", "waiting_at_end"): PRIMARY,
        ("district", WIJKEN[0], "waiting_at_end"): PRIMARY,
    }


def test_each_breakdown_of_the_same_total_is_protected_on_its_own():
    # One small wijk and one small voorziening: the city total heads both breakdowns, yet the
    # small voorziening must not count as the wijk's complement.
    rows = counts("waiting_at_end", 30, dict(zip(WIJKEN[:3], [3, 12, 15], strict=True)))
    rows += [Value("service_type", s, "waiting_at_end", D(n))
             for s, n in (("s", 2), ("t", 9), ("u", 19))]  # fmt: skip
    assert marks(rows) == {
        ("district", WIJKEN[0], "waiting_at_end"): PRIMARY,
        ("district", WIJKEN[1], "waiting_at_end"): SECONDARY,
        ("service_type", "s", "waiting_at_end"): PRIMARY,
        ("service_type", "t", "waiting_at_end"): SECONDARY,
    }


def test_two_small_rows_that_the_total_pins_down_take_a_third_along():
    # 1 and 1 hidden as `<5`, and 12 − 10 = 2 left: each `<5` must be 1.
    per_wijk = dict(zip(WIJKEN[:3], [1, 1, 10], strict=True))
    assert marks(counts("complaints", 12, per_wijk)) == {
        ("district", WIJKEN[0], "complaints"): PRIMARY,
        ("district", WIJKEN[1], "complaints"): PRIMARY,
        ("district", WIJKEN[2], "complaints"): SECONDARY,
    }


def test_zero_and_whole_shares_are_never_the_complement():
    def share(key, numerator, denominator):
        value = D(100 * numerator / denominator).quantize(D("0.1"))
        return Value("district", key, "group_share", value, numerator, denominator)

    rows = [
        Value("system", "all", "group_share", D("40.5"), 30, 74),
        share(WIJKEN[0], 3, 13),  # primary
        share(WIJKEN[1], 0, 11),  # 0 %: hiding it hides nothing
        share(WIJKEN[2], 11, 11),  # 100 %: its complement is 0
        share(WIJKEN[3], 16, 39),
    ]
    assert marks(rows) == {
        ("district", WIJKEN[0], "group_share"): PRIMARY,
        ("district", WIJKEN[3], "group_share"): SECONDARY,
    }
    # Nothing left to hide beside it: the total goes instead.
    assert marks(rows[:4]) == {
        ("district", WIJKEN[0], "group_share"): PRIMARY,
        ("system", "all", "group_share"): SECONDARY,
    }


def test_organisation_figures_do_not_hide_the_city_wide_ones():
    """A tester found the city's 51 active providers shown as `<5*` and the motion's share of
    small organisations as `—*` in 12 of 15 quarters: 51 contractors of 1 provider each
    (primary) "pinned" the total, and one contractor with fewer than 10 referrals, whose share is
    0 % or 100 % by its class like every other contractor's, had nothing to hide beside it."""
    contractors = [f"980000{n:02d}" for n in range(1, 52)]
    rows = [Value("system", "all", "providers_active", D(51))]
    rows += [Value("contractor", c, "providers_active", D(1)) for c in contractors]
    rows += [Value("district", w, "providers_active", D(30)) for w in WIJKEN[:2]]
    rows += [Value("system", "all", "small_org_share", D("38.0"), 9407, 24787),
             Value("contractor", contractors[0], "small_org_share", D("100.0"), 6, 6),
             Value("contractor", contractors[1], "small_org_share", D("100.0"), 9400, 9400),
             Value("contractor", contractors[2], "small_org_share", D("0.0"), 0, 15381),
             Value("provider", contractors[0], "small_org_share", D("100.0"), 6, 6)]  # fmt: skip
    found = marks(rows)
    assert found == {
        **{("contractor", c, "providers_active"): PRIMARY for c in contractors},
        ("contractor", contractors[0], "small_org_share"): PRIMARY,
        ("provider", contractors[0], "small_org_share"): PRIMARY,
    }
    # A share per wijk is a real mix of organisations: its breakdown still protects.
    wijken = [Value("system", "all", "small_org_share", D("38.0"), 46, 121),
              Value("district", WIJKEN[0], "small_org_share", D("33.3"), 3, 9),
              Value("district", WIJKEN[1], "small_org_share", D("38.5"), 20, 52),
              Value("district", WIJKEN[2], "small_org_share", D("38.3"), 23, 60)]  # fmt: skip
    assert marks(wijken) == {
        ("district", WIJKEN[0], "small_org_share"): PRIMARY,
        ("district", WIJKEN[1], "small_org_share"): SECONDARY,
    }


def test_the_wijk_voorziening_table_is_protected_both_ways():
    a, b = WIJKEN[:2]
    cells = {f"{a}:s": 3, f"{a}:t": 10, f"{a}:u": 12, f"{b}:s": 8, f"{b}:t": 9, f"{b}:u": 20}
    rows = [Value("district_service", key, "waiting_at_end", D(n)) for key, n in cells.items()]
    rows += [Value("district", a, "waiting_at_end", D(25)),
             Value("district", b, "waiting_at_end", D(37))]  # fmt: skip
    rows += [Value("service_type", s, "waiting_at_end", D(n))
             for s, n in (("s", 11), ("t", 19), ("u", 32))]  # fmt: skip
    rows.append(Value("system", "all", "waiting_at_end", D(62)))
    found = {key: mark for (level, key, _), mark in marks(rows).items()}
    # a:s is 3; a:t covers it in wijk a, b:t then covers a:t in voorziening t, b:s covers a:s
    # in voorziening s; every wijk and voorziening with a hidden cell has two.
    assert found == {f"{a}:s": PRIMARY, f"{a}:t": SECONDARY, f"{b}:s": SECONDARY,
                     f"{b}:t": SECONDARY}  # fmt: skip


def test_a_lone_hidden_cell_hides_its_wijk_total_which_is_then_protected_in_turn():
    a, b, c = WIJKEN[:3]
    rows = [
        Value("district_service", f"{a}:s", "waiting_at_end", D(3)),
        Value("district", a, "waiting_at_end", D(3)),
        Value("district", b, "waiting_at_end", D(9)),
        Value("district", c, "waiting_at_end", D(14)),
        Value("system", "all", "waiting_at_end", D(26)),
    ]
    assert marks(rows) == {
        ("district_service", f"{a}:s", "waiting_at_end"): PRIMARY,
        ("district", a, "waiting_at_end"): PRIMARY,
        ("district", b, "waiting_at_end"): SECONDARY,
    }


def test_a_hidden_total_over_rows_that_are_all_shown_takes_two_rows_along():
    # Oost is hidden in the wijk breakdown (the complement of Zuidwest); its voorzieningen
    # would add up to it.
    rows = counts("waiting_at_end", 30, dict(zip(WIJKEN[:3], [3, 12, 15], strict=True)))
    rows += [Value("district_service", f"{WIJKEN[1]}:{s}", "waiting_at_end", D(n))
             for s, n in (("s", 5), ("t", 7))]  # fmt: skip
    assert marks(rows) == {
        ("district", WIJKEN[0], "waiting_at_end"): PRIMARY,
        ("district", WIJKEN[1], "waiting_at_end"): SECONDARY,
        ("district_service", f"{WIJKEN[1]}:s", "waiting_at_end"): SECONDARY,
        ("district_service", f"{WIJKEN[1]}:t", "waiting_at_end"): SECONDARY,
    }


def test_hidden_shares_that_are_all_zero_are_not_given_away_by_a_zero_total():
    # 0 % in the city: every wijk is 0 %, also the two hidden over fewer than 10.
    rows = [Value("system", "all", "group_share", D("0.0"), 0, 36),
            Value("district", WIJKEN[0], "group_share", D("0.0"), 0, 7),
            Value("district", WIJKEN[1], "group_share", D("0.0"), 0, 9),
            Value("district", WIJKEN[2], "group_share", D("0.0"), 0, 20)]  # fmt: skip
    assert marks(rows)[("system", "all", "group_share")] == SECONDARY
    # With a wijk above 0 % beside them, that wijk covers them instead.
    rows[3] = Value("district", WIJKEN[2], "group_share", D("25.0"), 5, 20)
    rows[0] = Value("system", "all", "group_share", D("13.9"), 5, 36)
    assert marks(rows)[("district", WIJKEN[2], "group_share")] == SECONDARY
    assert ("system", "all", "group_share") not in marks(rows)


def test_a_rate_goes_with_its_hidden_count_and_medians_take_nothing_along():
    a, b, c = WIJKEN[:3]
    rows = counts("clients_in_care", 59, {a: 3, b: 6, c: 50})
    rows += [
        Value("system", "all", "clients_per_1000", D("0.8"), 59, 70000),
        Value("district", a, "clients_per_1000", D("0.1"), 3, 20000),
        Value("district", b, "clients_per_1000", D("0.3"), 6, 20000),
        Value("district", c, "clients_per_1000", D("1.7"), 50, 30000),
        Value("system", "all", "median_wait_days", D("12.0"), None, 40),
        Value("district", a, "median_wait_days", D("30.0"), None, 6),
        Value("district", b, "median_wait_days", D("11.0"), None, 14),
        Value("district", c, "median_wait_days", D("12.0"), None, 20),
    ]
    assert marks(rows) == {
        ("district", a, "clients_in_care"): PRIMARY,
        ("district", b, "clients_in_care"): SECONDARY,
        ("district", a, "clients_per_1000"): PRIMARY,
        ("district", b, "clients_per_1000"): SECONDARY,  # 0,3 ‰ of 20.000 would give 6
        ("district", a, "median_wait_days"): PRIMARY,
    }


# --- the attacker, on the old rule and on the new --------------------------------------------


def old_rule(indicator, value, numerator, denominator):
    """indicators/suppression.py as it was before this change: counts 1–4 and denominators
    below 10 only, numerators and denominators shown beside a shown figure."""
    kind = suppressed_as(indicator)

    def count(n):
        return SMALL if n is not None and 0 < n < 5 else n

    if value is None:
        return None, None, None
    if kind == "count":
        return count(value), None, None
    too_few = denominator is None or denominator < 10
    if kind == "rate":
        too_few = too_few or (numerator is not None and 1 <= numerator <= 4)
    if too_few:
        return "—", None, None
    return value, count(numerator), count(denominator)


def quarter_rows():
    """A quarter with the issue's three leaks: 23,1 % of 13, 66,7 % of 12 and 71 − 68."""
    waiting = dict(zip(WIJKEN, [20, 15, 3, 12, 8, 0, 6, 7, 0, 0], strict=True))
    rows = counts("waiting_at_end", 71, waiting)
    started = dict(zip(WIJKEN, [13, 12, 40, 30, 0, 0, 0, 0, 0, 0], strict=True))
    within = dict(zip(WIJKEN, [3, 8, 30, 20, 0, 0, 0, 0, 0, 0], strict=True))
    rows.append(Value("system", "all", "pct_within_norm", D("64.2"), 61, 95))
    for key in WIJKEN:
        n, k = started[key], within[key]
        value = D(100 * k / n).quantize(D("0.1")) if n else None
        rows.append(Value("district", key, "pct_within_norm", value, k, n))
    return rows


def seen_with(rule, rows, source="export"):
    """What a council member sees of `rows` under `rule` (the old one, or None for the new
    one: the quarter's marks, then council_view)."""
    marked = marks(rows) if rule is None else {}
    seen = []
    for r in rows:
        if rule is None:
            r.suppression = marked.get((r.level, r.level_key, r.indicator), "")
            view = council_view(r)
            value, numerator, denominator, noted = view.value, None, None, bool(view.note)
        else:
            value, numerator, denominator = rule(r.indicator, r.value, r.numerator, r.denominator)
            noted = False
        seen.append(Seen(source, "2026Q3", r.level, r.level_key, r.indicator, value,
                         numerator, denominator, noted))  # fmt: skip
    return seen


def test_the_attacker_finds_what_the_old_rule_let_slip():
    findings = attack(seen_with(old_rule, quarter_rows()), complete={"2026Q3"})
    text = "\n".join(findings)
    # (a) 23,1 % of 13 and 66,7 % of 12 shown with their denominators.
    assert (
        f"('2026Q3', 'district', '{WIJKEN[0]}', 'pct_within_norm') = 23.1 % of 13: 3 and 10" in text
    )
    assert (
        f"('2026Q3', 'district', '{WIJKEN[1]}', 'pct_within_norm') = 66.7 % of 12: 8 and 4" in text
    )
    # (c) 71 − 68 = 3 in the third wijk.
    assert f"hidden count ('2026Q3', 'district', '{WIJKEN[2]}', 'waiting_at_end') is 3" in text


def test_the_attacker_finds_each_kind_of_slip():
    def seen(indicator, value, numerator=None, denominator=None, key="all", level="system",
             source="pagina", noted=False):  # fmt: skip
        return Seen(source, "2026Q3", level, key, indicator, value, numerator, denominator, noted)

    # (b) a count of 1–4 shown.
    assert any(f.startswith("(b)") for f in attack([seen("complaints", D(3))]))
    # (d) a hidden figure with its parts.
    assert any(f.startswith("(d)") for f in attack([seen("group_share", "—", 3, 13)]))
    # (e) hidden here, shown there.
    both = [seen("waiting_at_end", SMALL), seen("waiting_at_end", D(4), source="api")]
    assert any(f.startswith("(e)") for f in attack(both))
    # (a) through a count shown elsewhere: started (13) is group_share's denominator.
    assert any(f.startswith("(a)") for f in attack([seen("group_share", D("23.1")),
                                                    seen("started", D(13))]))  # fmt: skip
    # (a) a rate over the (public) population gives its numerator.
    rate = [seen("clients_per_1000", D("0.6"), level="district", key=WIJKEN[0])]
    population = {("2026Q3", "district", WIJKEN[0], "population"): 5000}
    assert any(f.startswith("(a)") for f in attack(rate, population))
    # (c) two `<5` rows pinned by a remainder of 2.
    pinned = [seen("complaints", D(12)), seen("complaints", SMALL, level="district", key=WIJKEN[0]),
              seen("complaints", SMALL, level="district", key=WIJKEN[1]),
              seen("complaints", D(10), level="district", key=WIJKEN[2])]  # fmt: skip
    assert sum(f.startswith("(c)") for f in attack(pinned, complete={"2026Q3"})) == 2
    # Nothing when the second `<5` carries the note: it may be anything.
    safe = [*pinned[:2], seen("complaints", SMALL, level="district", key=WIJKEN[1], noted=True),
            pinned[3]]  # fmt: skip
    assert not attack(safe, complete={"2026Q3"})


def test_the_attacker_told_about_the_region_reads_the_wijken_as_at_most_the_total():
    """Living lab (objective V) started 8 times: 5 in Noordoost, 1 in West (`<5`) and 2 for
    De Bilt residents, who have no wijk. Read as adding up exactly, West's `<5` would be 3, a
    false finding; the regional attacker knows the wijken add up to at most the 8."""
    seen = [Seen("api", "2026Q3", "service_type", "living_lab", "started", D(8)),
            Seen("api", "2026Q3", "district_service", f"{WIJKEN[0]}:living_lab", "started", D(5)),
            Seen("api", "2026Q3", "district_service", f"{WIJKEN[1]}:living_lab", "started",
                 SMALL)]  # fmt: skip
    assert attack(seen, complete={"2026Q3"}) == [
        f"(c) api: hidden count ('2026Q3', 'district_service', '{WIJKEN[1]}:living_lab', "
        "'started') is 3"
    ]
    assert attack(seen, complete={"2026Q3"}, regional={"living_lab"}) == []
    # A voorziening of objective IV has no referrals from outside: there it adds up.
    assert attack(seen, complete={"2026Q3"}, regional={"beschermd_thuis"}) != []


def test_the_attacker_finds_nothing_in_what_the_new_rule_shows():
    assert not attack(seen_with(None, quarter_rows()), complete={"2026Q3"})


SERVICES = ["ambulante_begeleiding", "dagbegeleiding", "beschermd_wonen", "kortdurend_verblijf",
            "logeren", "huishoudelijke_ondersteuning", "hulpmiddelen", "vervoer"]  # fmt: skip


def meeting_bounds():
    """8 waiting: two wijken of 4 (2 to 8 to whoever reads `<5`) and eight voorzieningen of 1
    (8 to 32): read together they meet in 8, which gives every one of them away."""
    rows = counts("waiting_at_end", 8, dict(zip(WIJKEN, [4, 4] + [0] * 8, strict=True)))
    return rows + [Value("service_type", s, "waiting_at_end", D(1)) for s in SERVICES]


def test_bounds_that_meet_in_one_point_withhold_a_breakdown():
    found = marks(meeting_bounds())
    # Nothing above 0 was left to hide, the total hidden already: the voorzieningen (the most
    # hidden rows) are withheld and show `—*`; the wijken stay `<5`, their zeros 0.
    assert found == {
        ("system", "all", "waiting_at_end"): SECONDARY,
        **{("district", key, "waiting_at_end"): PRIMARY for key in WIJKEN[:2]},
        **{("service_type", s, "waiting_at_end"): WITHHELD for s in SERVICES},
    }
    seen = seen_with(None, meeting_bounds())
    assert {s.value for s in seen if s.level == "service_type"} == {"—"}
    assert all(s.noted for s in seen if s.level == "service_type")
    assert attack(seen, complete={"2026Q3"}) == []
    assert attack(seen, complete={"2026Q3"}, reads_marks=True) == []


def test_without_withholding_the_attacker_pins_them_all(monkeypatch):
    from indicators.suppression_audit import Audit

    monkeypatch.setattr(Audit, "_withhold", lambda self, *args: False)
    findings = "\n".join(attack(seen_with(None, meeting_bounds()), complete={"2026Q3"}))
    assert "hidden count ('2026Q3', 'system', 'all', 'waiting_at_end') is 8" in findings
    assert f"('2026Q3', 'district', '{WIJKEN[0]}', 'waiting_at_end') is 4" in findings
    assert "('2026Q3', 'service_type', 'logeren', 'waiting_at_end') is 1" in findings


def _four_services(indicator):
    """30 in all: 2 for ambulante begeleiding and 9 for woonvoorziening (objective IV), 9 for
    beschermd thuis and 10 for maatschappelijke opvang (V)."""
    return [Value("system", "all", indicator, D(30)),
            *(Value("service_type", code, indicator, D(n)) for code, n in
              [("ambulante_begeleiding", 2), ("woonvoorziening", 9), ("beschermd_thuis", 9),
               ("maatschappelijke_opvang", 10)])]  # fmt: skip


def test_a_pool_no_page_shows_hides_nothing_to_protect_itself():
    """The overview pools waiting_at_end per objective (IV: 2 + 9, where the 2 would follow by
    subtraction, so woonvoorziening is hidden too; V: then 9 + 10), never complaints: their
    pools are shown nowhere, so protecting them would hide two more figures for nothing."""
    city = {("service_type", "ambulante_begeleiding"): PRIMARY,
            ("service_type", "beschermd_thuis"): SECONDARY}  # fmt: skip
    assert marks(_four_services("complaints")) == {
        (*cell, "complaints"): kind for cell, kind in city.items()}  # fmt: skip
    assert marks(_four_services("waiting_at_end")) == {
        **{(*cell, "waiting_at_end"): kind for cell, kind in city.items()},
        ("service_type", "woonvoorziening", "waiting_at_end"): SECONDARY,
        ("service_type", "maatschappelijke_opvang", "waiting_at_end"): SECONDARY,
    }


def test_the_overview_hides_a_pool_while_the_figure_it_adds_up_to_is_hidden():
    """Two hidden voorzieningen of objective IV (3 and 26) do not pin each other, so their
    pool (29) is shown, unless the city's own figure is hidden: with nobody waiting in V, the
    pool is that figure."""

    def row(level, key, value, mark=""):
        stored = Value(level, key, "waiting_at_end", D(value))
        stored.suppression = mark
        return stored

    services = [row("service_type", "dagbegeleiding", 3, PRIMARY),
                row("service_type", "woonvoorziening", 26, SECONDARY)]  # fmt: skip
    assert not pool_hidden("waiting_at_end", services, row("system", "all", 29))
    assert pool_hidden("waiting_at_end", services, row("system", "all", 29, SECONDARY))


def test_an_unseen_pool_still_ties_its_two_breakdowns_together():
    """Objective V's started referrals: its one voorziening (13) and its municipalities
    (Utrecht 9, De Bilt 4) add up to one pool that no page shows, yet whoever reads both
    works De Bilt's `<5` out as 13 − 9 = 4: Utrecht's figure is hidden as well."""
    rows = [Value("system", "all", "started", D(40)),
            *(Value("service_type", code, "started", D(n)) for code, n in
              [("ambulante_begeleiding", 15), ("woonvoorziening", 12), ("beschermd_thuis", 13)]),
            Value("municipality", "GM0344", "started", D(9)),
            Value("municipality", "GM0310", "started", D(4))]  # fmt: skip
    assert marks(rows) == {("municipality", "GM0310", "started"): PRIMARY,
                           ("municipality", "GM0344", "started"): SECONDARY}  # fmt: skip


def test_a_withheld_count_shows_a_dash_with_the_note():
    assert shown("waiting_at_end", 1, mark=WITHHELD) == ("—", None, None, NOTE)
    assert shown("waiting_at_end", 0, mark=WITHHELD) == ("—", None, None, NOTE)


def test_a_stored_withheld_breakdown_reads_as_dashes_in_the_api_and_export(council_client):
    from indicators.services import replace_period
    from wmo.periods import parse_period

    replace_period(parse_period("2026Q3"), meeting_bounds())
    url = "/api/v1/indicatoren?kwartaal=2026Q3&indicator=waiting_at_end&paginaGrootte=100"
    rows = {(r["niveau"], r["niveauSleutel"]): r
            for r in council_client.get(url).json()["resultaten"]}  # fmt: skip
    services = [rows["service_type", s] for s in SERVICES]
    assert {(r["waarde"], r["teller"], r["noemer"], r["toelichting"]) for r in services} == {
        ("—", None, None, NOTE)}  # fmt: skip
    assert rows["district", WIJKEN[0]]["waarde"] == "<5"
    assert rows["district", WIJKEN[2]]["waarde"] == 0
    assert (rows["system", "all"]["waarde"], rows["system", "all"]["toelichting"]) == ("<5", NOTE)
    # The public export shows the same (header: period, level, level_key, indicator, value, …).
    out = io.StringIO()
    call_command("export_indicators", "--quarter", "2026Q3", "--suppressed", stdout=out)
    exported = {(r[1], r[2]): r[4] for r in csv.reader(io.StringIO(out.getvalue()))
                if r[3] == "waiting_at_end"}  # fmt: skip
    assert {exported["service_type", s] for s in SERVICES} == {"—"}
    assert exported["district", WIJKEN[0]] == "<5"
