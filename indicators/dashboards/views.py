"""Staff and council dashboards: thin views over `indicators.selectors` (stored values only)."""

from dataclasses import astuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View

from wmo import downloads
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.periods import Quarter, parse_period

from .. import selectors
from ..models import IndicatorRun
from ..selectors.charts import chart_payload
from .cache import cached, cached_html, data_version
from .forms import DashboardFilterForm, period_query
from .html import table_html

# A period's kind (Period.NOUN, a key) as the page names it.
PERIOD_NOUNS = {"kwartaal": _("kwartaal"), "halfjaar": _("halfjaar"), "jaar": _("jaar")}


def is_htmx(request) -> bool:
    # A history restore after a cache miss needs the whole page, not the fragment.
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def all_charts(result: dict) -> list[dict]:
    """Every chart of a dashboard result, trends (yearly, then quarterly) first."""
    charts = list(result.get("trends", []))
    for name in (
        "districts",
        "services",
        "providers",
        "contractors",
        "ratios",
        "diversity",
        "spend",
    ):
        if name in result:
            charts.extend(result[name]["charts"])
    return charts


class DashboardBase(CapabilityRequiredMixin, View):
    """A warm request reads the data version (one query), the cached selection and figures,
    and for staff the quarter's latest run; names, quarters, the filter form and the figures
    are built only on a miss."""

    figures_template = "indicators/dashboard/includes/figures_body.html"
    filter_template = "indicators/dashboard/includes/filter_fields.html"

    suppressed = False
    organisations = True
    url_name = ""
    export_url_name = ""
    template_name = "indicators/dashboard/page.html"
    partial_template = "indicators/dashboard/figures.html"

    _names = None

    @property
    def names(self):
        if self._names is None:
            self._names = selectors.reference_names()
        return self._names

    def selection(self, request, today):
        """(form, period, filters) for the request's GET parameters."""
        periods = selectors.stored_periods()
        # The last completed quarter with values; with no quarter stored, the newest period.
        default = selectors.default_quarter(today, selectors.stored_quarters(periods)) or (
            periods[0] if periods else None
        )
        query = request.GET.copy()
        if query and not (query.get("periode") or query.get("kwartaal")) and default is not None:
            # The field shows the period the figures are for, not the first in the list.
            query["periode"] = str(default)
        form = DashboardFilterForm(
            query or None, names=self.names, periods=periods,
            organisations=self.organisations, initial={"periode": str(default or "")},
        )  # fmt: skip
        quarter, filters = form.selection(default)
        return form, quarter, filters

    def choose(self, request, today) -> dict:
        """What the GET parameters select, with the rendered filter fields: plain values, so
        the whole answer can be cached."""
        form, quarter, filters = self.selection(request, today)
        query = urlencode({**period_query(quarter), **filters.as_query()}) if quarter else ""
        return {
            "quarter": quarter,
            "filters": astuple(filters),
            "query": query,
            "label": self.selection_label(filters),
            "form_html": render_to_string(self.filter_template, {"form": form}),
            "refusals": form.refusals(),
        }

    def chosen(self, request, version: str, today) -> dict:
        """`choose`, from the cache. The default quarter follows the calendar: a page opened
        without a quarter shows the new one as soon as a quarter ends, whatever is cached."""
        return cached(
            version,
            # "v2": selections cached before they held their refusals are not read.
            f"selection-v2|{type(self).__name__}|{Quarter.last_completed(today)}|"
            f"{request.GET.urlencode()}",
            lambda: self.choose(request, today),
        )

    def figures(self, version: str, chosen: dict) -> dict:
        """The dashboard's figures for a chosen selection, built once per data version: the
        page's tables and every download of one of them read the same build."""
        return cached(
            version, f"figures-data|{self.audience}|{chosen['query']}",
            lambda: selectors.dashboard(chosen["quarter"], selectors.Filters(*chosen["filters"]),
                                        self.suppressed, names=self.names),
        )  # fmt: skip

    @property
    def audience(self) -> str:
        # What the figures depend on besides the selection (the page and its downloads are
        # views of their own, with the same figures).
        return "council" if self.suppressed else "staff"

    def render_figures(self, version, chosen, context) -> str:
        """The figures of one selection as HTML ('' when nothing is stored for it)."""
        result = self.figures(version, chosen)
        if not result:
            return ""
        waiting_list = None if self.suppressed else reverse("referrals:waiting-list")
        for table in selectors.all_tables(result).values():
            table["html"] = table_html(table, waiting_list)
        charts = chart_payload(all_charts(result))
        return render_to_string(
            self.figures_template, {**context, "result": result, "charts": charts}
        )

    def selection_label(self, filters) -> str:
        parts = [
            (_("Wijk"), filters.district, "districts"), (_("Voorziening"), filters.service, "services"),
            (_("Aanbieder"), filters.provider, "providers"),
            (_("Contractpartij"), filters.contractor, "providers"),
        ]  # fmt: skip
        return " · ".join(
            f"{title} {dict(self.names[kind]).get(code, code)}"
            for title, code, kind in parts
            if code
        )

    def get(self, request):
        version = data_version()
        today = timezone.localdate()
        chosen = self.chosen(request, version, today)
        quarter = chosen["quarter"]
        filters = selectors.Filters(*chosen["filters"])
        query = chosen["query"]
        series = selectors.sub_year_kind(quarter).NOUN if quarter else "kwartaal"
        context = {
            "quarter": quarter,
            "filters": filters,
            "suppressed": self.suppressed,
            "can_drill": not self.suppressed,
            "can_recompute": not self.suppressed,
            "page_url": reverse(self.url_name),
            "export_url_name": self.export_url_name,
            "query": query,
            "title": self.title,
            "selection_label": chosen["label"],
            # The recompute button computes the period shown (none stored yet: the last quarter).
            "recompute_quarter": quarter or Quarter.last_completed(today),
            "period_noun": PERIOD_NOUNS[quarter.NOUN if quarter else "kwartaal"],
            "series_kind": series,
            "series_noun": PERIOD_NOUNS[series],
        }
        if quarter is not None:
            context["figures_html"] = cached_html(
                version, f"figures|{type(self).__name__}|{query}",
                lambda: self.render_figures(version, chosen, context),
            )  # fmt: skip
        if not is_htmx(request):
            context["form_fields_html"] = mark_safe(chosen["form_html"])  # noqa: S308 - our template
        if not self.suppressed:
            # The quarter's latest run: an active one is shown with its progress.
            context["run"] = IndicatorRun.objects.filter(
                quarter=context["recompute_quarter"]
            ).order_by("-created_at").first()  # fmt: skip
        template = self.partial_template if is_htmx(request) else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        if is_htmx(request) and quarter is not None:
            # The address bar gets the canonical URL (no empty filters), ready to share.
            response["HX-Push-Url"] = f"{context['page_url']}?{query}"
        return response


class StaffDashboardView(DashboardBase):
    """Contract managers: exact figures, every comparison, drill-down and recompute."""

    capability = "dashboard.staff"
    url_name = "dashboard:staff"
    export_url_name = "dashboard:staff-export"
    title = _("Dashboard stelselindicatoren")


class CouncilDashboardView(DashboardBase):
    """Council members: aggregates only, every figure suppressed, no drill-down."""

    capability = "dashboard.council"
    suppressed = True
    organisations = False
    url_name = "dashboard:council"
    export_url_name = "dashboard:council-export"
    title = _("Dashboard voor de gemeenteraad")


class ExportMixin:
    """One table (or chart's data) as CSV or XLSX, with the same strings as the page."""

    def get(self, request, table, fmt):
        version = data_version()
        chosen = self.chosen(request, version, timezone.localdate())
        if chosen["refusals"]:
            return downloads.refused(chosen["refusals"])
        quarter = chosen["quarter"]
        result = self.figures(version, chosen) if quarter is not None else None
        if result is None:
            raise Http404("Nog geen opgeslagen indicatoren.")
        tables = selectors.all_tables(result)
        if table not in tables:
            raise Http404("Onbekende tabel.")
        chosen = tables[table]
        rows = selectors.table_rows(chosen) if fmt == "csv" else spreadsheet_rows(chosen)
        return downloads.table_response(fmt, rows, name=(table, quarter), sheet_title=chosen["id"])


def spreadsheet_rows(table: dict) -> list[list]:
    """The caption, the header, the rows and the table's footnote (secondary suppression);
    numbers stay numbers so they can be summed, suppressed marks (`<5`, `—`) stay text."""
    rows = [[table["caption"]], list(table["columns"])] + [
        [row["label"], *[cell["number"] if cell["number"] is not None else selectors.cell_text(cell)
                         for cell in row["cells"]]]
        for row in table["rows"]
    ]  # fmt: skip
    note = selectors.table_note(table)
    return rows + [[note]] if note else rows


class StaffExportView(ExportMixin, StaffDashboardView):
    pass


class CouncilExportView(ExportMixin, CouncilDashboardView):
    pass


class RecomputeView(CapabilityRequiredMixin, View):
    """Queue the chosen period's computation — a quarter, half-year or year, from the records,
    never by adding quarters — (or find the one already running) and show its progress."""

    capability = "indicators.compute"

    def post(self, request):
        from ..services import check_period_computable
        from ..tasks import queue_run

        error = None
        field = "Periode" if "periode" in request.POST else "Kwartaal"
        try:
            if field == "Periode":
                quarter = parse_period(request.POST.get("periode", ""))
            else:
                quarter = Quarter.parse(request.POST.get("kwartaal", ""))
            check_period_computable(quarter)
        except ValueError as exc:
            error = f"{field}: {exc}"
        except ValidationError as exc:
            error = f"{field}: {' '.join(exc.messages)}"
        if error:
            if is_htmx(request):
                return render(request, "indicators/dashboard/run.html", {"error": error},
                              status=400)  # fmt: skip
            messages.error(request, error)
            return redirect(reverse("dashboard:staff"))
        # A broker outage is no error here: the run is recorded and starts by itself later.
        run, _created = queue_run(quarter, user=request.user, trigger="dashboard")
        run.refresh_from_db()
        if is_htmx(request):
            return render_run(request, run)
        if run.awaits_broker:
            messages.warning(request, run.awaiting_broker_message)
        return redirect(f"{reverse('dashboard:staff')}?{urlencode(period_query(quarter))}")


def render_run(request, run):
    response = render(request, "indicators/dashboard/run.html", {"run": run})
    if run.status == IndicatorRun.Status.DONE and is_htmx(request):
        # The run finished while the page watched it: the figures reload on this event. (The
        # reloaded figures show the run without polling, so this fires once.)
        response["HX-Trigger"] = "wmo-herberekend"
    return response


class RunStatusView(CapabilityRequiredMixin, View):
    """The progress fragment that the page polls every second while a run is active."""

    capability = "indicators.compute"

    def get(self, request, pk):
        run = get_object_or_404(IndicatorRun, pk=pk)
        return render_run(request, run)
