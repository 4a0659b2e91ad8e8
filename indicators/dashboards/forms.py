from html import escape

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wmo.periods import HalfYear, Period, Quarter, Year, parse_period
from wmo.text import PlainText

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
        parts = []
        for group, choices, _index in widget["optgroups"]:
            options = "".join(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{escape(str(option['label']))}</option>"
                for option in choices
            )
            parts.append(f'\n <optgroup label="{escape(str(group))}">{options}\n </optgroup>'
                         if group else options)  # fmt: skip
        options = "".join(parts)
        html = (
            f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'
        )
        return mark_safe(html)  # noqa: S308 - every value above is escaped


PERIOD_GROUPS = [(Quarter, _("Kwartalen")), (HalfYear, _("Halfjaren")), (Year, _("Jaren"))]


def period_query(period: Period) -> dict[str, str]:
    """The GET parameter that names a period: `kwartaal=` for a quarter (as links shared before
    half-years and years existed), `periode=` for a half-year or a year."""
    return {"kwartaal" if isinstance(period, Quarter) else "periode": str(period)}


class DashboardFilterForm(PlainText, forms.Form):
    """Period and optional filters, read from GET so a filtered view is a shareable URL. The
    period is a stored quarter, half-year or year (`periode=2026H1`, `periode=2025`); the older
    `kwartaal=2026Q3` is read as the same choice.

    Choices come from the name lists the page loads anyway, so the form costs no queries."""

    periode = forms.TypedChoiceField(label=_("Periode"), required=False, widget=QuickSelect,
                                     coerce=parse_period, empty_value=None)  # fmt: skip
    wijk = forms.ChoiceField(label=_("Wijk"), required=False, widget=QuickSelect)
    voorziening = forms.ChoiceField(label=_("Voorziening"), required=False, widget=QuickSelect)
    aanbieder = forms.ChoiceField(label=_("Aanbieder"), required=False, widget=QuickSelect)
    contractpartij = forms.ChoiceField(
        label=_("Contractpartij"), required=False, widget=QuickSelect
    )

    def __init__(self, data=None, *args, names, periods, organisations=True, **kwargs):
        self.period_parameter = "periode"
        if data is not None and not data.get("periode") and data.get("kwartaal"):
            data = data.copy()
            data["periode"] = data["kwartaal"]
            self.period_parameter = "kwartaal"
        super().__init__(data, *args, **kwargs)
        # Newest first within each kind, in period order (stored_periods sorts them).
        self.fields["periode"].choices = [
            (title, [(str(p), str(p)) for p in periods if type(p) is kind])
            for kind, title in PERIOD_GROUPS
            if any(type(p) is kind for p in periods)
        ]
        self.fields["wijk"].choices = [("", _("Alle wijken")), *names["districts"]]
        self.fields["voorziening"].choices = [("", _("Alle voorzieningen")), *names["services"]]
        if organisations:
            providers = names["providers"]
            self.fields["aanbieder"].choices = [("", _("Alle aanbieders")), *providers]
            self.fields["contractpartij"].choices = [("", _("Alle contractpartijen")), *providers]
        else:
            # Council members compare wijken and services, not organisations.
            del self.fields["aanbieder"]
            del self.fields["contractpartij"]

    def selection(self, default: Period | None) -> tuple[Period | None, Filters]:
        """The chosen period (else `default`) and filters; an invalid field counts as unset
        (its error is shown beside it)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = getattr(self, "cleaned_data", {})
        quarter = data.get("periode") or default
        filters = Filters(
            district=data.get("wijk", ""),
            service=data.get("voorziening", ""),
            provider=data.get("aanbieder", ""),
            contractor=data.get("contractpartij", ""),
        )
        return quarter, filters

    def refusals(self) -> list[str]:
        """Each refused parameter, by the name the request used, and why: a download answers
        with these instead of a file, as it cannot show the error beside the field and fall back
        to the default period (or all wijken) the way the page does."""
        if not self.is_bound or self.is_valid():
            return []
        return [f"{self.period_parameter if name == 'periode' else name}: {' '.join(errors)}"
                for name, errors in self.errors.items()]  # fmt: skip
