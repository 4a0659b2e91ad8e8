"""Comparisons for one quarter: the wijken side by side, the services with their waiting norms,
and the providers or contracting parties, each as a table with its charts."""

from urllib.parse import urlencode

from django.utils.translation import gettext, gettext_noop

from wmo.periods import Period

from ..definitions.base import SYSTEM_KEY
from .cells import EMPTY, column_title, format_number, is_available, label_of, make_cell
from .charts import make_bar_chart
from .filters import Filters
from .layout import DISTRICT_COLUMNS, ORGANISATION_COLUMNS, SERVICE_COLUMNS, WAITING
from .norms import norm_of
from .stored import Store, load, reference_names


def _comparison(table_id, caption, first_column, entries, columns, level_for, quarter, store,
                suppressed, drill_for=None):  # fmt: skip
    """A table with one row per entry (key, label) and one column per indicator."""
    rows = []
    for key, label in entries:
        level = level_for(key)
        cells = []
        for code in columns:
            cell = make_cell(code, store.get(quarter, level, key, code), suppressed)
            if drill_for and code in WAITING and not suppressed and cell["text"]:
                cell["drill"] = drill_for(key)
            cells.append(cell)
        rows.append({"key": key, "label": label, "cells": cells})
    return {
        "id": table_id,
        "caption": caption,
        "columns": [first_column, *[column_title(code) for code in columns]],
        "indicators": list(columns),
        "rows": rows,
    }


def by_district(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
                store: Store | None = None, names=None) -> dict:  # fmt: skip
    """The ten wijken side by side (for the chosen service if one is filtered), with the city
    as the last row; charts of clients per 1,000 inhabitants and mean waiting time per wijk."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    service = filters.service
    columns = [c for c in DISTRICT_COLUMNS
               if is_available(c, "district_service" if service else "district")]  # fmt: skip
    entries = [(code, name) for code, name in names["districts"]]

    def key_level(key):
        return ("district_service", f"{key}:{service}") if service else ("district", key)

    rows_entries = [(key_level(code)[1], name) for code, name in entries]
    total_level, total_key = ("service_type", service) if service else ("system", SYSTEM_KEY)
    levels = {key_level(code)[1]: key_level(code)[0] for code, _ in entries}
    levels[total_key] = total_level
    service_name = dict(names["services"]).get(service, service)
    caption = gettext("Per wijk, %(quarter)s") % {"quarter": quarter} + (
        f" — {service_name}" if service else ""
    )

    def drill(key):
        district = key.split(":", 1)[0]
        query = {"wijk": district if key != total_key else ""}
        if service:
            query["voorziening"] = service
        return urlencode({k: v for k, v in query.items() if v})

    district_title = gettext("Wijk")
    table = _comparison("per-wijk", caption, district_title,
                        [*rows_entries, (total_key, gettext("Heel Utrecht"))], columns,
                        levels.__getitem__, quarter, store, suppressed, drill)  # fmt: skip
    for row in table["rows"]:
        row["key"] = row["key"].split(":", 1)[0] if row["key"] != total_key else "totaal"
    wijk_rows = {**table, "rows": table["rows"][:-1]}
    charts = []
    first = "clients_per_1000" if "clients_per_1000" in columns else "clients_in_care"
    charts.append(make_bar_chart(
        "wijk-bereik", gettext("%(label)s per wijk, %(quarter)s")
        % {"label": label_of(first), "quarter": quarter}, wijk_rows, first, district_title))  # fmt: skip
    charts.append(make_bar_chart(
        "wijk-wachttijd", gettext("Gemiddelde wachttijd per wijk, %(quarter)s") % {"quarter": quarter},
        wijk_rows, "mean_wait_days", district_title))  # fmt: skip
    return {"table": table, "charts": charts, "ignored": filters.ignored}


def by_service(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
               store: Store | None = None, names=None) -> dict:  # fmt: skip
    """Every service with stored values (for the chosen wijk if one is filtered), with its
    waiting norm; chart of mean waiting time against the norm."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    district = filters.district
    level = "district_service" if district else "service_type"
    present = store.keys_at(level)
    entries = []
    for code, name in names["services"]:
        key = f"{district}:{code}" if district else code
        if key in present:
            entries.append((key, name))
    district_name = dict(names["districts"]).get(district, district)
    caption = gettext("Per voorziening, %(quarter)s") % {"quarter": quarter} + (
        f" — {district_name}" if district else ""
    )

    def drill(key):
        query = {"wijk": district, "voorziening": key.split(":")[-1]}
        return urlencode({k: v for k, v in query.items() if v})

    table = _comparison("per-voorziening", caption, gettext("Voorziening"), entries,
                        SERVICE_COLUMNS, lambda key: level, quarter, store, suppressed, drill)  # fmt: skip
    table["columns"].insert(1, gettext("Norm (dagen)"))
    for row, (key, _) in zip(table["rows"], entries, strict=True):
        norm = norm_of("mean_wait_days", store.get(quarter, level, key, "mean_wait_days"))
        if norm is None:
            # The norm belongs to the service: the city-wide row carries it too.
            service_row = store.get(quarter, "service_type", key.split(":")[-1], "mean_wait_days")
            norm = norm_of("mean_wait_days", service_row)
        row["cells"].insert(0, {**EMPTY, "text": format_number(norm),
                                "number": float(norm) if norm is not None else None})  # fmt: skip
        row["key"] = key.split(":")[-1]
    table["indicators"].insert(0, "norm")
    norms = [row["cells"][0] for row in table["rows"]]
    chart = make_bar_chart("voorziening-wachttijd",
                       gettext("Gemiddelde wachttijd per voorziening, %(quarter)s") % {"quarter": quarter},
                       table, "mean_wait_days", gettext("Voorziening"),
                       extra=[{"label": gettext("Norm"), "cells": norms, "style": "norm"}])  # fmt: skip
    return {"table": table, "charts": [chart], "ignored": filters.ignored}


def by_organisation(quarter: Period, filters: Filters | None = None, suppressed: bool = False,
                    store: Store | None = None, names=None, level: str = "provider") -> dict:  # fmt: skip
    """Per delivering provider (level "provider") or per contracting party ("contractor")."""
    filters = filters or Filters()
    store = store or load(quarter, filters)
    names = names or reference_names()
    provider_names = dict(names["providers"])
    present = store.keys_at(level)
    entries = sorted(((key, provider_names.get(key, key)) for key in present),
                     key=lambda item: item[1].lower())  # fmt: skip
    columns = [c for c in ORGANISATION_COLUMNS if is_available(c, level)]
    is_provider = level == "provider"
    # No figures are stored per organisation and wijk or service (definitions.base.LEVEL_FIELDS):
    # these tables cover every wijk and service whatever is filtered, and say so.
    unfiltered = [name for name, value in ((gettext_noop("wijk"), filters.district),
                                           (gettext_noop("voorziening"), filters.service)) if value]  # fmt: skip
    caption = (gettext("Per aanbieder, %(quarter)s") if is_provider
               else gettext("Per contractpartij, %(quarter)s")) % {"quarter": quarter}  # fmt: skip
    if unfiltered:
        caption += " — " + gettext("alle wijken en voorzieningen")

    def drill(key):
        return urlencode({"aanbieder": key})

    table = _comparison("per-aanbieder" if is_provider else "per-contractpartij", caption,
                        gettext("Aanbieder") if is_provider else gettext("Contractpartij"),
                        entries, columns,
                        lambda key: level, quarter, store, suppressed,
                        drill if is_provider else None)  # fmt: skip
    title = (gettext("Cliënten in zorg per aanbieder, %(quarter)s") if is_provider
             else gettext("Cliënten in zorg per contractpartij, %(quarter)s")) % {"quarter": quarter}  # fmt: skip
    chart = make_bar_chart(f"{table['id']}-clienten", title, table, "clients_in_care",
                           table["columns"][0])  # fmt: skip
    # Dozens of organisations: horizontal bars, one line each, so every name stays readable.
    chart["horizontal"] = True
    return {"table": table, "charts": [chart], "level": level, "unfiltered": unfiltered}
