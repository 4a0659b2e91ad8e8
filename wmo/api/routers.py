from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    """No trailing slash: `/api/v1/wijken/` is a 404, not a redirect (NL API Design Rules)."""

    def __init__(self):
        super().__init__(trailing_slash=False)
