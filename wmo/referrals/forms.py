"""Forms of the buurtteam worker and the contract manager. Rules live in rules.py/services.py."""

import datetime
import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import UTRECHT_GEMEENTE_CODE, Buurtteam, District, Municipality
from providers.models import Provider
from wmo import identifiers
from wmo.catalogue.models import ServiceType
from wmo.text import PlainText

from .contracts import check_parties
from .models import EndReason, SupportForm
from .pseudonyms import bsn_error
from .rules import (
    birth_year_errors,
    case_date_errors,
    pilot_errors,
    referral_area_errors,
    referral_date_errors,
)
from .selectors import contracted_providers
from .services import CASE_STEP_REQUIRED, REQUIRED

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]
DATE_HELP = _("Als DD-MM-JJJJ, bijvoorbeeld 03-03-2026.")


def date_field(label, required=True, help_text=DATE_HELP):
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, help_text=help_text,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Vul een geldige datum in als DD-MM-JJJJ.")},
    )  # fmt: skip


class BsnField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("BSN"), max_length=9, min_length=1, strip=True,
            # One sentence with the page's intro (register.html): what is kept is a keyed hash
            # (pseudonyms.py), not an encryption of the BSN that a key could undo.
            help_text=_("9 cijfers. Het BSN wordt gecontroleerd en niet bewaard; alleen een sleutel "
                        "die er niet naar terug te rekenen is."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **kwargs,
        )  # fmt: skip

    def validate(self, value):
        super().validate(value)
        message = bsn_error(value)
        if message:
            raise forms.ValidationError(message)


def _parsed_date(form, name) -> datetime.date:
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else None
    if raw:
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(raw.strip(), fmt).date()
            except ValueError:
                continue
    return timezone.localdate()


def _chosen(form, name, queryset):
    raw = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name)
    if not raw:
        return None
    if hasattr(raw, "pk"):
        return raw
    try:
        return queryset.filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        return None


def _keeping(queryset, chosen):
    """`queryset` with the chosen record in it too, in the same order."""
    if chosen is None:
        return queryset
    return queryset.model._default_manager.filter(
        Q(pk__in=queryset.values("pk")) | Q(pk=chosen.pk)
    ).order_by(*queryset.query.order_by)


def _add_errors(form, errors: dict):
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


class RegistrationForm(PlainText, forms.Form):
    """A registration carries a hidden idempotency key: a double submit registers once."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def renew_idempotency_key(self):
        """After a refused resubmission (same key, other data) the next submit is a new one."""
        self.data = self.data.copy()
        self.data[self.add_prefix("idempotency_key")] = str(uuid.uuid4())


class ReferralForm(RegistrationForm):
    """Validates what the worker typed; the contract rule is the service's (`contracts`), so the
    POST looks each choice up once and the choice lists are narrowed only for display."""

    # The service's error keys that name a field of this form otherwise (the predecessor is a
    # referral to the service, a typed number here).
    service_fields = {"previous": "previous_id"}

    bsn = BsnField()
    # Required unless a U16 municipality is chosen: rules.referral_area_errors says so once.
    district = forms.ModelChoiceField(
        label=_("Wijk"), queryset=District.objects.order_by("code"), required=False,
        empty_label=_("Kies een wijk"),
        help_text=_("Voor een cliënt uit een andere U16-gemeente: laat leeg en kies de gemeente."),
    )  # fmt: skip
    municipality = forms.ModelChoiceField(
        label=_("Gemeente (U16)"), required=False, empty_label=_("Geen: de cliënt woont in Utrecht"),
        queryset=Municipality.objects.exclude(code=UTRECHT_GEMEENTE_CODE).order_by("name"),
        help_text=_("Alleen voor opvang en verblijf (doel V) voor een cliënt van buiten Utrecht."),
        error_messages={"invalid_choice": _("Kies een gemeente uit de lijst.")},
    )  # fmt: skip
    referral_date = date_field(_("Verwijsdatum"))
    service_type = forms.ModelChoiceField(
        label=_("Voorziening"), queryset=ServiceType.objects.none(), empty_label=_("Kies een voorziening"),
        help_text=_("Alleen voorzieningen die op de verwijsdatum gelden."),
        error_messages={"invalid_choice": _("Deze voorziening geldt niet op de verwijsdatum.")},
    )  # fmt: skip
    provider = forms.ModelChoiceField(
        label=_("Aanbieder"), queryset=Provider.objects.all(), empty_label=_("Kies een aanbieder"),
        help_text=_("Aanbieders met een contract voor deze voorziening en wijk op de verwijsdatum."),
        error_messages={"invalid_choice": _("Kies een aanbieder uit de lijst.")},
    )  # fmt: skip
    contractor = forms.ModelChoiceField(
        label=_("Opdrachtnemer (contracthouder)"), queryset=Provider.objects.all(), required=False,
        empty_label=_("Automatisch: de aanbieder zelf, of bij onderaanneming de hoofdaannemer"),
        error_messages={"invalid_choice": _("Kies een opdrachtnemer uit de lijst.")},
    )  # fmt: skip
    group_based = forms.BooleanField(label=_("Groepsgericht"), required=False)
    previous_id = forms.CharField(
        label=_("Vorige verwijzing"), required=False, max_length=identifiers.MAX_LENGTH,
        help_text=_("Het verwijzingsnummer van de verwijzing die deze opvolgt (zelfde cliënt), "
                  "bijvoorbeeld bij de overgang naar het stadscontract op 01-01-2027."),
    )  # fmt: skip
    pilot = forms.BooleanField(
        label=_("Pilot Beschermd Thuis"), required=False,
        help_text=_("Alleen voor Beschermd Thuis met een verwijsdatum in 2027 of 2028."),
    )  # fmt: skip
    birth_year = forms.IntegerField(label=_("Geboortejaar"), required=False, min_value=1900,
                                    max_value=2100)  # fmt: skip

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("referral_date", timezone.localdate())
        self.initial.setdefault("idempotency_key", uuid.uuid4())
        if team is not None:
            self.initial.setdefault("district", team.district_id)
        self.day = _parsed_date(self, "referral_date")
        self.fields["service_type"].queryset = ServiceType.objects.valid_on(self.day).order_by(
            "name"
        )

    def clean(self):
        cleaned = super().clean()
        if "referral_date" in cleaned:
            day = cleaned["referral_date"]  # a refused date leaves cleaned_data
            _add_errors(self, referral_date_errors(day, None, None, None, "", None))
            _add_errors(self, birth_year_errors(cleaned.get("birth_year"), day))
        if "district" in cleaned and "municipality" in cleaned:
            _add_errors(self, {name: text for name, text in referral_area_errors(
                cleaned["district"], cleaned["municipality"], cleaned.get("service_type"),
            ).items() if name not in self.errors})  # fmt: skip
        if "referral_date" in cleaned and "service_type" in cleaned:
            _add_errors(self, pilot_errors(cleaned.get("pilot"), cleaned["service_type"],
                                           cleaned["referral_date"]))  # fmt: skip
        needed = ("service_type", "provider", "referral_date")
        area_ok = cleaned.get("district") or cleaned.get("municipality")
        area_ok = area_ok and "district" not in self.errors and "municipality" not in self.errors
        if self.errors and area_ok and all(cleaned.get(n) and n not in self.errors for n in needed):
            # The service checks the contracts on a valid form; on an invalid one the worker
            # still sees every problem at once.
            _parties, errors = check_parties(cleaned["service_type"], cleaned.get("district"),
                                      cleaned["referral_date"], cleaned["provider"],
                                      cleaned.get("contractor"))  # fmt: skip
            _add_errors(self, {k: v for k, v in errors.items() if k not in self.errors})
        return cleaned

    def narrow_choices(self):
        """Narrow the provider and contractor lists to the contracts for the chosen voorziening
        and wijk on the referral date (selectors.contracted_providers), for display."""
        cleaned = getattr(self, "cleaned_data", {})
        service = cleaned.get("service_type") or _chosen(self, "service_type",
                                                         ServiceType.objects.all())  # fmt: skip
        if service is None:
            active = Provider.objects.filter(active=True).order_by("name")
            self.fields["provider"].queryset = self.fields["contractor"].queryset = active
            return
        district = cleaned.get("district") or _chosen(self, "district", District.objects.all())
        provider = cleaned.get("provider") or _chosen(self, "provider", Provider.objects.all())
        # A refused date (in the future, before 2015) narrows nothing: the lists are today's and
        # keep what the worker chose, so correcting the date is all that is left to do.
        date_refused = "referral_date" in (self._errors or {})
        day = timezone.localdate() if date_refused else self.day
        providers, contractors = contracted_providers(service, district, day, provider)
        if date_refused:
            contractor = cleaned.get("contractor") or _chosen(self, "contractor",
                                                              Provider.objects.all())  # fmt: skip
            providers = _keeping(providers, provider)
            contractors = _keeping(contractors, contractor)
        self.fields["provider"].queryset = providers
        self.fields["contractor"].queryset = contractors


class CaseForm(RegistrationForm):
    bsn = BsnField()
    district = forms.ModelChoiceField(label=_("Wijk"), queryset=District.objects.order_by("code"),
                                      empty_label=_("Kies een wijk"))  # fmt: skip
    buurtteam = forms.ModelChoiceField(label=_("Buurtteam"), queryset=Buurtteam.objects.none(),
                                       empty_label=None)  # fmt: skip
    registration_date = date_field(_("Aanmelddatum"))
    first_contact_date = date_field(_("Datum eerste contact"), required=False)
    closed_date = date_field(_("Afsluitdatum"), required=False)
    support_form = forms.ChoiceField(label=_("Vorm van ondersteuning"),
                                     choices=[("", _("Kies een vorm")), *SupportForm.choices])  # fmt: skip
    birth_year = forms.IntegerField(label=_("Geboortejaar"), required=False, min_value=1900,
                                    max_value=2100)  # fmt: skip

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("registration_date", timezone.localdate())
        self.initial.setdefault("idempotency_key", uuid.uuid4())
        teams = Buurtteam.objects.order_by("code")
        if team is not None:
            teams = teams.filter(pk=team.pk)
            self.initial.setdefault("district", team.district_id)
            self.initial.setdefault("buurtteam", team.pk)
        self.fields["buurtteam"].queryset = teams

    def clean(self):
        cleaned = super().clean()
        if "registration_date" in cleaned:
            day = cleaned["registration_date"]  # a refused date leaves cleaned_data
            _add_errors(self, case_date_errors(day, cleaned.get("first_contact_date"),
                                               cleaned.get("closed_date")))  # fmt: skip
            _add_errors(self, birth_year_errors(cleaned.get("birth_year"), day,
                                                "registration_date"))  # fmt: skip
        return cleaned


class TransitionForm(PlainText, forms.Form):
    date = date_field(_("Datum"))

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.initial.setdefault("date", timezone.localdate())
        self.auto_id = f"id_{action}_%s"
        if action in REQUIRED:
            self.fields["date"].error_messages["required"] = REQUIRED[action]
        if action == "end":
            self.fields["end_reason"] = forms.ChoiceField(
                label=_("Reden van beëindiging"),
                choices=[("", _("Kies een reden")), *EndReason.choices],
                error_messages={"required": _("Kies een reden van beëindiging.")},
            )


class CaseStepForm(PlainText, forms.Form):
    """A case's first contact or its closing: the date (services.case_step)."""

    date = date_field(_("Datum"))

    def __init__(self, *args, step="", **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        self.auto_id = f"id_{step}_%s"
        if step in CASE_STEP_REQUIRED:
            self.fields["date"].error_messages["required"] = CASE_STEP_REQUIRED[step]


class WaitingListFilterForm(PlainText, forms.Form):
    SORTS = [
        ("-wachtdagen", _("Langst wachtend eerst")), ("wachtdagen", _("Kortst wachtend eerst")),
        ("voorziening", _("Voorziening")), ("aanbieder", _("Aanbieder")), ("wijk", _("Wijk")),
    ]  # fmt: skip
    team = forms.ModelChoiceField(label=_("Buurtteam"), queryset=Buurtteam.objects.order_by("code"),
                                  required=False, empty_label=_("Alle teams"))  # fmt: skip
    wijk = forms.ModelChoiceField(label=_("Wijk"), queryset=District.objects.order_by("code"),
                                  required=False, empty_label=_("Alle wijken"), to_field_name="code")  # fmt: skip
    voorziening = forms.ModelChoiceField(label=_("Voorziening"), queryset=ServiceType.objects.order_by("name"),
                                         required=False, empty_label=_("Alle voorzieningen"),
                                         to_field_name="code")  # fmt: skip
    aanbieder = forms.ModelChoiceField(label=_("Aanbieder"), queryset=Provider.objects.order_by("name"),
                                       required=False, empty_label=_("Alle aanbieders"),
                                       to_field_name="agb_code")  # fmt: skip
    sorteer = forms.ChoiceField(label=_("Sorteren"), choices=SORTS, required=False)
    groepeer = forms.ChoiceField(
        label=_("Samenvatting per"), required=False,
        choices=[("", _("Geen samenvatting")), ("team", _("Buurtteam")), ("wijk", _("Wijk")),
                 ("voorziening", _("Voorziening")), ("aanbieder", _("Aanbieder"))],
    )  # fmt: skip

    def __init__(self, *args, own_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own_team is not None:
            del self.fields["team"]
