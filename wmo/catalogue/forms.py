"""A new dated value of a norm or target. The rules are the model's (Norm.clean); the form adds
the one the model cannot see without the kind and service it excludes: one value per date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wmo.text import PlainText

from .models import Norm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NormForm(PlainText, forms.ModelForm):
    class Meta:
        model = Norm
        fields = ["value", "valid_from", "source", "note"]
        localized_fields = ["value"]  # 14,5 as people write it here
        widgets = {"valid_from": DateInput()}
        help_texts = {
            "valid_from": _(
                "Vanaf deze dag geldt de nieuwe waarde; een periode wordt beoordeeld "
                "met de waarde die op haar laatste dag geldt."
            ),
            "source": _("Bijvoorbeeld: Beleidsnota Samen leven, samen zorgen (2024)."),
            "note": _("Bijvoorbeeld: eerste inschatting, te toetsen in de praktijk."),
        }
        error_messages = {
            "value": {"required": _("Vul een waarde in."), "invalid": _("Vul een getal in."),
                      "max_digits": _("Vul een getal van ten hoogste 4 cijfers in."),
                      "max_decimal_places": _("Gebruik ten hoogste één decimaal."),
                      "max_whole_digits": _("Vul een getal van ten hoogste 4 cijfers in.")},
            "valid_from": {"required": _("Vul de datum in vanaf wanneer de waarde geldt."),
                           "invalid": _("Vul een geldige datum in.")},
            "source": {"required": _("Noem de bron van de waarde (besluit of document).")},
        }  # fmt: skip

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        taken = Norm.objects.filter(
            kind=self.instance.kind, service_type=self.instance.service_type, valid_from=day
        )
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "Voor deze norm bestaat al een waarde met deze datum. Een vastgelegde waarde "
                    "verandert niet: kies een andere datum."
                )
            )
        return day
