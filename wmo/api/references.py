"""A reference to another record by its code (a wijk's CBS code, an aanbieder's AGB code, a
voorziening's code): DRF's SlugRelatedField with the app's messages.

DRF's own messages named the database column and echoed the value as Python prints it: a list
sent for `wijkCode` answered "Object met code=['WK034403'] bestaat niet.", and a 20,000-character
value came back whole."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# How much of an unknown value the message repeats.
SHOWN = 40


def shown(value: str) -> str:
    return value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"


def unknown_code(model, value: str) -> str:
    return _("Er bestaat geen %(record)s met de code '%(code)s'.") % {
        "record": model._meta.verbose_name,
        "code": shown(value),
    }


class CodeRelatedField(serializers.SlugRelatedField):
    default_error_messages = {"invalid": _("Geef een code als tekst.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except queryset.model.DoesNotExist:
            raise serializers.ValidationError(
                unknown_code(queryset.model, data), code="does_not_exist"
            ) from None
        except (TypeError, ValueError):
            self.fail("invalid")
