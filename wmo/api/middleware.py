from django.conf import settings

API_PREFIX = "/api/"


class ApiVersionMiddleware:
    """NL API Design Rules: every API response names the full API version in `API-Version`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response["API-Version"] = settings.API_VERSION
        return response
