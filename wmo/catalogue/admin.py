from django.contrib import admin

from .models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "objective",
        "waiting_norm_days",
        "iwmo_category",
        "valid_from",
        "valid_to",
    )
    list_filter = ("objective",)
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()
