"""Every section of a dashboard (or of the quarterly report) at once, from one read of the stored
values."""

from wmo.periods import Period

from .budget import budget
from .comparisons import by_district, by_organisation, by_service
from .diversity import diversity
from .filters import Filters
from .layout import COUNCIL_SECTIONS, STAFF_SECTIONS
from .objectives import objectives
from .overview import overview
from .ratios import ratios
from .spend import spend
from .stored import baseline_index, load, reference_names
from .trends import trends


def dashboard(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
              sections=None, names=None) -> dict:  # fmt: skip
    """Every section at once: one IndicatorValue query, one for the baseline and one for the
    budget (plus the name lists unless `names` is given); the section builders themselves run
    none. What the dashboards and the quarterly report render."""
    filters = filters or Filters()
    sections = sections or (COUNCIL_SECTIONS if suppressed else STAFF_SECTIONS)
    names = names or reference_names()
    store = load(quarter, filters, sections, names)
    result = {"quarter": str(quarter), "filters": filters, "level": filters.level,
              "ignored": filters.ignored, "sections": list(sections)}  # fmt: skip
    if "objectives" in sections:
        result["objectives"] = objectives(quarter, filters, suppressed, store, names)
    if "overview" in sections:
        result["overview"] = overview(quarter, filters, suppressed, store)
    if "trends" in sections:
        result["trends"] = trends(quarter, filters, suppressed, store, baseline_index(),
                                  service_codes=[c for c, _ in names["services"]])  # fmt: skip
        result["has_yearly_trends"] = any(c["series"] == "jaar" for c in result["trends"])
    if "districts" in sections:
        result["districts"] = by_district(quarter, filters, suppressed, store, names)
    if "services" in sections:
        result["services"] = by_service(quarter, filters, suppressed, store, names)
    if "providers" in sections:
        result["providers"] = by_organisation(
            quarter, filters, suppressed, store, names, "provider"
        )
    if "contractors" in sections:
        result["contractors"] = by_organisation(quarter, filters, suppressed, store, names,
                                                "contractor")  # fmt: skip
    if "ratios" in sections:
        result["ratios"] = ratios(quarter, filters, suppressed, store)
    if "diversity" in sections:
        result["diversity"] = diversity(quarter, filters, suppressed, store, names)
    if "budget" in sections:
        result["budget"] = budget(quarter)
    if "spend" in sections:
        # The budget section has read the year's budget lines already (the same year).
        lines = None
        if "budget" in result:
            lines = {i["objective"]: i["numbers"]["budget"] for i in result["budget"]["items"]}
        result["spend"] = spend(quarter, filters, suppressed, store, names, lines)
    return result
