"""The contract's later moments (TRANSITION.md) are dated steps of the timeline with their own
status, derived from their dates."""

import datetime

from procurement.models import Tender
from procurement.status import MilestoneStatus

D = datetime.date


def test_decision_moments_are_dated_steps(db):
    tender = Tender.objects.get(reference="30209886")
    steps = {m.code: m for m in tender.milestones.filter(kind="step")}
    pilots, u16, hbh = steps["bt_pilots"], steps["u16_decision_2029"], steps["hbh_review_2031"]
    assert (pilots.planned_start, pilots.planned_end, pilots.is_period) == (
        D(2027, 1, 1), D(2028, 12, 31), True)  # fmt: skip
    assert u16.planned_end < D(2029, 1, 1) and hbh.planned_start.year == 2031
    assert [m.code for m in tender.milestones.filter(kind="step").order_by("order")][-4:] == [
        "contract_start", "bt_pilots", "u16_decision_2029", "hbh_review_2031"]  # fmt: skip
    # Each has its own status: nothing recorded yet, so planned — and late once its plan passed.
    assert pilots.status(D(2026, 12, 4)) == hbh.status(D(2026, 12, 4))
    assert pilots.status(D(2026, 12, 4)) != pilots.status(D(2029, 6, 1))
    assert MilestoneStatus(pilots.status(D(2026, 12, 4)))
