from django.contrib import admin

from wmo.accounts import audit

from .models import BuurtteamCase, Referral, ReferralEvent


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "user", "source", "from_state", "to_state", "changes")

    def has_add_permission(self, request, obj=None):
        return False


class AuditedViewMixin:
    """The admin's (read-only) pages show person-level records: the change page one, the list
    a page of them; each is an audit line, as on the app's own pages. Deleting is one too."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        if request.method == "GET" and response.status_code == 200 and shown.get("original"):
            audit.record_view(shown["original"], request=request)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            audit.record_view(changelist.result_list, request=request)
        return response

    def delete_model(self, request, obj):
        audit.record_delete(obj, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        audit.record_delete(queryset, request=request)
        super().delete_queryset(request, queryset)


@admin.register(Referral)
class ReferralAdmin(AuditedViewMixin, admin.ModelAdmin):
    """Read-only: referrals change through the pages, the API and the importer (with events)."""

    list_display = ("external_id", "service_type", "district", "team", "provider",
                    "referral_date", "start_date", "end_date", "cancelled_date")  # fmt: skip
    list_filter = ("service_type", "district")
    search_fields = ("external_id",)
    date_hierarchy = "referral_date"
    list_select_related = ("service_type", "district", "team", "provider")
    raw_id_fields = ("client",)
    inlines = [ReferralEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(BuurtteamCase)
class BuurtteamCaseAdmin(AuditedViewMixin, admin.ModelAdmin):
    list_display = ("external_id", "buurtteam", "district", "registration_date",
                    "first_contact_date", "closed_date", "support_form")  # fmt: skip
    list_filter = ("buurtteam", "support_form")
    search_fields = ("external_id",)
    list_select_related = ("buurtteam", "district")
    raw_id_fields = ("client",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
