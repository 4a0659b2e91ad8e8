from django import forms

from ..quarters import Quarter
from .data import Filters


class DashboardFilterForm(forms.Form):
    """Quarter and optional filters, read from GET so a filtered view is a shareable URL.

    Choices come from the name lists the page loads anyway, so the form costs no queries."""

    kwartaal = forms.ChoiceField(label="Kwartaal", required=False)
    wijk = forms.ChoiceField(label="Wijk", required=False)
    voorziening = forms.ChoiceField(label="Voorziening", required=False)
    aanbieder = forms.ChoiceField(label="Aanbieder", required=False)
    contractpartij = forms.ChoiceField(label="Contractpartij", required=False)

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
        quarter = Quarter.parse(data["kwartaal"]) if data.get("kwartaal") else default
        filters = Filters(
            district=data.get("wijk", ""),
            service=data.get("voorziening", ""),
            provider=data.get("aanbieder", ""),
            contractor=data.get("contractpartij", ""),
        )
        return quarter, filters
