from django.urls import path, re_path

from . import overview, transition, views

# Included by string from wmo/urls.py, so nothing imports the indicators app.
app_name = "dashboard"

urlpatterns = [
    path("", views.StaffDashboardView.as_view(), name="staff"),
    path("raad/", views.CouncilDashboardView.as_view(), name="council"),
    # The one-screen overviews; each tile opens its objective on the full page above.
    path("overzicht/", overview.StaffOverviewView.as_view(), name="staff-overview"),
    path("raad/overzicht/", overview.CouncilOverviewView.as_view(), name="council-overview"),
    re_path(r"^export/(?P<table>[a-z0-9_-]+)\.(?P<fmt>csv|xlsx)$", views.StaffExportView.as_view(),
            name="staff-export"),
    re_path(r"^raad/export/(?P<table>[a-z0-9_-]+)\.(?P<fmt>csv|xlsx)$",
            views.CouncilExportView.as_view(), name="council-export"),
    path("overgang/", transition.TransitionMonitorView.as_view(), name="transition"),
    path("herberekenen/", views.RecomputeView.as_view(), name="recompute"),
    path("berekeningen/<int:pk>/", views.RunStatusView.as_view(), name="run-status"),
]  # fmt: skip
