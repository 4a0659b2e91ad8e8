import contextlib

_UNSET = object()


def set_celery_conf(**values):
    """Override Celery settings in this process. The app reads Django's CELERY_* names, so the
    override must use them too (`app.conf.task_always_eager = …` would be silently shadowed).
    Returns what to pass back to restore them; a setting that was not set is removed again
    rather than set to None (None is a value: a None default queue breaks task routing)."""
    from wmo.celery import app

    previous = {}
    for key, value in values.items():
        name = f"CELERY_{key.upper()}"
        previous[key] = app.conf.changes.get(name, _UNSET)
        if value is _UNSET:
            app.conf.changes.pop(name, None)
        else:
            app.conf[name] = value
    return previous


@contextlib.contextmanager
def broker_at(url: str):
    """Send tasks to the broker at `url` (an unreachable one, say) instead of running them
    in-process. The app keeps its connection and producer pools per broker, so those are set
    aside for the block and put back afterwards."""
    import os

    from wmo.celery import app

    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration.
    environment = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    previous = set_celery_conf(task_always_eager=False, broker_url=url)
    pools = app._pool, app.amqp._producer_pool
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app._pool, app.amqp._producer_pool = pools
        set_celery_conf(**previous)
        if environment is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environment
