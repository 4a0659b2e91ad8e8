from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Buurtteam, District, DistrictPopulation, Municipality, TeamMembership


class PopulationInline(admin.TabularInline):
    model = DistrictPopulation
    extra = 1


class BuurtteamInline(admin.TabularInline):
    model = Buurtteam
    extra = 0
    fields = ("code", "name")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [PopulationInline, BuurtteamInline]

    def get_readonly_fields(self, request, obj=None):
        # The CBS code is the stable key that files and indicators refer to.
        return ("code",) if obj else ()


@admin.register(Buurtteam)
class BuurtteamAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district")
    list_filter = ("district",)
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        # The CBS code is the stable key that files, referrals and indicators refer to.
        return ("code",) if obj else ()


class TeamMembershipInline(admin.StackedInline):
    model = TeamMembership
    can_delete = True
    extra = 0
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithTeamAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, TeamMembershipInline]
