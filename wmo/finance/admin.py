from django.contrib import admin

from .models import SpendBooking


@admin.register(SpendBooking)
class SpendBookingAdmin(admin.ModelAdmin):
    list_display = [
        "booking_id",
        "quarter",
        "objective",
        "service_type",
        "contractor",
        "amount_eur",
    ]
    list_filter = ["objective", "quarter"]
    search_fields = ["booking_id"]
    raw_id_fields = ["contractor"]
