"""Text people type or send: what every form and API body refuses in it.

C0 control characters and DEL, except tab, line feed and carriage return: PostgreSQL cannot store
NUL at all, and the others are never typed, only pasted or sent by a broken client; they break
the exports, the logs and the screen readers. Imports are stricter, with their own rule for a
cell (wmo/imports/limits.py: no tab or line break either)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = gettext_lazy("Bevat een stuurteken (zoals een NUL-byte); dat is niet toegestaan.")


def as_sentence(message: str) -> str:
    """A message as a sentence, ending in a full stop: Django's Dutch catalogue has messages
    without one ('Dit veld kan niet leeg zijn'), and reports and API answers join messages."""
    message = str(message)
    return message if not message or message.endswith((".", "?", "!")) else f"{message}."


def refuse_control_characters(value) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")


class PlainText:
    """Form mixin: each text field of the form refuses control characters, as the API does
    for a JSON body (wmo/api/parsers.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(refuse_control_characters)
