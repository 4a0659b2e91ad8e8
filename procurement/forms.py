from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from providers.forms import VersionedForm
from providers.models import Contract, ContractOption
from wmo.text import PlainText

from .awards import (
    SELECTION,
    award_errors,
    decision_step,
    record_award,
    save_candidate,
    selection_errors,
)
from .models import (
    AwardCriterion,
    Candidate,
    DialogueParticipant,
    DialogueSession,
    EvaluationScore,
    Milestone,
    Motion,
    MotionRequest,
    Tender,
    TenderDocument,
    TenderOption,
)
from .motions import RequestInput
from .services import weights_error

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MilestoneActualForm(VersionedForm):
    """A contract manager records when a step actually happened (one day or a period)."""

    class Meta:
        model = Milestone
        fields = ["actual_start", "actual_end", "notes"]
        widgets = {"actual_start": DATE_INPUT, "actual_end": DATE_INPUT}


class AwardForm(PlainText, forms.ModelForm):
    """The award: the decision and signing dates are written onto their steps by
    `awards.record_award`, which also checks them against the standstill."""

    provisional_award_date = forms.DateField(
        label=_("Datum voorlopige gunning (gunningsbeslissing)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_(
            "Met de gunningsbeslissing begint de opschortende termijn. Dit is de werkelijke "
            "datum van de stap 'Voorlopige gunning'."
        ),
    )
    definitive_award_date = forms.DateField(
        label=_("Datum definitieve gunning (ondertekening)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("De werkelijke datum van de stap 'Definitieve gunning'."),
    )

    class Meta:
        model = Tender
        fields = [
            "awarded_candidate",
            "provisional_award_date",
            "standstill_days",
            "definitive_award_date",
            "contract",
            "cancelled_date",
        ]
        widgets = {"cancelled_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_candidate"].queryset = Candidate.objects.filter(tender=self.instance)
        self.fields["awarded_candidate"].empty_label = _("— nog niet gegund —")
        self.fields["contract"].queryset = Contract.objects.order_by("-start_date", "reference")
        self.fields["contract"].empty_label = _("— nog geen contract —")
        self.initial.setdefault("provisional_award_date", self.instance.provisional_award_date)
        self.initial.setdefault("definitive_award_date", self.instance.definitive_award_date)

    def _post_clean(self):
        super()._post_clean()  # the tender's own fields and Tender.clean
        dates = {name: self.cleaned_data.get(name) for name in self.award_names}
        if any(name in self.errors for name in self.award_names):
            return
        errors = award_errors(
            self.instance, dates["provisional_award_date"], dates["definitive_award_date"]
        )
        for name, message in errors.items():
            self.add_error(name, message)

    award_names = ("provisional_award_date", "definitive_award_date")

    def save(self, commit=True):
        return record_award(
            self.instance,
            provisional=self.cleaned_data.get("provisional_award_date"),
            definitive=self.cleaned_data.get("definitive_award_date"),
        )


class ContractOptionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.contract.reference}: {obj.name}"


class OptionForm(PlainText, forms.ModelForm):
    """A contract manager records the decision on an option and which option of the contract
    (providers/) it became."""

    class Meta:
        model = TenderOption
        fields = ["status", "decision_date", "contract_option", "description"]
        field_classes = {"contract_option": ContractOptionChoice}
        widgets = {"decision_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = ContractOption.objects.select_related("contract").order_by(
            "contract__reference", "decision_date", "name"
        )
        if self.instance.tender.contract_id:
            options = options.filter(contract_id=self.instance.tender.contract_id)
        self.fields["contract_option"].queryset = options
        self.fields["contract_option"].empty_label = _("— nog niet gekoppeld —")


class CandidateForm(PlainText, forms.ModelForm):
    selection_date = forms.DateField(
        label=_("Datum selectiebesluit"),
        required=False,
        widget=DATE_INPUT,
        help_text=_(
            "Eén selectiebesluit geldt voor alle kandidaten: dit is de werkelijke datum van "
            "de stap 'Selectie van kandidaten'. Is die al vastgelegd, dan kunt u dit leeg laten."
        ),
    )

    class Meta:
        model = Candidate
        fields = ["name", "consortium", "consortium_name", "status"]

    def __init__(self, *args, tender=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tender is not None:
            self.instance.tender = tender
        step = decision_step(self.instance.tender, SELECTION)
        self.initial.setdefault("selection_date", step.actual_start if step else None)

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Candidate.objects.filter(tender=self.instance.tender, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Er is al een kandidaat met deze naam."))
        return name

    def _post_clean(self):
        super()._post_clean()
        if "selection_date" in self.errors:
            return
        errors = selection_errors(self.instance, self.cleaned_data.get("selection_date"))
        for name, message in errors.items():
            self.add_error(name, message)

    def save(self, commit=True):
        return save_candidate(self.instance, self.cleaned_data.get("selection_date"))


class DialogueSessionForm(PlainText, forms.ModelForm):
    class Meta:
        model = DialogueSession
        fields = ["date", "theme", "candidates", "notes"]
        widgets = {"date": DATE_INPUT, "candidates": forms.CheckboxSelectMultiple}

    def __init__(self, *args, tender=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tender is not None:
            self.instance.tender = tender
        self.fields["candidates"].queryset = Candidate.objects.filter(tender=self.instance.tender)


def deletable(label):
    """An inline formset whose delete box says what it deletes."""

    class Deletable(forms.BaseInlineFormSet):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            if "DELETE" in form.fields:
                form.fields["DELETE"].label = label

    return Deletable


class ParticipantForm(PlainText, forms.ModelForm):
    class Meta:
        model = DialogueParticipant
        fields = ["kind", "name"]


ParticipantFormSet = forms.inlineformset_factory(
    DialogueSession,
    DialogueParticipant,
    form=ParticipantForm,
    fields=["kind", "name"],
    extra=3,
    can_delete=False,
)
# Editing a session: participants can also be removed, and two more added.
ParticipantEditFormSet = forms.inlineformset_factory(
    DialogueSession,
    DialogueParticipant,
    form=ParticipantForm,
    formset=deletable(_("Deze deelnemer verwijderen")),
    fields=["kind", "name"],
    extra=2,
    can_delete=True,
)


class ScoresForm(PlainText, forms.Form):
    """The scores of one candidate on every award criterion of the tender, saved together."""

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.criteria = list(candidate.tender.criteria.all())
        existing = {s.criterion_id: s for s in candidate.scores.all()}
        score_field = EvaluationScore._meta.get_field("score")
        motivation_field = EvaluationScore._meta.get_field("motivation")
        for criterion in self.criteria:
            current = existing.get(criterion.pk)
            score = score_field.formfield(required=False, validators=score_field.validators)
            score.label = f"{criterion.number}. {criterion.title}"
            score.help_text = gettext(
                "Score 0–10, weging %(weight)s %%. Leeg: nog niet beoordeeld."
            ) % {"weight": criterion.weight}
            score.initial = current.score if current else None
            self.fields[f"score_{criterion.number}"] = score
            motivation = motivation_field.formfield(required=False)
            motivation.label = gettext("Motivering bij %(number)s") % {"number": criterion.number}
            motivation.initial = current.motivation if current else ""
            motivation.widget.attrs["rows"] = 2
            self.fields[f"motivation_{criterion.number}"] = motivation

    def rows(self):
        for criterion in self.criteria:
            yield (
                criterion,
                self[f"score_{criterion.number}"],
                self[f"motivation_{criterion.number}"],
            )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            if cleaned.get(f"score_{criterion.number}") is None and cleaned.get(
                f"motivation_{criterion.number}"
            ):
                self.add_error(
                    f"score_{criterion.number}", _("Vul een score in bij deze motivering.")
                )
        return cleaned

    @transaction.atomic
    def save(self):
        for criterion in self.criteria:
            score = self.cleaned_data.get(f"score_{criterion.number}")
            if score is None:
                EvaluationScore.objects.filter(
                    candidate=self.candidate, criterion=criterion
                ).delete()
                continue
            EvaluationScore.objects.update_or_create(
                candidate=self.candidate,
                criterion=criterion,
                defaults={
                    "score": score,
                    "motivation": self.cleaned_data.get(f"motivation_{criterion.number}", ""),
                },
            )


class CriterionForm(PlainText, forms.ModelForm):
    class Meta:
        model = AwardCriterion
        fields = ["number", "title", "weight"]


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    """The award criteria of one tender, changed, added and removed together: the weights of the
    criteria that remain make exactly 100 % (`services.weights_error`); Django's own unique
    check refuses two criteria with one number."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Dit gunningscriterium verwijderen")

    def get_unique_error_message(self, unique_check):
        return gettext("Twee gunningscriteria hebben hetzelfde nummer.")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f.cleaned_data for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]  # fmt: skip
        if error := weights_error(row["weight"] for row in kept):
            raise ValidationError(gettext("Wegingen: %(error)s") % {"error": error})


CriterionFormSet = forms.inlineformset_factory(
    Tender,
    AwardCriterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
)


class DocumentForm(PlainText, forms.ModelForm):
    url = forms.URLField(label=_("Link naar het document"), required=False,
                         assume_scheme="https")  # fmt: skip

    class Meta:
        model = TenderDocument
        fields = ["title", "date", "url"]
        widgets = {"date": DATE_INPUT}


DocumentFormSet = forms.inlineformset_factory(
    Tender,
    TenderDocument,
    form=DocumentForm,
    formset=deletable(_("Dit document verwijderen")),
    extra=1,
    can_delete=True,
)


class MilestoneChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        kind = (
            gettext("Stap")
            if obj.kind == Milestone.Kind.STEP
            else gettext("Informatie aan de raad")
        )
        return f"{kind}: {obj.title} ({obj.planned_label})"


class MotionForm(VersionedForm):
    """The motion itself: date, title, submitter and party, status, summary, link, and which
    steps, council information moments, award decisions and options it concerns."""

    url = forms.URLField(label=_("Link naar de motie"), required=False, assume_scheme="https")

    class Meta:
        model = Motion
        fields = [
            "date", "title", "submitter", "party", "status", "summary", "url", "milestones",
            "options",
        ]  # fmt: skip
        field_classes = {"milestones": MilestoneChoice}
        widgets = {
            "date": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "milestones": forms.CheckboxSelectMultiple,
            "options": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, tender=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tender is not None:
            self.instance.tender = tender
        tender = self.instance.tender
        self.fields["status"].label = _("Status van de motie")
        self.fields["milestones"].queryset = tender.milestones.order_by("order", "planned_start")
        self.fields["options"].queryset = tender.options.all()


class MotionRequestForm(PlainText, forms.ModelForm):
    class Meta:
        model = MotionRequest
        fields = ["number", "text", "response", "status"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }


class BaseMotionRequestFormSet(deletable(_("Dit verzoek verwijderen"))):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # New rows propose the next numbers; a row left as proposed counts as empty.
        numbers = [r.number for r in self.get_queryset()] if self.instance.pk else []
        first = max(numbers, default=0) + 1
        self.initial_extra = [{"number": first + i} for i in range(self.extra)]

    def validate_unique(self):
        """Duplicate numbers are reported by `motions.motion_errors`, with a Dutch message that
        names the number; Django's own check would name the database columns."""

    def inputs(self):
        """The requests to keep, as `RequestInput`, each with the form it came from."""
        rows = []
        deleted = set(self.deleted_forms) if self.can_delete else set()
        for form in self.forms:
            if form in deleted or (form.instance.pk is None and not form.has_changed()):
                continue
            data = form.cleaned_data
            rows.append(
                (form, RequestInput(number=data["number"], text=data["text"],
                                    response=data.get("response", ""), status=data["status"],
                                    pk=form.instance.pk))
            )  # fmt: skip
        return rows

    def differences_from(self, motion) -> list[tuple[str, str]]:
        """(label, what is stored now) for each request, by number, where this input differs
        from the requests `motion` has now: the requests' part of a version conflict (the
        motion's own fields are VersionedForm.differences_from)."""
        stored = {item.number: item for item in motion.requests.all()}
        entered = {item.number: item for _, item in self.inputs()}

        def content(item):
            return (item.text.strip(), (item.response or "").strip(), item.status)

        rows = []
        for number in sorted(stored.keys() | entered.keys()):
            now, mine = stored.get(number), entered.get(number)
            if now is not None and mine is not None and content(now) == content(mine):
                continue
            label = gettext("Verzoek %(number)s") % {"number": number}
            rows.append((label, _request_shown(now)))
        return rows


def _request_shown(item) -> str:
    if item is None:
        return gettext("(bestaat niet)")
    shown = gettext("%(text)s (status: %(status)s)") % {"text": item.text,
                                                        "status": item.get_status_display()}  # fmt: skip
    if item.response:
        shown += gettext("; reactie van het college: %(response)s") % {"response": item.response}
    return shown


def motion_request_formset(extra):
    return forms.inlineformset_factory(
        Motion,
        MotionRequest,
        form=MotionRequestForm,
        formset=BaseMotionRequestFormSet,
        extra=extra,
        can_delete=True,
    )


MotionRequestFormSet = motion_request_formset(extra=1)
NewMotionRequestFormSet = motion_request_formset(extra=3)
