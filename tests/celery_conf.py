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
