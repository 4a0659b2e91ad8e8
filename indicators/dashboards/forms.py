from html import escape

from django import forms
from django.utils.safestring import mark_safe

from wmo.periods import Quarter

from ..selectors import Filters


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: `False` leaves an attribute out, `True` writes
    its bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's <select> markup, written in Python: the template engine renders each <option>
    through two includes, which made the filter fields (some 150 options) the slowest part of a
    dashboard rendered afresh."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{escape(str(option['label']))}</option>"
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        )
        html = (
            f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'
        )
        return mark_safe(html)  # noqa: S308 - every value above is escaped


class DashboardFilterForm(forms.Form):
    """Quarter and optional filters, read from GET so a filtered view is a shareable URL.

    Choices come from the name lists the page loads anyway, so the form costs no queries."""

    kwartaal = forms.TypedChoiceField(label="Kwartaal", required=False, widget=QuickSelect,
                                      coerce=Quarter.parse, empty_value=None)  # fmt: skip
    wijk = forms.ChoiceField(label="Wijk", required=False, widget=QuickSelect)
    voorziening = forms.ChoiceField(label="Voorziening", required=False, widget=QuickSelect)
    aanbieder = forms.ChoiceField(label="Aanbieder", required=False, widget=QuickSelect)
    contractpartij = forms.ChoiceField(label="Contractpartij", required=False, widget=QuickSelect)

    def __init__(self, *args, names, quarters, organisations=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kwartaal"].choices = [(str(q), str(q)) for q in quarters]
        self.fields["wijk"].choices = [("", "Alle wijken"), *names["districts"]]
        self.fields["voorziening"].choices = [("", "Alle voorzieningen"), *names["services"]]
        if organisations:
            providers = names["providers"]
            self.fields["aanbieder"].choices = [("", "Alle aanbieders"), *providers]
            self.fields["contractpartij"].choices = [("", "Alle contractpartijen"), *providers]
        else:
            # Council members compare wijken and services, not organisations.
            del self.fields["aanbieder"]
            del self.fields["contractpartij"]

    def selection(self, default: Quarter | None) -> tuple[Quarter | None, Filters]:
        """The chosen quarter (else `default`) and filters; an invalid field counts as unset
        (its error is shown beside it)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = getattr(self, "cleaned_data", {})
        quarter = data.get("kwartaal") or default
        filters = Filters(
            district=data.get("wijk", ""),
            service=data.get("voorziening", ""),
            provider=data.get("aanbieder", ""),
            contractor=data.get("contractpartij", ""),
        )
        return quarter, filters
