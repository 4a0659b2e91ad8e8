"""The realised-spend form. Its rules are budget.validate_spend's, so the page shows exactly the
errors the service raises, each beside its field."""

from django import forms

from .budget import NOTE_MAX, YEARS, budget_objectives, objective_label, validate_spend


class RealisedSpendForm(forms.Form):
    objective = forms.ChoiceField(
        label="Beleidsdoel",
        error_messages={"required": "Kies een beleidsdoel.",
                        "invalid_choice": "'%(value)s' is geen beleidsdoel uit de begroting."},
    )  # fmt: skip
    year = forms.TypedChoiceField(
        label="Jaar", coerce=int, choices=[("", "Kies een jaar"), *[(y, str(y)) for y in YEARS]],
        error_messages={"required": "Kies een jaar.",
                        "invalid_choice": f"Realisaties kunnen alleen voor {YEARS[0]} tot en met "
                                          f"{YEARS[-1]}."},
    )  # fmt: skip
    amount_keur = forms.DecimalField(
        label="Gerealiseerd (k€)", help_text="Hele duizenden euro's, zonder punten: bijvoorbeeld 85500.",
        error_messages={"required": "Vul het gerealiseerde bedrag in k€ in.",
                        "invalid": "Vul een getal in, in hele k€ zonder punten (bijvoorbeeld 85500)."},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    note = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Bijvoorbeeld de oorzaak van een verschil met de begroting; hoogstens {NOTE_MAX} tekens.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = budget_objectives()
        self.fields["objective"].choices = [("", "Kies een beleidsdoel")] + [
            (code, objective_label(code)) for code in self.objectives
        ]

    def clean(self):
        data = super().clean()
        errors = validate_spend(
            data.get("objective"), data.get("year"), data.get("amount_keur"), data.get("note"),
            objectives=self.objectives,
        )  # fmt: skip
        for field, message in errors.items():
            # A field that failed its own parsing already carries the more precise message.
            if field not in self.errors:
                self.add_error(field, message)
        return data
