"""The audit's last step (indicators/suppression_exact.py): sums read together pin hidden counts
that no single sum pins, as in the demo's 2023Q1 waiting per wijk × voorziening, in miniature."""

from decimal import Decimal

import pytest

from indicators.definitions.base import Value
from indicators.suppression import AUDIT_RULES, PRIMARY, SECONDARY, WITHHELD
from indicators.suppression_audit import Audit
from indicators.suppression_exact import LinkedSums, components, pinned

DAY, WORK = "dagbegeleiding", "arbeidsmatige_activering"


def _cell(level, key, value):
    cell = ("2023Q1", level, key, "waiting_at_end")
    return cell, Value(level, key, "waiting_at_end", Decimal(value))


def _two_columns(noordoost=1):
    """Two voorzieningen with everyone waiting `<5`: 6 for dagbegeleiding (1 in Noordoost, 3 in
    Overvecht, 2 in Zuid), 6 for arbeidsmatige activering (1, 4, 1). Overvecht's and Zuid's
    objective pools on the overview (17 and 23, with 10 and 20 shown beside) give their two
    hidden counts' sums, 7 and 3, and leave each of them a range (3–4, 1–2); the columns less
    those sums leave Noordoost's two counts adding up to 2: both are 1."""
    rows = {}
    for level, key, value in [
        ("service_type", DAY, 5 + noordoost), ("service_type", WORK, 5 + noordoost),
        ("district_service", f"WK034403:{DAY}", noordoost),
        ("district_service", f"WK034403:{WORK}", noordoost),
        ("district_service", f"WK034409:{DAY}", 3), ("district_service", f"WK034409:{WORK}", 4),
        ("district_service", f"WK034410:{DAY}", 2), ("district_service", f"WK034410:{WORK}", 1),
        ("district_service", "WK034409:woonvoorziening", 10),
        ("district_service", "WK034410:woonvoorziening", 20),
        ("objective", "WK034409:IV", 17), ("objective", "WK034410:IV", 23),
    ]:  # fmt: skip
        cell, row = _cell(level, key, value)
        rows[key] = (cell, row)
    cells = dict(rows.values())

    def at(key):
        return rows[key][0]

    groups = [(at(service), [at(f"{wijk}:{service}") for wijk in ("WK034403", "WK034409",
                                                                  "WK034410")])
              for service in (DAY, WORK)]  # fmt: skip
    for wijk in ("WK034409", "WK034410"):
        groups.append((at(f"{wijk}:IV"), [at(f"{wijk}:{DAY}"), at(f"{wijk}:{WORK}"),
                                          at(f"{wijk}:woonvoorziening")]))  # fmt: skip
    mark = {at(key): PRIMARY for key in rows if key.startswith("WK") and ":IV" not in key
            and "woon" not in key}  # fmt: skip
    return Audit(groups, cells), mark, at


def _pinned_by_narrowing(audit, mark) -> list:
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    return [audit.keys[i] for i, how in enumerate(marks) if how and low[i] == high[i] != 0]


def _every_end(cells) -> list:
    return [(cell, end) for cell in cells for end in ("low", "high")]


def test_the_sums_read_together_pin_what_no_single_sum_pins():
    audit, mark, at = _two_columns()
    assert _pinned_by_narrowing(audit, mark) == []
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    targets = {i for i, how in enumerate(marks) if how}
    found = pinned(audit.groups, targets, audit.values, low, high)
    assert len(found) == 1  # one per set of linked sums
    cell, sums = found[0]
    assert audit.keys[cell] in (at(f"WK034403:{DAY}"), at(f"WK034403:{WORK}"))
    # The certificate: both columns and both pools.
    assert sorted(audit.keys[audit.groups[index][0]] for index in sums) == sorted(
        [at(DAY), at(WORK), at("WK034409:IV"), at("WK034410:IV")]
    )


def test_of_every_end_one_program_finds_those_no_reading_can_leave():
    audit, mark, at = _two_columns()
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    free = {cell for cell in range(len(low)) if low[cell] != high[cell]}
    [(cells, sums)] = components(audit.groups, free)
    ends = LinkedSums(audit.groups, cells, sums, low, high).pinned_ends(_every_end(cells))
    assert {(audit.keys[cell], end) for cell, end in ends} == {
        (at(f"WK034403:{DAY}"), "low"), (at(f"WK034403:{WORK}"), "low"),
    }  # fmt: skip


def test_the_audit_covers_it_with_the_smallest_count_of_a_pinning_sum():
    audit, mark, at = _two_columns()
    for _ in range(10):
        if not audit.cover(mark, AUDIT_RULES):
            break
    else:
        pytest.fail("the audit kept marking")
    # Overvecht's woonvoorziening (10) is the smallest count shown in the sums that pin.
    assert mark[at("WK034409:woonvoorziening")] == SECONDARY
    assert at("WK034410:woonvoorziening") not in mark
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    assert (
        pinned(audit.groups, {i for i, how in enumerate(marks) if how}, audit.values, low, high)
        == []
    )


def test_a_count_pinned_at_zero_gives_nobody_away():
    """Noordoost's two counts 0, withheld (`—*`, 0 or more): the sums pin both at 0, which
    they were, as zeros are shown everywhere else."""
    audit, mark, at = _two_columns(noordoost=0)
    for service in (DAY, WORK):
        mark[at(f"WK034403:{service}")] = WITHHELD
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    free = {cell for cell in range(len(low)) if low[cell] != high[cell]}
    [(cells, sums)] = components(audit.groups, free)
    ends = LinkedSums(audit.groups, cells, sums, low, high).pinned_ends(_every_end(cells))
    assert {audit.keys[cell] for cell, _ in ends} == {at(f"WK034403:{DAY}"), at(f"WK034403:{WORK}")}
    assert (
        pinned(audit.groups, {i for i, how in enumerate(marks) if how}, audit.values, low, high)
        == []
    )


def test_a_count_inside_its_range_is_pinned_by_the_equations_alone():
    """2026Q2 clients in care (the small cells' quarter, tests/indicators/small_cells.py): the
    city's 23 over the wijken (Noordoost `<5*`, Zuid `<5`), Noordoost's over its two
    voorzieningen and Zuid's over its one (all `<5`), dagbegeleiding's 12 over three wijken.
    Zuid's unknown counts once each way: Noordoost's individuele begeleiding is the city's
    less the wijken shown, less dagbegeleiding's, plus its wijken shown: 23 − 16 − 12 + 7 = 2,
    inside its range 1–4, where no end holds it."""
    rows = {}
    for level, key, value in [
        ("system", "all", 23), ("district", "WK034401", 6), ("district", "WK034403", 7),
        ("district", "WK034405", 9), ("district", "WK034408", 1),
        ("district_service", f"WK034401:{DAY}", 4),
        ("district_service", "WK034401:individuele_begeleiding", 2),
        ("district_service", f"WK034403:{DAY}", 7), ("district_service", f"WK034408:{DAY}", 1),
        ("service_type", DAY, 12),
    ]:  # fmt: skip
        cell = ("2026Q2", level, key, "clients_in_care")
        rows[key] = (cell, Value(level, key, "clients_in_care", Decimal(value)))
    cells = dict(rows.values())

    def at(key):
        return rows[key][0]

    groups = [
        (at("all"), [at(w) for w in ("WK034401", "WK034403", "WK034405", "WK034408")]),
        (at("WK034401"), [at(f"WK034401:{DAY}"), at("WK034401:individuele_begeleiding")]),
        (at("WK034408"), [at(f"WK034408:{DAY}")]),
        (at(DAY), [at(f"{w}:{DAY}") for w in ("WK034401", "WK034403", "WK034408")]),
    ]
    mark = {at("WK034401"): SECONDARY, at("WK034408"): PRIMARY, at(f"WK034401:{DAY}"): PRIMARY,
            at("WK034401:individuele_begeleiding"): PRIMARY, at(f"WK034408:{DAY}"): PRIMARY}  # fmt: skip
    audit = Audit(groups, cells)
    assert _pinned_by_narrowing(audit, mark) == []
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    ib = audit.keys.index(at("WK034401:individuele_begeleiding"))
    assert (low[ib], high[ib]) == (1, 3)
    [(cell, sums)] = pinned(audit.groups, {i for i, how in enumerate(marks) if how},
                            audit.values, low, high)  # fmt: skip
    assert audit.keys[cell] == at("WK034401:individuele_begeleiding")
    assert len(sums) == 4
    for _ in range(10):
        if not audit.cover(mark, AUDIT_RULES):
            break
    marks, low, high = audit.narrowed(mark, AUDIT_RULES)
    assert pinned(audit.groups, {i for i, how in enumerate(marks) if how}, audit.values, low,
                  high) == []  # fmt: skip
    assert at("WK034403") in mark or at(f"WK034403:{DAY}") in mark
