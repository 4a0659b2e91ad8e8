"""The continuity monitor's page (TRANSITION.md): thin over wmo.referrals.transition.

Contract managers see the exact counts and the unresolved clients (with downloads); buurtteam
workers see their own team's unresolved clients only (a referral names the team that
registered it); council members see the counts with suppression (indicators.suppression_tallies) and
never a list. Every showing or download of the list is an audit-trail line."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views import View

from districts.selectors import team_of
from wmo import downloads
from wmo.accounts import audit
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.accounts.roles import has_capability
from wmo.referrals.models import Referral, TransitionNotice
from wmo.referrals.transition import (
    COUNTS,
    DATE_FORMAT_ERROR,
    LABELS,
    TRANSITION_DAY,
    check_day,
    count_rows,
    monitor,
    unresolved,
    unresolved_rows,
)
from wmo.text import PlainText

from ..suppression import MARKER, NOTE
from ..suppression_tallies import council_tally_tables

LIST_PAGE = 100
LIST_ORDER = ("team__code", "external_id")


def _date_field(label):
    # As the API reads its dates: ISO only, within the monitor's range (transition.check_day).
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": DATE_FORMAT_ERROR},
                           validators=[check_day])  # fmt: skip


class TransitionQueryForm(PlainText, forms.Form):
    overgang = _date_field(gettext_lazy("Overgangsdag"))
    peildatum = _date_field(gettext_lazy("Peildatum"))

    def refusals(self) -> dict[str, str]:
        """Per refused parameter, its label and why."""
        return {name: f"{self[name].label}: {' '.join(errors)}"
                for name, errors in self.errors.items()}  # fmt: skip


def council_tables(result) -> list[dict]:
    """Per count, the total and each breakdown as a council member sees them (the API's too)."""
    return council_tally_tables(result.total, result.breakdowns, COUNTS)


def council_count_rows(tables: list[dict]):
    """The council's counts as a table, as the page shows them: header first, the total once
    (the same in every breakdown), then each breakdown's rows; `<5*` marks a figure hidden to
    protect another, explained in the last row."""

    def cells(shown):
        return [f"{cell.value}{MARKER if cell.note else ''}" if cell.hidden else cell.value
                for cell in shown]  # fmt: skip

    yield ["indeling", "code", "naam", *COUNTS]
    yield ["totaal", "", "", *cells(tables[0]["total"])]
    noted = any(cell.note for cell in tables[0]["total"])
    for table in tables:
        for key, name, shown in table["rows"]:
            noted = noted or any(cell.note for cell in shown)
            yield [table["level"], key, name, *cells(shown)]
    if noted:
        yield [f"{MARKER} {gettext(NOTE)}"]


class TransitionMonitorView(CapabilityRequiredMixin, View):
    capability = "transition.view"

    def get(self, request):
        user = request.user
        query = TransitionQueryForm(request.GET)
        if not query.is_valid():
            return self.refuse(request, query)
        day = query.cleaned_data["overgang"] or TRANSITION_DAY
        as_of = query.cleaned_data["peildatum"] or timezone.localdate()
        sees_list = has_capability(user, "transition.list")
        exact = has_capability(user, "transition.exact")
        result = monitor(day, as_of)
        export = request.GET.get("formaat")
        table = request.GET.get("tabel", "onopgelost")
        if export in downloads.TABLE_FORMATS:
            if table == "aantallen":
                rows = count_rows(result) if exact else council_count_rows(council_tables(result))
                return downloads.table_response(export, rows, name=("overgang", day),
                                                sheet_title="Overgang")  # fmt: skip
            if table != "onopgelost" or not sees_list:
                raise PermissionDenied
            referrals = self.unresolved(result)
            audit.record_export(referrals, request=request, details={"overgang": day.isoformat()})
            return downloads.table_response(export, unresolved_rows(referrals),
                                            name=("overgang_onopgelost", day),
                                            sheet_title="Onopgelost", stream=True)  # fmt: skip
        page_obj = None
        if sees_list:
            page_obj = self.unresolved_page(result)
            audit.record_view(page_obj.object_list, request=request,
                              details={"overgang": day.isoformat()})  # fmt: skip
        context = {
            "page_title": gettext("Overgang naar 2027: continuïteit van zorg"), "day": day, "as_of": as_of,
            "result": result, "exact": exact, "sees_list": sees_list, "page_obj": page_obj,
            "is_paginated": bool(page_obj and page_obj.paginator.num_pages > 1),
            "team": team_of(user) if sees_list and not exact else None,
            "labels": [gettext(LABELS[name]) for name in COUNTS],
            "gap_labels": [gettext(LABELS["gap_mean"]), gettext(LABELS["gap_max"])],
            "counts": COUNTS,
            "notice": TransitionNotice.objects.filter(transition_day=day).first() if exact else None,
            "council": None if exact else council_tables(result),
            "query": f"overgang={day.isoformat()}&peildatum={as_of.isoformat()}",
            "values": {"overgang": day.isoformat(), "peildatum": as_of.isoformat()},
        }  # fmt: skip
        return render(request, "indicators/transition.html", context)

    def refuse(self, request, query):
        """A 400 naming the parameter and why, never the default day's figures in its place: a
        download as plain text, the page with the error beside the field and no figures."""
        refusals = query.refusals()
        if request.GET.get("formaat") in downloads.TABLE_FORMATS:
            return downloads.refused(refusals.values())
        context = {
            "page_title": gettext("Overgang naar 2027: continuïteit van zorg"), "result": None,
            "errors": refusals,
            "values": {name: request.GET.get(name, "") for name in query.fields},
        }  # fmt: skip
        return render(request, "indicators/transition.html", context, status=400)

    def unresolved(self, result):
        """The unresolved referrals this user may see: a buurtteam worker only their team's."""
        referrals = unresolved(result.day, result.as_of).visible_to(self.request.user)
        return referrals.order_by(*LIST_ORDER)

    def unresolved_page(self, result):
        """One page of the list (`?page=`), its referrals read with what the table shows.
        The page's referrals are chosen before anything is joined: PostgreSQL joined the client
        and both providers to all 17,105 unresolved referrals of the demo before sorting them."""
        paginator = Paginator(self.unresolved(result).values_list("pk", flat=True), LIST_PAGE)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        chosen = list(page_obj.object_list)
        page_obj.object_list = list(
            Referral.objects.filter(pk__in=chosen).order_by(*LIST_ORDER).with_details()
        )
        return page_obj
