"""The API's bounds on what a client sends, in one place: the filters, the parser, the URL
converters and the OpenAPI schema (the settings import this module, so it imports nothing)."""

# PostgreSQL's bigint, the type of every id.
MAX_ID = 2**63 - 1
# Codes and external ids are at most 40 characters; a longer key cannot exist.
MAX_KEY_LENGTH = 100
# A query parameter's text: no code, name part or key comes near this.
MAX_QUERY_TEXT = 200
# Any string in a JSON body: a safety net above every field's own maximum, so a text field
# without one (notes, summaries) still takes no more than this.
MAX_STRING_LENGTH = 10_000

ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
# No slash, no dot (as DRF's default), no control characters.
KEY_PATTERN = r"[^/.\x00-\x1f\x7f]+"
KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
              "pattern": f"^{KEY_PATTERN}$"}  # fmt: skip
