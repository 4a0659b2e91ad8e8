from django import forms
from django.db import transaction

from providers.models import Contract, ContractOption

from .models import (
    Candidate,
    DialogueParticipant,
    DialogueSession,
    EvaluationScore,
    Milestone,
    Motion,
    MotionRequest,
    Tender,
    TenderOption,
)

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MilestoneActualForm(forms.ModelForm):
    """A contract manager records when a step actually happened (one day or a period)."""

    class Meta:
        model = Milestone
        fields = ["actual_start", "actual_end", "notes"]
        widgets = {"actual_start": DATE_INPUT, "actual_end": DATE_INPUT}


class AwardForm(forms.ModelForm):
    class Meta:
        model = Tender
        fields = [
            "status",
            "awarded_candidate",
            "provisional_award_date",
            "standstill_days",
            "definitive_award_date",
            "contract",
        ]
        widgets = {"provisional_award_date": DATE_INPUT, "definitive_award_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_candidate"].queryset = Candidate.objects.filter(tender=self.instance)
        self.fields["awarded_candidate"].empty_label = "— nog niet gegund —"
        self.fields["contract"].queryset = Contract.objects.order_by("-start_date", "reference")
        self.fields["contract"].empty_label = "— nog geen contract —"


class ContractOptionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.contract.reference}: {obj.name}"


class OptionForm(forms.ModelForm):
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
        self.fields["contract_option"].empty_label = "— nog niet gekoppeld —"


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "consortium", "consortium_name", "status", "selection_date"]
        widgets = {"selection_date": DATE_INPUT}

    def __init__(self, *args, tender=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tender is not None:
            self.instance.tender = tender

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Candidate.objects.filter(tender=self.instance.tender, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Er is al een kandidaat met deze naam.")
        return name


class DialogueSessionForm(forms.ModelForm):
    class Meta:
        model = DialogueSession
        fields = ["date", "theme", "candidates", "notes"]
        widgets = {"date": DATE_INPUT, "candidates": forms.CheckboxSelectMultiple}

    def __init__(self, *args, tender=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tender is not None:
            self.instance.tender = tender
        self.fields["candidates"].queryset = Candidate.objects.filter(tender=self.instance.tender)


ParticipantFormSet = forms.inlineformset_factory(
    DialogueSession,
    DialogueParticipant,
    fields=["kind", "name"],
    extra=3,
    can_delete=False,
)


class ScoresForm(forms.Form):
    """The scores of one candidate against every principle of the tender, saved together."""

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.principles = list(candidate.tender.principles.all())
        existing = {s.principle_id: s for s in candidate.scores.all()}
        score_field = EvaluationScore._meta.get_field("score")
        motivation_field = EvaluationScore._meta.get_field("motivation")
        for principle in self.principles:
            current = existing.get(principle.pk)
            score = score_field.formfield(required=False, validators=score_field.validators)
            score.label = f"{principle.number}. {principle.title}"
            score.help_text = f"Score 0–10, weging {principle.weight} %. Leeg: nog niet beoordeeld."
            score.initial = current.score if current else None
            self.fields[f"score_{principle.number}"] = score
            motivation = motivation_field.formfield(required=False)
            motivation.label = f"Motivering bij {principle.number}"
            motivation.initial = current.motivation if current else ""
            motivation.widget.attrs["rows"] = 2
            self.fields[f"motivation_{principle.number}"] = motivation

    def rows(self):
        for principle in self.principles:
            yield (
                principle,
                self[f"score_{principle.number}"],
                self[f"motivation_{principle.number}"],
            )

    def clean(self):
        cleaned = super().clean()
        for principle in self.principles:
            if cleaned.get(f"score_{principle.number}") is None and cleaned.get(
                f"motivation_{principle.number}"
            ):
                self.add_error(f"score_{principle.number}", "Vul een score in bij deze motivering.")
        return cleaned

    @transaction.atomic
    def save(self):
        for principle in self.principles:
            score = self.cleaned_data.get(f"score_{principle.number}")
            if score is None:
                EvaluationScore.objects.filter(
                    candidate=self.candidate, principle=principle
                ).delete()
                continue
            EvaluationScore.objects.update_or_create(
                candidate=self.candidate,
                principle=principle,
                defaults={
                    "score": score,
                    "motivation": self.cleaned_data.get(f"motivation_{principle.number}", ""),
                },
            )


class MotionStatusForm(forms.ModelForm):
    url = forms.URLField(label="link", required=False, assume_scheme="https")

    class Meta:
        model = Motion
        fields = ["status", "submitter", "url", "milestones", "options"]
        widgets = {
            "milestones": forms.CheckboxSelectMultiple,
            "options": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tender = self.instance.tender
        self.fields["status"].label = "Status van de motie"
        self.fields["milestones"].queryset = tender.milestones.filter(kind=Milestone.Kind.STEP)
        self.fields["options"].queryset = tender.options.all()


MotionRequestFormSet = forms.inlineformset_factory(
    Motion,
    MotionRequest,
    fields=["response", "status"],
    extra=0,
    can_delete=False,
    widgets={"response": forms.Textarea(attrs={"rows": 3})},
)
