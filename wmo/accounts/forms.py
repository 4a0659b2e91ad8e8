"""The audit-trail filter (contract managers): period, user, action, kind of record, record id
and address; every field optional, each error in Dutch next to its field."""

import datetime
import ipaddress

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wmo.text import PlainText

from . import audit
from .models import AuditEntry

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label):
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS,
        help_text=_("Als DD-MM-JJJJ, bijvoorbeeld 03-03-2026."),
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Vul een geldige datum in als DD-MM-JJJJ.")},
    )  # fmt: skip


def record_type_choices():
    """The kinds of record the trail covers (audit.RECORD_TYPES), by their Dutch plural name."""
    choices = [("", _("Alle soorten"))]
    for label in audit.RECORD_TYPES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        choices.append((label, str(model._meta.verbose_name_plural).capitalize()))
    return choices


class AuditFilterForm(PlainText, forms.Form):
    vanaf = _date_field(_("Vanaf"))
    tot = _date_field(_("Tot en met"))
    gebruiker = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=150)
    handeling = forms.TypedChoiceField(
        label=_("Handeling"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Alle handelingen")), *AuditEntry.Action.choices],
    )  # fmt: skip
    soort = forms.ChoiceField(label=_("Soort gegeven"), required=False, choices=())
    kenmerk = forms.CharField(
        label=_("Kenmerk"), required=False, max_length=100,
        help_text=_("Bijvoorbeeld een verwijzings- of casusnummer; ook in lijsten, imports en "
                    "exports."),
    )  # fmt: skip
    adres = forms.CharField(label=_("IP-adres"), required=False, max_length=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = record_type_choices()

    def clean_adres(self):
        value = self.cleaned_data["adres"].strip()
        if not value:
            return ""
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            raise forms.ValidationError(
                _("Vul een IPv4- of IPv6-adres in, bijvoorbeeld 192.0.2.10.")
            ) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("vanaf"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def filter(self, queryset):
        """The filtered lines; an invalid form filters nothing (its errors are on the page)."""
        if not (self.is_bound and self.is_valid()):
            return queryset
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        if data["vanaf"]:
            start = datetime.datetime.combine(data["vanaf"], datetime.time.min, zone)
            queryset = queryset.filter(timestamp__gte=start)
        if data["tot"]:
            end = datetime.datetime.combine(data["tot"] + datetime.timedelta(days=1),
                                            datetime.time.min, zone)  # fmt: skip
            queryset = queryset.filter(timestamp__lt=end)
        if data["gebruiker"]:
            queryset = queryset.filter(actor_username=data["gebruiker"].strip())
        if data["handeling"] is not None:
            queryset = queryset.filter(action=data["handeling"])
        if data["soort"]:
            app_label, _dot, model = data["soort"].partition(".")
            try:
                kind = ContentType.objects.get_by_natural_key(app_label, model)
            except ContentType.DoesNotExist:
                return queryset.none()
            queryset = queryset.filter(content_type=kind)
        if data["kenmerk"]:
            queryset = audit.with_record(queryset, data["kenmerk"].strip())
        if data["adres"]:
            queryset = queryset.filter(remote_addr=data["adres"])
        return queryset

    def applied(self) -> dict:
        """The filters in force, for the export's own audit line."""
        if not (self.is_bound and self.is_valid()):
            return {}
        return {name: (value.isoformat() if hasattr(value, "isoformat") else value)
                for name, value in self.cleaned_data.items() if value not in (None, "")}  # fmt: skip
