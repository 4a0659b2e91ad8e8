"""council_breakdown: the council rules for a plain count and its breakdown (transition monitor)."""

from indicators.suppression import NOTE, SMALL, council_breakdown


def shown(total, rows):
    total_shown, row_shown = council_breakdown(total, rows)
    return total_shown.value, {k: (v.value, v.note) for k, v in row_shown.items()}


def test_nothing_small_nothing_hidden():
    assert shown(30, {"a": 10, "b": 20}) == (30, {"a": (10, ""), "b": (20, "")})


def test_one_small_row_takes_the_smallest_other_with_it():
    assert shown(33, {"a": 3, "b": 10, "c": 20}) == (
        33,
        {"a": (SMALL, ""), "b": (SMALL, NOTE), "c": (20, "")},
    )


def test_zero_is_shown_and_never_a_complement():
    assert shown(3, {"a": 3, "b": 0}) == (SMALL, {"a": (SMALL, ""), "b": (0, "")})


def test_two_small_rows_pinned_by_the_remainder_hide_one_more():
    # 1 + 1: a remainder of 2 over two `<5` rows gives both away.
    assert shown(22, {"a": 1, "b": 1, "c": 20})[1]["c"] == (SMALL, NOTE)
    # 2 + 3: not pinned, nothing more hidden.
    assert shown(25, {"a": 2, "b": 3, "c": 20})[1]["c"] == (20, "")


def test_no_complement_left_hides_the_total():
    # 4 + 4 of 8 pins both rows, and the only other row is 0: the total goes.
    total, rows = shown(8, {"a": 4, "b": 4, "c": 0})
    assert total == SMALL and rows["c"] == (0, "")
    assert council_breakdown(8, {"a": 4, "b": 4, "c": 0})[0].note == NOTE
