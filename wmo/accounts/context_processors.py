import time

from django.conf import settings

from .navigation import items_for
from .roles import Role, primary_role
from .sessions import WARN_BEFORE_SECONDS, time_left


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role_label": ""}
    role = primary_role(user)
    left, extendable = time_left(request.session, int(time.time()))
    return {
        "nav_items": items_for(user, request.path),
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
        # The page's warning before the session ends (static/js/session-timeout.js).
        "session_timeout": {
            "left": left,
            "extendable": extendable,
            "warn_before": WARN_BEFORE_SECONDS,
            "idle": settings.WMO_SESSION_IDLE_SECONDS,
        },  # fmt: skip
    }
