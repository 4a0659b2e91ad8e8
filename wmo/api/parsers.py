"""The API reads JSON only (NL API Design Rules), and refuses strings the database cannot store
or nobody types, before any serializer sees them."""

import json

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import JSONParser

from wmo.text import CONTROL_CHARACTERS, CONTROL_MESSAGE

from .limits import MAX_STRING_LENGTH

LENGTH_MESSAGE = f"Te lang: hoogstens {MAX_STRING_LENGTH:,} tekens.".replace(",", ".")


def string_errors(data, path="") -> dict[str, list[str]]:
    """{dotted field name: [reason]} for every string in the parsed body that is refused."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            errors.update(string_errors(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            errors.update(string_errors(value, f"{path}.{index}" if path else str(index)))
    elif isinstance(data, str):
        name = path or "nonFieldErrors"
        if CONTROL_CHARACTERS.search(data):
            errors[name] = [CONTROL_MESSAGE]
        elif len(data) > MAX_STRING_LENGTH:
            errors[name] = [LENGTH_MESSAGE]
    return errors


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _check_size(parser_context):
    """DRF reads the body as a stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE: apply it."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    if limit is None or request is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        megabytes = f"{limit / 2**20:.1f}".replace(".", ",")
        raise PayloadTooLarge(f"De body is te groot: hoogstens {megabytes} MB.")


class ApiJsonParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check_size(parser_context)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("De body is te diep genest.") from None
        except ParseError as exc:
            # DRF's message is English and quotes Python; say where, in Dutch.
            cause = exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                where = f"regel {cause.lineno}, kolom {cause.colno}"
                raise ParseError(f"De body is geen geldige JSON ({where}).") from None
            if isinstance(cause, UnicodeDecodeError):
                raise ParseError("De body is geen geldige UTF-8.") from None
            raise ParseError("De body is geen geldige JSON.") from None
        if not isinstance(data, dict):
            # Every operation takes one object; DRF would answer `null` in English.
            raise ParseError('De body moet een JSON-object zijn, bijvoorbeeld {"naam": "…"}.')
        errors = string_errors(data)
        if errors:
            raise ValidationError(errors)
        return data
