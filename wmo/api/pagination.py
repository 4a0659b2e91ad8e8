from collections import OrderedDict

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PagePagination(BasePagination):
    """Page-number pagination that never runs COUNT(*): it fetches one row extra to know
    whether a next page exists, so large permission-filtered lists stay cheap."""

    page_query_param = "pagina"
    page_size_query_param = "paginaGrootte"
    page_size = 100
    max_page_size = 1000
    # Far beyond any real list, and small enough that the offset stays a modest 64-bit number.
    max_page = 1_000_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_number = self._number(request, self.page_query_param, 1, self.max_page)
        self.size = self._number(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )
        offset = (self.page_number - 1) * self.size
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    @staticmethod
    def _number(request, name, default, maximum):
        """The parameter as a whole number from 1 to `maximum`; absent or empty: the default.
        Anything else is a 400 naming the parameter, not a silent first page."""
        raw = request.query_params.get(name, "")
        if raw == "":
            return default
        # ASCII digits only, no more of them than the maximum has: int() would also take
        # "1_000", " 1" or other scripts' digits, and is slow on a huge string.
        if raw.isdigit() and raw.isascii() and len(raw) <= len(str(maximum)):
            value = int(raw)
            if 1 <= value <= maximum:
                return value
        raise ValidationError(
            {name: [f"Geef een geheel getal van 1 tot en met {maximum}."]}, code="invalid"
        )

    def _page_url(self, number):
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("volgende", self._page_url(self.page_number + 1) if self.has_next else None),
                    (
                        "vorige",
                        self._page_url(self.page_number - 1) if self.page_number > 1 else None,
                    ),
                    ("resultaten", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["resultaten"],
            "properties": {
                "volgende": {"type": "string", "format": "uri", "nullable": True},
                "vorige": {"type": "string", "format": "uri", "nullable": True},
                "resultaten": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Paginanummer (vanaf 1).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Aantal resultaten per pagina (standaard {self.page_size}, "
                f"max {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
