"""The spend bookings: the list (staff: bookings name contractors) and the upload page."""

from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from wmo import downloads
from wmo.accounts.permissions import CapabilityRequiredMixin
from wmo.imports.views import ImportUploadView

from .imports import SpendImporter
from .models import SpendBooking


class BookingListView(CapabilityRequiredMixin, ListView):
    capability = "spend.view"
    template_name = "finance/booking_list.html"
    context_object_name = "bookings"
    paginate_by = 100

    def get_queryset(self):
        return SpendBooking.objects.select_related("service_type", "contractor").order_by(
            "-quarter", "booking_id"
        )


EXPORT_HEADER = ["booking_id", "kwartaal", "beleidsdoel", "voorziening", "opdrachtnemer_agb",
                 "opdrachtnemer", "bedrag_eur"]  # fmt: skip


class BookingExportView(CapabilityRequiredMixin, View):
    """Every booking as CSV or XLSX, for checking the import against the administration; the
    texts (booking ids, names) come from files and go through the downloads' neutraliser."""

    capability = "spend.view"
    fmt = "csv"

    def get(self, request, *args, **kwargs):
        bookings = SpendBooking.objects.select_related("service_type", "contractor").order_by(
            "quarter", "booking_id")  # fmt: skip
        rows = ([b.booking_id, str(b.quarter), b.objective,
                 b.service_type.code if b.service_type else "",
                 b.contractor.agb_code if b.contractor else "",
                 b.contractor.name if b.contractor else "", b.amount_eur]
                for b in bookings.iterator())  # fmt: skip
        return downloads.table_response(self.fmt, [EXPORT_HEADER, *rows], name=("uitgaven",),
                                        sheet_title="Uitgavenboekingen")  # fmt: skip


class SpendImportView(ImportUploadView):
    capability = "spend.import"
    template_name = "finance/import.html"
    importer_class = SpendImporter
    page_title = _("Uitgavenboekingen uploaden")
