from django.contrib import admin

from .models import (
    Consortium,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Provider,
    Subcontract,
    TargetGroup,
)


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("agb_code", "name", "kind", "size_override", "active")
    list_filter = ("kind", "size_override", "active")
    search_fields = ("agb_code", "kvk_number", "name")
    filter_horizontal = ("target_groups", "districts")


@admin.register(Consortium)
class ConsortiumAdmin(admin.ModelAdmin):
    list_display = ("name", "form", "main_contractor")
    filter_horizontal = ("members",)


class ContractValueInline(admin.TabularInline):
    model = ContractValue
    extra = 0


class ContractOptionInline(admin.StackedInline):
    model = ContractOption
    extra = 0


class DistrictTeamInline(admin.TabularInline):
    model = DistrictTeam
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("reference", "name", "contractor", "instrument", "financing", "start_date",
                    "end_date")  # fmt: skip
    list_filter = ("instrument", "financing", "city_wide")
    search_fields = ("reference", "name", "contractor__name")
    filter_horizontal = ("service_types", "districts")
    inlines = [ContractValueInline, ContractOptionInline, DistrictTeamInline]


@admin.register(Subcontract)
class SubcontractAdmin(admin.ModelAdmin):
    list_display = ("contract", "subcontractor", "annual_value", "share_percent", "start_date",
                    "end_date", "approved_on")  # fmt: skip
    filter_horizontal = ("service_types", "districts")
