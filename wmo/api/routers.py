from django.urls import register_converter
from rest_framework.routers import SimpleRouter

from .limits import KEY_PATTERN, MAX_ID, MAX_KEY_LENGTH


class IdConverter:
    """A database id: 1 up to PostgreSQL's bigint. Anything else does not match the URL, so it
    is a 404 before a query could overflow."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("not an id")
        return number

    def to_url(self, value):
        return str(value)


class KeyConverter:
    """A code or external id (AGB-code, wijkcode, verwijzingId …): no slash, no dot, no
    control characters (PostgreSQL cannot even compare a NUL), at most MAX_KEY_LENGTH long."""

    regex = f"{KEY_PATTERN[:-1]}{{1,{MAX_KEY_LENGTH}}}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IdConverter, "api_id")
register_converter(KeyConverter, "api_key")


class ApiRouter(SimpleRouter):
    """No trailing slash: `/api/v1/wijken/` is a 404, not a redirect (NL API Design Rules).
    Detail URLs use the converters above: `api_id` for a view looked up by its primary key,
    `api_key` for one looked up by a code; a view may name its own `lookup_value_converter`."""

    def __init__(self):
        super().__init__(trailing_slash=False, use_regex_path=False)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        converter = getattr(viewset, "lookup_value_converter", None)
        if converter is None:
            converter = "api_id" if lookup_field in ("pk", "id") else "api_key"
        return self._base_pattern.format(
            lookup_prefix=lookup_prefix,
            lookup_url_kwarg=getattr(viewset, "lookup_url_kwarg", None) or lookup_field,
            lookup_value=converter,
        )
