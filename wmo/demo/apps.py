from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and demo logins for the embedded default; composes every app's demo seeders."""

    name = "wmo.demo"
    label = "demo"
    verbose_name = "Demogegevens"
