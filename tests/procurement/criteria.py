"""Award criteria for tests: a tender has none until a contract manager records them."""

from decimal import Decimal

from procurement.models import AwardCriterion


def record_criteria(tender, weights=(Decimal("12.50"),) * 8):
    """Criteria numbered 1, 2, … with the given weights (default: eight of 12.5 %)."""
    return [
        AwardCriterion.objects.create(
            tender=tender, number=number, title=f"Criterium {number}", weight=Decimal(weight)
        )
        for number, weight in enumerate(weights, start=1)
    ]
