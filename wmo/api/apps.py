from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wmo.api"
    label = "wmo_api"
    verbose_name = "API"

    def ready(self):
        from . import schema  # noqa: F401 (registers the schema extension)
