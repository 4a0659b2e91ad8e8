"""The app's URLs plus views that fail, for the error page tests (tests/wmo/test_error_pages.py)."""

from django.urls import path

from wmo.urls import handler400, handler403, handler404, handler500  # noqa: F401
from wmo.urls import urlpatterns as app_urlpatterns


def broken(request):
    raise RuntimeError("opzettelijk kapot voor de test")


urlpatterns = [
    path("kapot/", broken),
    path("api/v1/kapot", broken),
    *app_urlpatterns,
]
