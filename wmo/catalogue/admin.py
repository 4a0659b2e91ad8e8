from django.contrib import admin

from .models import Norm, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "objective", "iwmo_category", "valid_from", "valid_to")
    list_filter = ("objective",)
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(Norm)
class NormAdmin(admin.ModelAdmin):
    """Read-only here: norms change on the Normen page, as new dated records (their history)."""

    list_display = ("kind", "service_type", "value", "valid_from", "source")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
