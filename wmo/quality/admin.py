from django.contrib import admin

from .models import Complaint, SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "date", "district", "about_buurtteam", "service_type",
                    "provider", "team", "q_solution", "q_self_reliance"]  # fmt: skip
    list_filter = ["about_buurtteam", "district", "service_type", "date"]
    search_fields = ["external_id", "provider__name", "provider__agb_code"]
    list_select_related = ["district", "service_type", "provider", "team"]
    raw_id_fields = ["provider"]
    date_hierarchy = "date"


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["external_id", "received_date", "resolved_date", "district", "service_type",
                    "provider"]  # fmt: skip
    list_filter = ["district", "service_type", "received_date"]
    search_fields = ["external_id", "provider__name", "provider__agb_code"]
    list_select_related = ["district", "service_type", "provider"]
    raw_id_fields = ["provider"]
    date_hierarchy = "received_date"
