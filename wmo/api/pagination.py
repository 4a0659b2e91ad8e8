from collections import OrderedDict

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

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_number = self._positive_int(request.query_params.get(self.page_query_param), 1)
        self.size = min(
            self._positive_int(
                request.query_params.get(self.page_size_query_param), self.page_size
            ),
            self.max_page_size,
        )
        offset = (self.page_number - 1) * self.size
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    @staticmethod
    def _positive_int(raw, default):
        try:
            value = int(raw)
        except (TypeError, ValueError):
            return default
        return value if value > 0 else default

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
                "schema": {"type": "integer"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Aantal resultaten per pagina (max {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]
