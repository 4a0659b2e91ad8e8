"""drf-spectacular postprocessing: the schema documents the error answers the API really gives
(all `application/problem+json`, RFC 9457, from wmo.api.exceptions) and the string limit of
the JSON parser, so a client (or schemathesis) can rely on every answer being described."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .exceptions import PROBLEM_CONTENT_TYPE
from .limits import MAX_STRING_LENGTH

PROBLEM = "Problem"
INVALID_PARAM = "InvalidParam"
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get", "head", "options", "trace"}

DESCRIPTIONS = {
    400: "Ongeldige invoer: de body, een filter of een paginaparameter. `invalidParams` noemt "
    "elk veld met de reden.",
    401: "Niet ingelogd: geen of een ongeldig token (of sessie).",
    403: "Ingelogd, maar deze rol mag deze bewerking niet.",
    404: "Bestaat niet, of is voor deze gebruiker niet zichtbaar.",
    405: "Deze methode kan niet op dit adres.",
    406: "Het gevraagde formaat (Accept) is niet beschikbaar; de API antwoordt in JSON.",
    409: "Conflict met bestaande gegevens: een dubbele naam of kenmerk, of verwijderen terwijl "
    "andere gegevens ernaar verwijzen.",
    413: "De body is groter dan de grens (DATA_UPLOAD_MAX_MEMORY_SIZE, standaard 2,5 MB).",
    415: "De body is geen application/json.",
    429: "Te veel verzoeken; probeer het na `Retry-After` seconden opnieuw.",
    500: "Onverwachte fout; vastgelegd in het log van de applicatie.",
    503: "Een onderliggende dienst is niet bereikbaar.",
}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Een foutmelding volgens RFC 9457 (application/problem+json).",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "Verwijzing naar de uitleg van de status."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "Wat er mis is, in het Nederlands."},
        "instance": {"type": "string", "description": "Het pad van het verzoek."},
        "invalidParams": {
            "type": "array",
            "description": "Alleen bij 400: elk ongeldig veld met de reden.",
            "items": {"$ref": f"#/components/schemas/{INVALID_PARAM}"},
        },
    },
}
INVALID_PARAM_SCHEMA = {
    "type": "object",
    "required": ["name", "code", "reason"],
    "properties": {
        "name": {"type": "string", "description": "Veldnaam; geneste velden met punten."},
        "code": {"type": "string"},
        "reason": {"type": "string"},
    },
}


RETRY_AFTER = {
    "description": "Na hoeveel seconden een nieuw verzoek weer kan.",
    "schema": {"type": "integer"},
}


class ApiSessionScheme(SessionScheme):
    # The session login with its CSRF refusal in Dutch is still the cookie scheme;
    # drf-spectacular matches the session scheme by exact class only.
    target_class = "wmo.api.authentication.ApiSessionAuthentication"


def problem_response(status: int, description: str) -> dict:
    """`responses` entry for extend_schema: `status` with a view's own description; the content
    (the shared problem+json schema) is filled in by `document_problems`."""
    return {status: OpenApiResponse(description=description)}


def error_statuses(method: str, operation: dict) -> list[int]:
    parameters = operation.get("parameters", [])
    statuses = [401, 403, 405, 406, 429, 500]
    has_body = "requestBody" in operation
    if has_body or any(p["in"] == "query" for p in parameters):
        statuses.append(400)
    if any(p["in"] == "path" for p in parameters):
        statuses.append(404)
    if method in WRITES:
        statuses.append(409)
    if has_body:
        statuses.extend([413, 415])
    return sorted(statuses)


def _limit_strings(schema: dict) -> None:
    """Every free string a client sends gets the parser's maximum, unless it has its own."""
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"maxLength", "enum", "format"} & schema.keys():
        schema["maxLength"] = MAX_STRING_LENGTH
    for key in ("properties", "patternProperties"):
        for child in schema.get(key, {}).values():
            _limit_strings(child)
    for key in ("items", "additionalProperties"):
        _limit_strings(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for child in schema.get(key, []):
            _limit_strings(child)


def document_problems(result, generator, request, public):
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas[PROBLEM] = PROBLEM_SCHEMA
    schemas[INVALID_PARAM] = INVALID_PARAM_SCHEMA
    problem_content = {
        PROBLEM_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM}"}}
    }
    shared = components.setdefault("responses", {})
    for status, description in DESCRIPTIONS.items():
        shared[f"Problem{status}"] = {"description": description, "content": problem_content}
    shared["Problem429"]["headers"] = {"Retry-After": RETRY_AFTER}
    for name, schema in schemas.items():
        if name.endswith("Request"):
            _limit_strings(schema)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _limit_strings(content.get("schema"))
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                responses.setdefault(str(status), {})
            for status, response in responses.items():
                if int(status) >= 400 and "$ref" not in response:
                    # Every error is the same problem+json; a view's own description stays.
                    if response.get("description"):
                        responses[status] = {**response, "content": problem_content}
                    else:
                        responses[status] = {"$ref": f"#/components/responses/Problem{status}"}
            operation["responses"] = dict(sorted(responses.items()))
    return result


class BlankableStringExtension(OpenApiSerializerFieldExtension):
    """A text field that may be empty (`allow_blank`) but has a pattern or format when filled
    (a KvK-nummer, a link): the schema says that "" is a valid value too."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not getattr(self.target, "allow_blank", False):
            return schema
        # The validators (pattern, format) are added after this hook; add them now to adapt.
        auto_schema._insert_field_validators(self.target, schema)
        if "pattern" in schema:
            inner = schema["pattern"].removeprefix("^").removesuffix("$")
            schema["pattern"] = f"^(?:{inner})?$"
        if "format" in schema:
            # Without a top-level type, drf-spectacular adds no `format` to it afterwards.
            schema.pop("type", None)
            return {"anyOf": [{"type": "string", **schema}, {"type": "string", "maxLength": 0}]}
        return schema


class SingleObjectSchema(AutoSchema):
    """For a resource that is one object computed from the query (/begroting, /overgang), served
    by a viewset's `list` only to sit in the router: drf-spectacular takes every `list` for an
    array, so the schema would promise a list the view never gives."""

    def _is_list_view(self, serializer=None) -> bool:
        return False
