"""The one-screen overview: per policy objective (III, IV, V) a few headline figures, each with
its norm or target, its direction against the period before and the last periods' values for a
sparkline.

III reads the buurtteam's own stored figures (city or wijk). IV and V have no stored value per
objective, so their headlines pool the stored figures of the objective's services: counts add
up, and a share is the sum of the services' numerators over the sum of their denominators
(each started referral judged against its own service's norm). Council members get a pooled
figure unless it would give back a hidden service figure by subtraction
(`suppression.pool_hidden`: the suppression marks protect each objective's pool as a total) and
when `suppression.council_view` lets the pooled figure itself through."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from wmo.catalogue.norms import NormHistory
from wmo.periods import Period

from ..definitions import INDICATORS
from ..definitions.base import SYSTEM_KEY, Kind
from ..models import IndicatorValue
from ..suppression import NOTE, SMALL, TOO_FEW, pool_hidden, suppressed_as
from .cells import format_number, label_of, make_cell, unit_of
from .filters import Filters
from .layout import DIRECTION, HIGHER, SIGNAL_VALUES, objective_titles
from .norms import norm_of, status
from .objectives import ratio_text
from .stored import Row, Store, reference_names

# How many periods the sparkline shows (the chosen one and those before it).
SPARK_PERIODS = 8
# The headline figures of each objective (the detail page has all of them).
HEADLINES = {
    "III": ["bt_mean_wait_workdays", "bt_referral_rate", "bt_group_share"],
    "IV": ["pct_within_norm", "waiting_at_end", "group_share"],
    "V": ["pct_within_norm", "waiting_at_end"],
}
# The detail of each objective: its section of the full dashboard.
DETAIL_ANCHOR = {"III": "doel-III-kop", "IV": "doel-IV-kop", "V": "doel-V-kop"}


def last_periods(period: Period, count: int = SPARK_PERIODS) -> list[Period]:
    """`count` periods of the chosen kind ending with `period`, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


@dataclass(frozen=True)
class Pooled:
    """A figure pooled over an objective's services, shaped like a stored row for make_cell."""

    indicator: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    level: str = "objective"
    level_key: str = ""
    norm: Decimal | None = None
    suppression: str = ""


def pool(indicator: str, rows: list[Row], suppressed: bool, parent: Row | None = None) -> dict:
    """The objective's figure from its services' rows, as a cell (council: see module doc);
    `parent` is the stored figure of the city or wijk the pools add up to."""
    rows = [r for r in rows if r is not None and r.value is not None]
    if not rows:
        return make_cell(indicator, None, suppressed)
    if INDICATORS[indicator].kind == Kind.PERCENTAGE:
        numerator = sum(r.numerator or 0 for r in rows)
        denominator = sum(r.denominator or 0 for r in rows)
        if not denominator:
            return make_cell(indicator, None, suppressed)
        value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"))
    else:
        numerator = denominator = None
        value = sum((r.value for r in rows), Decimal(0))
    pooled = Pooled(indicator, value, numerator, denominator)
    if suppressed and pool_hidden(indicator, rows, parent):
        hidden = SMALL if suppressed_as(indicator) == Kind.COUNT else TOO_FEW
        return {**make_cell(indicator, None, True), "text": hidden, "note": NOTE}
    return make_cell(indicator, pooled, suppressed)


def direction(indicator: str, current: dict, previous: dict) -> dict:
    """↑ / ↓ / = against the period before, in words too (never colour alone), and whether that
    is the good way for a figure with a norm or target."""
    if current["number"] is None or previous["number"] is None:
        return {"arrow": "", "text": _("geen vergelijking"), "judgement": ""}
    change = Decimal(str(current["number"])) - Decimal(str(previous["number"]))
    if change == 0:
        return {"arrow": "=", "text": _("gelijk"), "judgement": ""}
    up = change > 0
    judgement = ""
    if indicator in DIRECTION:
        good = up == (DIRECTION[indicator] == HIGHER)
        judgement = _("beter") if good else _("slechter")
    return {"arrow": "↑" if up else "↓", "text": _("gestegen") if up else _("gedaald"),
            "judgement": judgement}  # fmt: skip


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> dict:
    """SVG coordinates (as text: the template must not localise them into "12,5") for the
    known values, a gap where one is missing or hidden; a dot for the last value and for a value
    standing alone."""
    box = {"box_width": width + 8, "box_height": height + 8}
    known = [v for v in values if v is not None]
    if not known:
        return {"segments": [], "dots": [], **box}
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    segments, current, points = [], [], []
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        point = (f"{i * step:.1f}", f"{height * (1 - (value - low) / span):.1f}")
        current.append(point)
        points.append(point)
    if current:
        segments.append(current)
    dots = [s[0] for s in segments if len(s) == 1]
    if points[-1] not in dots:
        dots.append(points[-1])
    return {"segments": [" ".join(f"{x},{y}" for x, y in s) for s in segments if len(s) > 1],
            "dots": dots, **box}  # fmt: skip


def _norm_text(indicator: str, norm) -> str:
    if norm is None:
        return ""
    unit = unit_of(indicator)
    text = f"{format_number(norm)} {unit}".strip()
    ratio = ratio_text(indicator, norm)
    return f"{text} ({ratio})" if ratio else text


def load_headlines(periods: list[Period], district: str, names: dict) -> Store:
    """The stored rows the overview needs, in one query."""
    iii = [c for c in HEADLINES["III"] if c in INDICATORS]
    pooled = sorted({c for o in ("IV", "V") for c in HEADLINES[o]})
    # The city's or wijk's own figure of a pooled indicator too: a pool is hidden while it is.
    if district:
        keys = [f"{district}:{code}" for code, _name in names["services"]]
        parts = Q(level="district", level_key=district, indicator__in=iii + pooled) | Q(
            level="district_service", level_key__in=keys, indicator__in=pooled
        )
    else:
        parts = Q(level="system", level_key=SYSTEM_KEY, indicator__in=iii + pooled) | Q(
            level="service_type", indicator__in=pooled
        )
    columns = ("quarter", "level", "level_key", "indicator", "value", "numerator", "denominator",
               "norm", "suppression")  # fmt: skip
    rows = IndicatorValue.objects.filter(parts, quarter__in=periods).values_list(*columns)
    return Store(periods[-1], map(Row._make, rows), NormHistory())


def headlines(period: Period, filters: Filters | None = None, suppressed: bool = False,
              names=None) -> dict:  # fmt: skip
    """Per objective: title and headline figures (cell, norm, status, direction, sparkline and
    the last periods' values as a table)."""
    filters = filters or Filters()
    names = names or reference_names()
    district = filters.district
    periods = last_periods(period)
    store = load_headlines(periods, district, names)
    objective_of = dict(names["objectives"])

    def cell(objective: str, indicator: str, when: Period) -> tuple[dict, Row | None]:
        if objective == "III":
            level, key = ("district", district) if district else ("system", SYSTEM_KEY)
            row = store.get(when, level, key, indicator)
            return make_cell(indicator, row, suppressed), row
        level = "district_service" if district else "service_type"
        rows = [store.get(when, level, f"{district}:{code}" if district else code, indicator)
                for code, goal in objective_of.items() if goal == objective]  # fmt: skip
        parent = store.get(when, *(("district", district) if district else ("system", SYSTEM_KEY)),
                           indicator)  # fmt: skip
        return pool(indicator, rows, suppressed, parent), None

    objectives = []
    for objective, title in objective_titles().items():
        figures = []
        for indicator in HEADLINES[objective]:
            if indicator not in INDICATORS:
                continue
            cells = [cell(objective, indicator, p)[0] for p in periods]
            current, row = cell(objective, indicator, period)
            norm = norm_of(indicator, row, period, store.norms)
            if objective != "III" and indicator == "waiting_at_end":
                norm = None
            state, state_text = status(indicator, current, norm)
            figures.append({
                "indicator": indicator,
                "label": label_of(indicator),
                "unit": unit_of(indicator),
                "current": current,
                "previous": cells[-2],
                "previous_period": str(periods[-2]),
                "norm": _norm_text(indicator, norm),
                "norm_label": _("Signaalwaarde") if indicator in SIGNAL_VALUES else _("Norm of doel"),
                "status": state,
                "status_text": state_text,
                "direction": direction(indicator, current, cells[-2]),
                "spark": sparkline([c["number"] for c in cells]),
                "history": [{"period": str(p), "cell": c} for p, c in zip(periods, cells,
                                                                          strict=True)],
            })  # fmt: skip
        objectives.append({"objective": objective, "title": title, "figures": figures,
                           "anchor": DETAIL_ANCHOR[objective]})  # fmt: skip
    district_name = dict(names["districts"]).get(district, district)
    return {"period": str(period), "objectives": objectives,
            "scope": district_name if district else ""}  # fmt: skip
