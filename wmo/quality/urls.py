from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("ervaringen/", views.SurveyListView.as_view(), name="survey-list"),
    path("ervaringen/uploaden/", views.SurveyImportView.as_view(), name="survey-import"),
    path("klachten/", views.ComplaintListView.as_view(), name="complaint-list"),
    path("klachten/uploaden/", views.ComplaintImportView.as_view(), name="complaint-import"),
]
