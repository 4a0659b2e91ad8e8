from django import forms
from django.utils.translation import gettext_lazy as _

from districts.models import District
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.text import PlainText


class QualityFilterForm(PlainText, forms.Form):
    wijk = forms.ModelChoiceField(label=_("Wijk"), queryset=District.objects.order_by("code"),
                                  required=False, empty_label=_("Alle wijken"), to_field_name="code")  # fmt: skip
    voorziening = forms.ModelChoiceField(label=_("Voorziening"),
                                         queryset=ServiceType.objects.order_by("name"),
                                         required=False, empty_label=_("Alle voorzieningen"),
                                         to_field_name="code")  # fmt: skip
    aanbieder = forms.ModelChoiceField(label=_("Aanbieder"), queryset=Provider.objects.order_by("name"),
                                       required=False, empty_label=_("Alle aanbieders"),
                                       to_field_name="agb_code")  # fmt: skip

    def filter(self, queryset):
        if not (self.is_bound and self.is_valid()):
            return queryset
        data = self.cleaned_data
        lookups = {"district": data["wijk"], "service_type": data["voorziening"],
                   "provider": data["aanbieder"]}  # fmt: skip
        return queryset.filter(**{name: value for name, value in lookups.items() if value})
