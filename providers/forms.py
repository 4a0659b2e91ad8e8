"""ModelForms for contract managers. The rules are the models' own (validators and clean()), so a
form shows exactly the errors the API and the importer give, next to the field."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from districts.models import District
from wmo.catalogue.models import ServiceType
from wmo.text import PlainText

from .models import (
    Consortium,
    Contract,
    ContractOption,
    ContractValue,
    DistrictTeam,
    Provider,
    ProviderKind,
    ProviderSize,
    Subcontract,
    TargetGroup,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_WIDGETS = {"start_date": DateInput(), "end_date": DateInput(), "approved_on": DateInput(),
                "decision_date": DateInput()}  # fmt: skip


def version_field(required: bool) -> forms.IntegerField:
    """The version the user loaded, carried in a hidden field (wmo.versions)."""
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, required=required,
        error_messages={
            key: gettext_lazy("De versie van het formulier ontbreekt of is ongeldig; open de "
                              "pagina opnieuw en breng uw wijzigingen opnieuw aan.")
            for key in ("required", "invalid", "min_value")
        },
    )  # fmt: skip


class VersionedForm(PlainText, forms.ModelForm):
    """A form for a Versioned record (wmo.versions: the contract records here, procurement's
    milestones and motions). Editing, it carries the version the user loaded in a hidden field;
    the view saves through wmo.versions.save_versioned, which refuses the save when someone else
    saved the record in between."""

    version = version_field(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)

    def _post_clean(self):
        # After the instance has the form's values and passed full_clean: the model's rules on
        # its many-to-many relations (providers.models, `relation_errors`), which need both.
        super()._post_clean()
        rules = getattr(self.instance, "relation_errors", None)
        if rules is None:
            return
        related = {}
        for field in self.instance._meta.many_to_many:
            if field.name in self.fields:
                related[field.name] = self.cleaned_data.get(field.name)
            elif self.instance.pk:
                related[field.name] = list(getattr(self.instance, field.name).all())
        for name, message in rules(related).items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, message)

    def save_with(self, **stamps):
        """Save with the version stamps that wmo.versions.save_versioned hands over."""
        for name, value in stamps.items():
            setattr(self.instance, name, value)
        return self.save()

    def refused_context(self, exc) -> dict:
        """What a page shows when wmo.versions.save_versioned refused this form's save (StaleVersion):
        the refusal, what is stored now where the input differs, and the input itself, now
        carrying the current version, so that saving again applies it on purpose."""
        differences = []
        if exc.current is not None:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(exc.current.version)
            differences = self.differences_from(exc.current)
        return {"conflict": str(exc), "differences": differences,
                "conflict_saved": exc.current is not None}  # fmt: skip

    def summary(self) -> list[tuple[str, str]]:
        """(label, value stored now) for every field of the record: what a removal page shows."""
        return [(str(field.label), _shown(field, self[name].initial))
                for name, field in self.fields.items() if name != "version"]  # fmt: skip

    def differences_from(self, current) -> list[tuple[str, str]]:
        """(label, value stored now) for every field where this form's input differs from
        `current`, the record as someone else saved it: what the user has to reconcile."""
        stored = type(self)(instance=current)
        rows = []
        for name, field in self.fields.items():
            if name == "version" or field.disabled:
                continue
            now = stored[name].initial
            if field.has_changed(now, self[name].data):
                rows.append((str(field.label), _shown(field, now)))
        return rows


def _shown(field, value) -> str:
    """A stored value as the form's field names it (choices by label, dates in words)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        chosen = field.queryset.filter(pk__in=field.prepare_value(value))
        return ", ".join(str(option) for option in chosen) or "—"
    if isinstance(field, forms.ModelChoiceField):
        return str(field.queryset.filter(pk=field.prepare_value(value)).first() or "—")
    if isinstance(field, forms.BooleanField):
        return gettext("ja") if value else gettext("nee")
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):  # amounts as people write them: 1.250.000,00
        return number_format(value, force_grouping=True)
    return str(value)


class RemovalForm(PlainText, forms.Form):
    """Confirming a removal: the version of the record the user saw (wmo.versions.delete_versioned)."""

    version = version_field(required=True)


class ContractChildForm(PlainText, forms.ModelForm):
    """A form for a record of one contract (value, option, subcontract, wijkteam). The view sets
    the contract on the instance; the form carries it as a disabled hidden field (in each
    form's Meta.fields) because Django checks a model's uniqueness and constraints only on the
    form's own fields: without it a second value for the same year got past the form and failed
    in the database (500). Disabled, the posted value is ignored: the instance's counts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract = self.fields["contract"]
        contract.disabled, contract.widget = True, forms.HiddenInput()


class ProviderForm(VersionedForm):
    class Meta:
        model = Provider
        fields = ["agb_code", "name", "kvk_number", "kind", "size_override", "target_groups",
                  "districts", "active"]  # fmt: skip
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
        }
        help_texts = {"agb_code": _("8 cijfers."), "kvk_number": _("8 cijfers.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The AGB code is the key that files and the API refer to.
            self.fields["agb_code"].disabled = True
            self.fields["agb_code"].help_text = gettext("De AGB-code kan niet worden gewijzigd.")


class ConsortiumForm(VersionedForm):
    class Meta:
        model = Consortium
        fields = ["name", "form", "main_contractor", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Provider.objects.order_by("name")


class ContractForm(VersionedForm):
    class Meta:
        model = Contract
        fields = ["reference", "name", "contractor", "consortium", "instrument", "financing",
                  "start_date", "end_date", "extension_count", "extension_months",
                  "extensions_exercised", "city_wide", "districts", "service_types", "notes"]  # fmt: skip
        widgets = {
            **DATE_WIDGETS,
            "districts": forms.CheckboxSelectMultiple,
            "service_types": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ContractValueForm(ContractChildForm, VersionedForm):
    class Meta:
        model = ContractValue
        fields = ["contract", "year", "amount"]


class ContractOptionForm(ContractChildForm, VersionedForm):
    class Meta:
        model = ContractOption
        fields = ["contract", "name", "service_type", "trigger", "start_date", "end_date", "decision_date",
                  "status"]  # fmt: skip
        widgets = {**DATE_WIDGETS, "trigger": forms.Textarea(attrs={"rows": 3})}


class SubcontractForm(ContractChildForm, VersionedForm):
    class Meta:
        model = Subcontract
        fields = ["contract", "subcontractor", "districts", "service_types", "annual_value", "share_percent",
                  "start_date", "end_date", "approved_on", "risk_provisions"]  # fmt: skip
        widgets = {
            **DATE_WIDGETS,
            "districts": forms.CheckboxSelectMultiple,
            "service_types": forms.CheckboxSelectMultiple,
            "risk_provisions": forms.Textarea(attrs={"rows": 3}),
        }


class DistrictTeamForm(ContractChildForm, VersionedForm):
    class Meta:
        model = DistrictTeam
        fields = ["contract", "district", "name", "provider"]


# --- filters (GET forms) -----------------------------------------------------------------------


class ProviderFilterForm(PlainText, forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False,
                        help_text=_("Naam, AGB-code of KvK-nummer."))  # fmt: skip
    soort = forms.ChoiceField(label=_("Soort"), required=False,
                              choices=[("", _("Alle soorten")), *ProviderKind.choices])  # fmt: skip
    omvang = forms.ChoiceField(label=_("Omvang"), required=False,
                               choices=[("", _("Alle")), *ProviderSize.choices])  # fmt: skip
    wijk = forms.ModelChoiceField(label=_("Wijk"), required=False, empty_label=_("Alle wijken"),
                                  queryset=District.objects.order_by("code"), to_field_name="code")  # fmt: skip
    voorziening = forms.ModelChoiceField(
        label=_("Voorziening"), required=False, empty_label=_("Alle voorzieningen"),
        queryset=ServiceType.objects.order_by("name"), to_field_name="code",
    )  # fmt: skip
    doelgroep = forms.ModelChoiceField(label=_("Doelgroep"), required=False, empty_label=_("Alle"),
                                       queryset=TargetGroup.objects.all(), to_field_name="code")  # fmt: skip
    actief = forms.ChoiceField(label=_("Actief"), required=False,
                               choices=[("", _("Alle")), ("ja", _("Actief")), ("nee", _("Niet actief"))])  # fmt: skip


class LandscapeForm(PlainText, forms.Form):
    datum1 = forms.DateField(label=_("Eerste peildatum"), initial=datetime.date(2026, 6, 30),
                             widget=DateInput())  # fmt: skip
    datum2 = forms.DateField(label=_("Tweede peildatum"), initial=datetime.date(2027, 6, 30),
                             widget=DateInput())  # fmt: skip
