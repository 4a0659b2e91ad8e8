"""Periods in the database and in forms.

`PeriodField` stores the text form (`2026Q3`, `2026H1`, `2026`) in a plain varchar column, so
stored rows, indexes and the text-ordered queries stay as they were; Python sees Period values.
`kinds` narrows what it accepts (the dashboards' runs take quarters only, say)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .period import HalfYear, Period, PeriodError, Quarter, Year

ALL_KINDS = (Quarter, HalfYear, Year)


def _kind_class(kinds) -> type[Period]:
    """The class whose `parse` accepts exactly `kinds` (one kind, or Period for all)."""
    kinds = tuple(kinds)
    return kinds[0] if len(kinds) == 1 else Period


class PeriodField(models.CharField):
    description = "Een kwartaal, halfjaar of jaar (2026Q3, 2026H1, 2026)"

    def __init__(self, *args, kinds=ALL_KINDS, **kwargs):
        kwargs.setdefault("max_length", 6)
        self.kinds = tuple(kinds)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 6:
            del kwargs["max_length"]
        if self.kinds != ALL_KINDS:
            kwargs["kinds"] = self.kinds
        return name, path, args, kwargs

    def _parse(self, value) -> Period:
        period = _kind_class(self.kinds).parse(value)
        if not isinstance(period, self.kinds):
            raise PeriodError(f"'{value}' is hier geen toegestane periode.")
        return period

    def from_db_value(self, value, expression, connection):
        return None if value is None else Period.parse(value)

    def to_python(self, value):
        if value is None or isinstance(value, Period):
            return value
        if value == "" and self.blank:
            return None
        try:
            return self._parse(value)
        except PeriodError as exc:
            raise ValidationError(str(exc), code="invalid_period") from exc

    def get_prep_value(self, value):
        # Text is parsed too, so a lookup with "2026q3" finds 2026Q3 and a typo fails loudly
        # instead of matching nothing.
        if value is None or value == "":
            return value
        if hasattr(value, "resolve_expression"):
            return value
        return str(self._parse(value))

    def run_validators(self, value):
        # CharField's length validator measures the text form.
        super().run_validators(None if value is None else str(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PeriodFormField, "kinds": self.kinds, **kwargs})


class PeriodFormField(forms.CharField):
    """A text input for a period; cleans to a Period (None when empty and not required)."""

    def __init__(self, *args, kinds=ALL_KINDS, **kwargs):
        self.kinds = tuple(kinds)
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return "" if value is None else str(value)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            period = _kind_class(self.kinds).parse(text)
        except PeriodError as exc:
            raise ValidationError(str(exc), code="invalid_period") from exc
        if not isinstance(period, self.kinds):
            raise ValidationError(
                f"'{text}' is hier geen toegestane periode.", code="invalid_period"
            )
        return period
