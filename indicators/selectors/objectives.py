"""The opening view: the three policy objectives of the programme budget (POLICY.md), each with
its figures against their norms and target ratios.

- III laagdrempelige basiszorg: the buurtteam's own indicators (stored for the city and per
  wijk), with the first-contact norm of 5 working days and the targets 80/20 and 50/50.
- IV passende aanvullende zorg and V opvang en verblijf (U16): per service of that objective
  (ServiceType.objective), its stored values at service level (per wijk × service when a wijk is
  chosen), with the service's own waiting norm and the 15/85 target for group-based support.

There is no stored value per objective (distinct clients do not add up over services), so the
objective is shown through its services rather than as a sum. Provider and contractor filters
do not apply here: the objectives are read for the city or the chosen wijk, and say so."""

from django.utils.translation import gettext, gettext_noop

from wmo.periods import Period

from ..definitions import INDICATORS
from ..definitions.base import SYSTEM_KEY
from .cells import EMPTY, column_title, format_number, label_of, make_cell, unit_of
from .filters import Filters
from .layout import OBJECTIVE_III, OBJECTIVE_SERVICE_COLUMNS, objective_titles
from .norms import norm_of, status
from .stored import Store, load, reference_names

# The target ratios as the policy writes them ("80/20"), from the dated target valid on the
# period's last day: which side of the ratio the stored target is.
RATIO_SIDE = {"bt_referral_rate": "second", "bt_group_share": "first", "group_share": "first"}


def ratio_text(indicator: str, target) -> str:
    """20 for bt_referral_rate -> "80/20"; 15 for group_share -> "15/85"."""
    if target is None or indicator not in RATIO_SIDE:
        return ""
    share, rest = format_number(target), format_number(100 - target)
    return f"{rest}/{share}" if RATIO_SIDE[indicator] == "second" else f"{share}/{rest}"


def _intro(objective: str, quarter: Period, store: Store) -> str:
    def target(indicator):
        return norm_of(indicator, None, quarter, store.norms)

    if objective == "III":
        return gettext(
            "De buurtteams: eerste contact binnen %(days)s werkdagen; doelverhoudingen "
            "%(referred)s (buurtteam tegenover aanvullende zorg) en %(group)s (groepsgericht "
            "tegenover individueel)."
        ) % {"days": format_number(target("bt_mean_wait_workdays")),
             "referred": ratio_text("bt_referral_rate", target("bt_referral_rate")),
             "group": ratio_text("bt_group_share", target("bt_group_share"))}  # fmt: skip
    if objective == "IV":
        group = target("group_share")
        return gettext(
            "Per voorziening van aanvullende zorg, met haar eigen wachttijdnorm (verwijzing tot "
            "start); doelverhouding %(ratio)s (groepsgericht tegenover individueel, doel "
            "%(target)s %% groepsgericht)."
        ) % {"ratio": ratio_text("group_share", group), "target": format_number(group)}
    return gettext(
        "Per voorziening van opvang en verblijf, die Utrecht uitvoert voor de 16 gemeenten van "
        "de regio U16, met haar eigen wachttijdnorm (verwijzing tot opname)."
    )


# Where each objective's figures are worked out in the indicator-family view (anchors).
DRILL_DOWN = {"III": "overzicht-kop", "IV": "voorzieningen-kop", "V": "voorzieningen-kop"}


def _target_text(indicator: str, norm) -> str:
    if norm is None:
        return ""
    unit = "%" if INDICATORS[indicator].kind == "percentage" else unit_of(indicator)
    text = f"{format_number(norm)} {unit}".strip()
    ratio = ratio_text(indicator, norm)
    return (
        gettext("%(target)s (doel %(ratio)s)") % {"target": text, "ratio": ratio} if ratio else text
    )


def _basiszorg(quarter: Period, district: str, suppressed: bool, store: Store) -> dict:
    """Objective III: one row per buurtteam indicator (value, norm or target, status, level)."""
    rows = []
    for indicator in OBJECTIVE_III:
        if indicator not in INDICATORS:
            continue
        level, key = ("district", district) if district else ("system", SYSTEM_KEY)
        row = store.get(quarter, level, key, indicator)
        if row is None and indicator.startswith("bt_exp_"):
            continue  # the buurtteam's Ervaringwijzer questions, once they are stored
        cell = make_cell(indicator, row, suppressed)
        norm = norm_of(indicator, row, quarter, store.norms)
        _state, state_text = status(indicator, cell, norm)
        rows.append({"key": indicator, "label": column_title(indicator), "cells": [
            cell, {**EMPTY, "text": _target_text(indicator, norm)}, {**EMPTY, "text": state_text},
            {**EMPTY, "text": gettext("gekozen wijk") if district else gettext("heel Utrecht")},
        ]})  # fmt: skip
    return {
        "id": "doel-iii", "caption": f"{objective_titles()['III']}, {quarter}",
        "columns": [gettext("Indicator"), gettext("Waarde"), gettext("Norm of doel"),
                    gettext("Status"), gettext("Niveau")], "rows": rows,
    }  # fmt: skip


def _services(objective: str, quarter: Period, district: str, suppressed: bool, store: Store,
              names: dict) -> dict:  # fmt: skip
    """Objective IV or V: one row per service of the objective with stored values, its norm
    first, then the figures; columns with a target say so."""
    codes = {code for code, goal in names["objectives"] if goal == objective}
    level = "district_service" if district else "service_type"
    present = store.keys_at(level)
    rows = []
    for code, name in names["services"]:
        key = f"{district}:{code}" if district else code
        if code not in codes or key not in present:
            continue
        cells = [make_cell(c, store.get(quarter, level, key, c), suppressed)
                 for c in OBJECTIVE_SERVICE_COLUMNS]  # fmt: skip
        # The waiting norm belongs to the service: the city-wide row carries it too.
        norm = norm_of("mean_wait_days", store.get(quarter, level, key, "mean_wait_days"),
                       quarter, store.norms)  # fmt: skip
        if norm is None:
            norm = norm_of("mean_wait_days", store.get(quarter, "service_type", code,
                                                       "mean_wait_days"), quarter, store.norms)  # fmt: skip
        norm_cell = {**EMPTY, "text": format_number(norm),
                     "number": float(norm) if norm is not None else None}  # fmt: skip
        rows.append({"key": code, "label": name, "cells": [norm_cell, *cells]})
    columns = [column_title(c) for c in OBJECTIVE_SERVICE_COLUMNS]
    share = OBJECTIVE_SERVICE_COLUMNS.index("group_share")
    group = norm_of("group_share", None, quarter, store.norms)
    if group is not None:
        columns[share] += " — " + gettext("doel %(target)s (%(ratio)s)") % {
            "target": format_number(group), "ratio": ratio_text("group_share", group)}  # fmt: skip
    caption = gettext("%(objective)s, per voorziening, %(quarter)s") % {
        "objective": objective_titles()[objective], "quarter": quarter}  # fmt: skip
    return {
        "id": f"doel-{objective.lower()}", "caption": caption,
        "columns": [gettext("Voorziening"), gettext("Wachttijdnorm (dagen)"), *columns],
        "rows": rows,
    }  # fmt: skip


def objectives(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
               store: Store | None = None, names=None) -> dict:  # fmt: skip
    """The three objectives, each with a title, a sentence on its norms and targets, a table
    and the anchor of its drill-down in the indicator-family view."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    district = filters.district
    district_name = dict(names["districts"]).get(district, district)
    items = []
    for objective, title in objective_titles().items():
        if objective == "III":
            table = _basiszorg(quarter, district, suppressed, store)
        else:
            table = _services(objective, quarter, district, suppressed, store, names)
        items.append({"objective": objective, "title": title, "intro": _intro(objective, quarter, store),
                      "table": table, "drill_down": DRILL_DOWN[objective]})  # fmt: skip
    scope = (gettext("Wijk %(name)s") % {"name": district_name} if district
             else gettext("Heel Utrecht"))  # fmt: skip
    ignored = [name for name, value in ((gettext_noop("voorziening"), filters.service),
                                        (gettext_noop("aanbieder"), filters.provider),
                                        (gettext_noop("contractpartij"), filters.contractor))
               if value]  # fmt: skip
    scope_text = (gettext("wijk %(name)s") % {"name": district_name} if district
                  else gettext("heel Utrecht"))  # fmt: skip
    return {"items": items, "scope": scope, "scope_text": scope_text, "ignored": ignored,
            "quarter": str(quarter),
            "labels": {code: label_of(code) for code in OBJECTIVE_SERVICE_COLUMNS}}  # fmt: skip
