from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "wmo.imports"
    label = "imports"
    verbose_name = "Importen"
