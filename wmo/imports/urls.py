from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job-list"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="job"),
    path("<int:pk>/status/", views.JobStatusView.as_view(), name="job-status"),
    path("<int:pk>/problemen.csv", views.JobProblemsView.as_view(), name="job-problems"),
]
