from django.contrib import admin
from django.utils.translation import gettext

from .forms import BaseCriterionFormSet
from .models import (
    AwardCriterion,
    CalendarFeed,
    Candidate,
    DialogueParticipant,
    DialogueSession,
    EvaluationScore,
    Milestone,
    Motion,
    MotionRequest,
    Principle,
    Tender,
    TenderDocument,
    TenderOption,
)


class DocumentInline(admin.TabularInline):
    model = TenderDocument
    extra = 0


class PrincipleInline(admin.TabularInline):
    model = Principle
    extra = 0


class CriterionInline(admin.TabularInline):
    """The same rule as the contract manager's page: the weights make 100 %."""

    model = AwardCriterion
    formset = BaseCriterionFormSet
    extra = 0


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    """The award dates are the actual dates of the award steps and the standstill is checked
    against them on the award page (`awards.record_award`): both are read-only here."""

    list_display = ("reference", "title", "status_label", "award_decision", "signing")
    readonly_fields = ("standstill_days",)
    inlines = [DocumentInline, PrincipleInline, CriterionInline]

    @admin.display(description=gettext("status"))
    def status_label(self, tender):
        return tender.status.label

    @admin.display(description=gettext("gunningsbeslissing"))
    def award_decision(self, tender):
        return tender.provisional_award_date

    @admin.display(description=gettext("ondertekening"))
    def signing(self, tender):
        return tender.definitive_award_date


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "is_period", "planned_label", "actual_start", "actual_end")
    list_filter = ("tender", "kind")
    ordering = ("tender", "order")


class ScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("name", "consortium", "consortium_name", "status", "selection_date", "tender")
    list_filter = ("tender", "status")
    inlines = [ScoreInline]


class ParticipantInline(admin.TabularInline):
    model = DialogueParticipant
    extra = 1


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin):
    list_display = ("date", "theme", "tender")
    inlines = [ParticipantInline]


@admin.register(TenderOption)
class TenderOptionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "period_start", "period_end", "status")


class MotionRequestInline(admin.StackedInline):
    model = MotionRequest
    extra = 0


@admin.register(Motion)
class MotionAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "party", "status")
    list_filter = ("status",)
    inlines = [MotionRequestInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Shows who has a subscription link and when it was used; never the link itself."""

    list_display = ("user", "issued_at", "last_used_at")
    fields = ("user", "issued_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
