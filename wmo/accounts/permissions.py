"""Enforcement of the capability table in `roles.py` for pages (mixin) and the API (permission)."""

from django.contrib.auth.mixins import AccessMixin
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .roles import has_capability


class CapabilityRequiredMixin(AccessMixin):
    """Anonymous users go to the login page; signed-in users without the capability get 403.

    Set `capability` (reads) and optionally `write_capability` (POST, PUT, PATCH, DELETE)."""

    capability: str = ""
    write_capability: str | None = None

    def required_capability(self, request) -> str:
        if request.method not in SAFE_METHODS and self.write_capability:
            return self.write_capability
        return self.capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_capability(request.user, self.required_capability(request)):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class RolePermission(BasePermission):
    """API views declare `capabilities = {"read": ..., "write": ...}`; a view without it is closed."""

    message = "U heeft geen toegang tot deze bewerking."

    def has_permission(self, request, view):
        capabilities = getattr(view, "capabilities", None)
        if not capabilities or not request.user or not request.user.is_authenticated:
            return False
        key = "read" if request.method in SAFE_METHODS else "write"
        capability = capabilities.get(key)
        return bool(capability) and has_capability(request.user, capability)
