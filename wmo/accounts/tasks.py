from celery import shared_task

from . import audit


@shared_task(name="accounts.purge_audit_trail")
def purge_audit_trail() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): audit lines past the retention, the only deletion."""
    count, _cutoff = audit.purge()
    return count
