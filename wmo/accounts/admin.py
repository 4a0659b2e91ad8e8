from django.contrib import admin

from .models import AuditEntry

# django-auditlog registers its own admin for the log entry model (ours); this one replaces it:
# it shows the user name the line keeps (the account may be gone) and never counts the trail.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "actor_username", "action", "content_type", "object_repr",
                    "remote_addr")  # fmt: skip
    list_filter = ("action", "content_type")
    search_fields = ("actor_username",)
    list_select_related = ("content_type",)
    show_full_result_count = False
    fields = ("timestamp", "actor_username", "actor_id", "action", "content_type", "object_repr",
              "record_count", "record_ids", "remote_addr", "path", "changes", "additional_data")  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if getattr(request.resolver_match, "url_name", "").endswith("_change"):
            return queryset
        return queryset.defer("record_ids", "changes", "serialized_data")  # lists stay light

    # The trail is append-only: nobody adds, edits or deletes it through the admin (and the
    # database refuses updates and deletes anyway).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
