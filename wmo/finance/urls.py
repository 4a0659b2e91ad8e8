from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.BookingListView.as_view(), name="booking-list"),
    path("uploaden/", views.SpendImportView.as_view(), name="spend-import"),
    path("uitgaven.csv", views.BookingExportView.as_view(fmt="csv"), name="booking-csv"),
    path("uitgaven.xlsx", views.BookingExportView.as_view(fmt="xlsx"), name="booking-xlsx"),
]
