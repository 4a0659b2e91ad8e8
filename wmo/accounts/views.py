"""The audit trail for contract managers: filter, page through (newest first, never counted: the
trail grows without end) and download the selection as CSV or XLSX — a download that is itself
a line in the trail."""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models.fields.json import KeyTextTransform
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from wmo import downloads

from . import audit
from .forms import AuditFilterForm
from .models import AuditEntry
from .permissions import CapabilityRequiredMixin

PAGE_SIZE = 50
SHOWN_IDS = 5
EXPORT_LIMIT = 100_000
"""Lines per download; XLSX holds about a million rows, a person reads far fewer."""
XLSX_CELL_LIMIT = 32_000  # Excel refuses cells over 32,767 characters


def _lines(queryset):
    """The lines with the first few record ids, without loading every id of a large line."""
    firsts = {f"id_{i}": KeyTextTransform(str(i), "record_ids") for i in range(SHOWN_IDS)}
    return (queryset.select_related("content_type").defer("record_ids", "serialized_data")
            .annotate(**firsts))  # fmt: skip


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _positive_int(raw):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


class AuditTrailView(CapabilityRequiredMixin, TemplateView):
    capability = "audit.view"
    template_name = "accounts/audit_trail.html"

    def get(self, request, *args, **kwargs):
        self.filter_form = AuditFilterForm(request.GET or None)
        self.selection = self.filter_form.filter(AuditEntry.objects.order_by("-id"))
        export = request.GET.get("formaat")
        if export in ("csv", "xlsx") and not self.filter_form.errors:
            return self.export(export)
        status = 400 if self.filter_form.errors else 200
        return self.render_to_response(self.get_context_data(), status=status)

    def page(self):
        """A page of lines by key (older than `voor`, newer than `na`), newest first: one row
        more than shown says whether there is a further page; no COUNT over the trail."""
        older_than = _positive_int(self.request.GET.get("voor"))
        newer_than = _positive_int(self.request.GET.get("na"))
        lines = _lines(self.selection)
        if newer_than:
            rows = list(lines.filter(id__gt=newer_than).order_by("id")[: PAGE_SIZE + 1])
            has_newer, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE][::-1]
            has_older = self.selection.filter(id__lte=newer_than).exists()
        else:
            if older_than:
                lines = lines.filter(id__lt=older_than)
            rows = list(lines[: PAGE_SIZE + 1])
            has_older, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
            has_newer = bool(older_than) and self.selection.filter(id__gte=older_than).exists()
        for row in rows:
            row.shown_ids = [getattr(row, f"id_{i}") for i in range(min(SHOWN_IDS, row.record_count))
                             if getattr(row, f"id_{i}") is not None]  # fmt: skip
            row.more_ids = max(row.record_count - len(row.shown_ids), 0)
        return rows, has_newer, has_older

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("voor", "na", "formaat"):
            query.pop(name, None)
        rows, has_newer, has_older = (
            self.page() if not self.filter_form.errors else ([], False, False)
        )
        # The lines name record ids, addresses and pages: reading them is a line of its own.
        audit.record_view(rows, request=self.request)
        context.update(
            page_title=_("Audittrail"), filter_form=self.filter_form, rows=rows,
            querystring=query.urlencode(), has_newer=has_newer, has_older=has_older,
            newer_id=rows[0].pk if rows else None, older_id=rows[-1].pk if rows else None,
            retention_days=audit.retention_days(), export_limit=_thousands(EXPORT_LIMIT),
        )  # fmt: skip
        return context

    # --- download -------------------------------------------------------------------------------

    def export(self, kind: str):
        """The filtered selection up to now: lines up to the newest one at this moment (the trail
        only grows, so the filters and that id say exactly which lines went out — the download's
        own line records them instead of every id)."""
        newest = self.selection.values_list("id", flat=True).first()
        selection = self.selection.filter(id__lte=newest) if newest else self.selection.none()
        count = selection.order_by()[: EXPORT_LIMIT + 1].count()
        if count > EXPORT_LIMIT:
            self.filter_form.add_error(None, _(
                "De selectie telt meer dan %(limit)s regels; verfijn de filters (bijvoorbeeld een "
                "kortere periode) en download opnieuw."
            ) % {"limit": _thousands(EXPORT_LIMIT)})  # fmt: skip
            return self.render_to_response(self.get_context_data(), status=400)
        audit.record_export([], model=AuditEntry, count=count, request=self.request, details={
            "formaat": kind, "filters": self.filter_form.applied(), "tot_en_met_regel": newest,
        })  # fmt: skip
        rows = self.export_rows(selection.select_related("content_type"), xlsx=kind == "xlsx")
        # Formulas neutralised by the one downloads module (a line echoes what users typed).
        return downloads.table_response(kind, rows, name=("audittrail",),
                                        sheet_title="Audittrail", stream=True)  # fmt: skip

    HEADER = ["regel", "tijdstip", "gebruiker", "handeling", "soort_gegeven", "omschrijving",
              "aantal", "kenmerken", "ip_adres", "pagina", "wijzigingen", "details"]  # fmt: skip

    def export_rows(self, queryset, xlsx: bool):
        yield self.HEADER
        zone = timezone.get_current_timezone()
        for line in queryset.iterator(chunk_size=2000):
            ids = " ".join(str(key) for key in line.record_ids)
            if xlsx and len(ids) > XLSX_CELL_LIMIT:
                ids = ids[:XLSX_CELL_LIMIT].rsplit(" ", 1)[0] + " …"
            yield [line.pk, line.timestamp.astimezone(zone).isoformat(timespec="seconds"),
                   line.actor_username, str(line.get_action_display()),
                   f"{line.content_type.app_label}.{line.content_type.model}", line.object_repr,
                   line.record_count, ids, line.remote_addr or "", line.path,
                   json.dumps(line.changes, ensure_ascii=False) if line.changes else "",
                   json.dumps(line.additional_data, ensure_ascii=False)
                   if line.additional_data else ""]  # fmt: skip


class AuditEntryView(CapabilityRequiredMixin, TemplateView):
    """One line with everything in it: every record id, the changes and the details."""

    capability = "audit.view"
    template_name = "accounts/audit_entry.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line = get_object_or_404(AuditEntry.objects.select_related("content_type"), pk=kwargs["pk"])
        audit.record_view(line, request=self.request)
        context.update(
            page_title=_("Auditregel %(id)s") % {"id": line.pk}, line=line,
            changes=json.dumps(line.changes, ensure_ascii=False, indent=1) if line.changes else "",
            details=(json.dumps(line.additional_data, ensure_ascii=False, indent=1)
                     if line.additional_data else ""),
        )  # fmt: skip
        return context


class KeepAliveView(LoginRequiredMixin, View):
    """The session warning's "Sessie verlengen": a signed-in request, which is all it takes
    (sessions.SessionTimeoutMiddleware records the activity); nothing else changes."""

    def post(self, request, *args, **kwargs):
        return HttpResponse(status=204)
