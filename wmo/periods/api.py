"""Periods in the REST API: a serializer field and a query filter. Both keep the text form on
the outside (schema: a string), so the API's surface is what it was; inside they are Periods."""

from rest_framework import serializers

from wmo.api.filters import TextFilter

from .fields import ALL_KINDS, PeriodFormField
from .period import Period, PeriodError


class PeriodSerializerField(serializers.CharField):
    """`"2026Q3"` in and out; validated_data holds the Period. `kinds` narrows what it takes."""

    def __init__(self, *, kinds=ALL_KINDS, **kwargs):
        self.kinds = tuple(kinds)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        kind = self.kinds[0] if len(self.kinds) == 1 else Period
        try:
            period = kind.parse(text)
        except PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        if not isinstance(period, self.kinds):
            raise serializers.ValidationError(f"'{text}' is hier geen toegestane periode.")
        return period

    def to_representation(self, value):
        return str(value)


class PeriodFilter(TextFilter):
    """`?kwartaal=2026Q3`: a bad value answers 400 naming the parameter, in Dutch."""

    field_class = PeriodFormField
