from .navigation import items_for
from .roles import Role, primary_role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role_label": ""}
    role = primary_role(user)
    return {
        "nav_items": items_for(user, request.path),
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
    }
