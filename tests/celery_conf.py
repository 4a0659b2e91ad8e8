def set_celery_conf(**values):
    """Override Celery settings in this process. The app reads Django's CELERY_* names, so the
    override must use them too (`app.conf.task_always_eager = …` would be silently shadowed)."""
    from wmo.celery import app

    previous = {}
    for key, value in values.items():
        name = f"CELERY_{key.upper()}"
        previous[key] = app.conf.get(name)
        app.conf[name] = value
    return previous
