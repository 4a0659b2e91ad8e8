from .models import AuditEvent


def record(request_or_user, action: str, obj, object_type: str | None = None) -> AuditEvent:
    """Write one audit row for `obj`; call it from every view that shows a person's record."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    user = request.user if request else request_or_user
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=object_type or obj._meta.label_lower,
        object_id=str(obj.pk),
        path=request.get_full_path()[:500] if request else "",
    )
