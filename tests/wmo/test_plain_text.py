"""Every form refuses control characters in its text fields (wmo/text.py), as the API does for
a JSON body: a provider named with an escape sequence was stored from the form."""

import importlib
import pkgutil

import pytest
from django import forms

from providers.models import Provider
from wmo.text import CONTROL_MESSAGE, PlainText

PACKAGES = ["wmo", "providers", "districts", "procurement", "indicators"]


def _app_modules():
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            if info.name.startswith(("wmo.settings", "wmo.wsgi", "wmo.asgi", "wmo.gunicorn")):
                continue
            yield importlib.import_module(info.name)


def _form_classes(base=forms.BaseForm):
    for cls in base.__subclasses__():
        yield cls
        yield from _form_classes(cls)


def test_every_form_of_the_app_refuses_control_characters():
    list(_app_modules())
    ours = {cls for cls in _form_classes() if cls.__module__.split(".")[0] in PACKAGES}
    assert len(ours) > 25
    assert sorted(cls.__qualname__ for cls in ours if not issubclass(cls, PlainText)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Zorg\x1b[31m Utrecht", "Zorg\x00", "Zorg\x7f"])
def test_a_provider_named_with_a_control_character_is_refused(contract_manager_client, name):
    response = contract_manager_client.post(
        "/aanbieders/nieuw/",
        {"agb_code": "12345678", "name": name, "kind": "resident_org", "active": "on"},
    )
    assert response.status_code == 200
    assert str(CONTROL_MESSAGE) in response.content.decode()
    assert Provider.objects.count() == 0


@pytest.mark.django_db
def test_tabs_and_line_breaks_are_text(contract_manager_client):
    response = contract_manager_client.post(
        "/aanbieders/nieuw/",
        {"agb_code": "12345678", "name": "Zorg\tUtrecht", "kind": "resident_org", "active": "on"},
    )
    assert response.status_code == 302
