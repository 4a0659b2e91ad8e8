"""The generated Dutch explanation of the largest changes: a pure function of fixed numbers."""

from decimal import Decimal
from fractions import Fraction

from indicators.reports.explain import Change, explain, largest_changes, sentence

D = Decimal


def test_count_sentence():
    change = Change("clients_in_care", "Cliënten in zorg", "cliënten", 1350, 1200)
    assert sentence(change) == "Cliënten in zorg: gestegen van 1.200 naar 1.350 cliënten (+12,5 %)."


def test_percentage_sentence_in_points_with_judgement():
    change = Change("pct_within_norm", "Binnen de norm gestart", "%", D("55.5"), D("62.0"))
    assert sentence(change) == (
        "Binnen de norm gestart: gedaald van 62,0 % naar 55,5 % (−6,5 procentpunt), "
        "een verslechtering."
    )


def test_mean_sentence_and_improvement():
    worse = Change("mean_wait_days", "Gemiddelde wachttijd", "dagen", D("17.7"), D("14.2"))
    assert sentence(worse) == (
        "Gemiddelde wachttijd: gestegen van 14,2 naar 17,7 dagen (+24,6 %), een verslechtering."
    )
    better = Change("complaints", "Klachten", "klachten", 8, 10)
    assert (
        sentence(better) == "Klachten: gedaald van 10 naar 8 klachten (−20,0 %), een verbetering."
    )


def test_change_is_rounded_half_away_from_zero():
    # +1 on 2000 is exactly +0.05 %: half away from zero gives +0.1, banker's rounding +0.0.
    change = Change("new_referrals", "Nieuwe verwijzingen", "verwijzingen", 2001, 2000)
    assert (
        sentence(change)
        == "Nieuwe verwijzingen: gestegen van 2.000 naar 2.001 verwijzingen (+0,1 %)."
    )


CHANGES = [
    Change("clients_in_care", "Cliënten in zorg", "cliënten", 1350, 1200),  # 12.5 %
    Change("mean_wait_days", "Gemiddelde wachttijd", "dagen", D("17.7"), D("14.2")),  # 24.6 %
    Change("pct_within_norm", "Binnen de norm gestart", "%", D("55.5"), D("62.0")),  # 6.5 pt
    Change("waiting_at_end", "Wachtenden", "verwijzingen", 300, 300),  # unchanged
    Change("complaints", "Klachten", "klachten", "<5", "<5"),  # suppressed
    Change("exp_solution_pct", "Samen tot een oplossing", "%", None, D("80.0")),  # missing
    Change("new_referrals", "Nieuwe verwijzingen", "verwijzingen", 40, 0),  # from zero: no ratio
    Change("group_share", "Groepsgericht gestart", "%", D("30.0"), D("15.0")),  # 15 pt
]


def test_largest_changes_rank_relative_moves_and_skip_the_rest():
    chosen = largest_changes(CHANGES, limit=3)
    assert [c.indicator for c in chosen] == ["mean_wait_days", "group_share", "clients_in_care"]
    assert [c.indicator for c in largest_changes(CHANGES, limit=10)] == [
        "mean_wait_days", "group_share", "clients_in_care", "pct_within_norm",
    ]  # fmt: skip


def test_explain_gives_intro_and_sentences():
    assert explain(CHANGES, "2026Q2", limit=2) == [
        "De grootste veranderingen ten opzichte van 2026Q2:",
        "Gemiddelde wachttijd: gestegen van 14,2 naar 17,7 dagen (+24,6 %), een verslechtering.",
        "Groepsgericht gestart: gestegen van 15,0 % naar 30,0 % (+15,0 procentpunt).",
    ]
    assert explain(CHANGES[:1], "2026Q2") == [
        "De grootste verandering ten opzichte van 2026Q2:",
        "Cliënten in zorg: gestegen van 1.200 naar 1.350 cliënten (+12,5 %).",
    ]


def test_explain_without_comparable_or_changed_figures():
    assert explain(CHANGES[4:6], "2026Q2") == [
        "Er zijn geen cijfers die met 2026Q2 te vergelijken zijn."
    ]
    assert explain(CHANGES[3:4], "2026Q2") == ["De cijfers zijn gelijk aan die van 2026Q2."]


def test_change_is_worked_out_before_rounding():
    # 0,2 to 0,35 days is +75 %; shown rounded as 0,2 and 0,4, which would read as +100 %.
    change = Change("mean_wait_days", "Gemiddelde wachttijd", "dagen", D("0.4"), D("0.2"),
                    Fraction(7, 20), Fraction(1, 5))  # fmt: skip
    assert sentence(change) == (
        "Gemiddelde wachttijd: gestegen van 0,2 naar 0,4 dagen (+75,0 %), een verslechtering."
    )
    # Percentages in points: 40,04 % to 50,06 % is +10,0 points, not the +10,1 of 40,0 and 50,1.
    share = Change("group_share", "Groepsgericht gestart", "%", D("50.1"), D("40.0"),
                   Fraction(5006, 100), Fraction(4004, 100))  # fmt: skip
    assert sentence(share) == (
        "Groepsgericht gestart: gestegen van 40,0 % naar 50,1 % (+10,0 procentpunt)."
    )
    # Figures that read the same are unchanged, whatever moved below the shown decimal.
    same = Change("mean_wait_days", "Gemiddelde wachttijd", "dagen", D("0.2"), D("0.2"),
                  Fraction(11, 50), Fraction(1, 5))  # fmt: skip
    assert largest_changes([same]) == []
