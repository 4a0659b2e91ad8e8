from celery import shared_task

from .notices import warn_unresolved


@shared_task(name="referrals.warn_transition")
def warn_transition() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): the transition warning; the number of unresolved clients
    it warned about (0: no warning)."""
    notice = warn_unresolved()
    return notice.unresolved if notice else 0
