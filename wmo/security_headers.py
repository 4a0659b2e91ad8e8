"""Permissions-Policy: the browser features the app never uses are switched off (Django sets
the other security headers itself: Referrer-Policy, HSTS, nosniff, X-Frame-Options; django-csp
the Content-Security-Policy)."""

from django.conf import settings


def permissions_policy(features: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
