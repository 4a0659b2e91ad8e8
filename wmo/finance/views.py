"""The spend bookings: the list (staff: bookings name contractors) and the upload page."""

from django.views.generic import ListView

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


class SpendImportView(ImportUploadView):
    capability = "spend.import"
    template_name = "finance/import.html"
    importer_class = SpendImporter
    page_title = "Uitgavenboekingen uploaden"
