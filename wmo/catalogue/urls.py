from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.NormListView.as_view(), name="norm-list"),
    path("wachttijd/<slug:service>/", views.NormHistoryView.as_view(), name="waiting-norm"),
    path("wachttijd/<slug:service>/nieuw/", views.NormCreateView.as_view(),
         name="waiting-norm-create"),
    path("<slug:kind>/", views.NormHistoryView.as_view(), name="norm"),
    path("<slug:kind>/nieuw/", views.NormCreateView.as_view(), name="norm-create"),
]  # fmt: skip
