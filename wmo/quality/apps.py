from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "wmo.quality"
    label = "quality"
    verbose_name = "Kwaliteit"
