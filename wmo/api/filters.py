"""Query filters that refuse what the database cannot take: an id beyond 64 bits (an
OverflowError, so a 500) and an endless text answer 400 naming the parameter instead.

Every API FilterSet derives from ApiFilterSet, which only accepts these bounded filters (or
filters whose field checks its own values: choices, dates, booleans)."""

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_filters import filters
from django_filters import rest_framework as drf_filters
from drf_spectacular.utils import extend_schema_field

from .limits import ID_SCHEMA, MAX_ID
from .limits import MAX_QUERY_TEXT as MAX_TEXT

ID_MESSAGE = f"Geef een id: een geheel getal van 1 tot en met {MAX_ID}."
TEXT_MESSAGE = f"Te lang: hoogstens {MAX_TEXT} tekens."


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": ID_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        self.error_messages.update(min_value=ID_MESSAGE, max_value=ID_MESSAGE)

    def to_python(self, value):
        # int() of a string of thousands of digits is slow (and refused beyond 4,300).
        if isinstance(value, str) and len(value.strip()) > len(str(MAX_ID)):
            raise forms.ValidationError(ID_MESSAGE, code="invalid")
        return super().to_python(value)


class TextField(forms.CharField):
    """forms.CharField already refuses NUL; this adds the length."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = TEXT_MESSAGE


@extend_schema_field(ID_SCHEMA)
class IdFilter(filters.NumberFilter):
    field_class = IdField


@extend_schema_field({"type": "string", "maxLength": MAX_TEXT})
class TextFilter(filters.CharFilter):
    field_class = TextField


# Filters whose form field only takes values from a closed set or a parsed type.
SELF_CHECKING = (filters.ChoiceFilter, filters.MultipleChoiceFilter, filters.DateFilter,
                 filters.BooleanFilter, filters.UUIDFilter, filters.ModelChoiceFilter,
                 filters.ModelMultipleChoiceFilter)  # fmt: skip
BOUNDED = (IdFilter, TextFilter, *SELF_CHECKING)


class ApiFilterSet(drf_filters.FilterSet):
    FILTER_DEFAULTS = {
        **drf_filters.FilterSet.FILTER_DEFAULTS,
        models.CharField: {"filter_class": TextFilter},
        models.TextField: {"filter_class": TextFilter},
        models.SlugField: {"filter_class": TextFilter},
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
        models.IntegerField: {"filter_class": IdFilter},
        models.BigIntegerField: {"filter_class": IdFilter},
        models.PositiveIntegerField: {"filter_class": IdFilter},
        models.PositiveSmallIntegerField: {"filter_class": IdFilter},
    }

    @classmethod
    def get_filters(cls):
        found = super().get_filters()
        for name, found_filter in found.items():
            if not isinstance(found_filter, BOUNDED):
                raise ImproperlyConfigured(
                    f"{cls.__name__}.{name}: use TextFilter or IdFilter from wmo.api.filters "
                    f"(not {type(found_filter).__name__}), so the API bounds its value."
                )
        return found


class ApiFilterBackend(drf_filters.DjangoFilterBackend):
    """`filterset_fields` on a view get an ApiFilterSet too."""

    filterset_base = ApiFilterSet
