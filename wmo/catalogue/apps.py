from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "wmo.catalogue"
    label = "catalogue"
    verbose_name = "Voorzieningencatalogus"
