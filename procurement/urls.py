from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="timeline"),
    path("planning.ics", views.CalendarView.as_view(), name="calendar"),
    path("agenda/<str:token>.ics", views.CalendarFeedView.as_view(), name="feed"),
    path("agenda/nieuwe-link/", views.CalendarFeedIssueView.as_view(), name="feed-issue"),
    path("agenda/intrekken/", views.CalendarFeedRevokeView.as_view(), name="feed-revoke"),
    path("moties/", views.MotionListView.as_view(), name="motions"),
    path("moties/<int:pk>/", views.MotionDetailView.as_view(), name="motion"),
    path("moties/<int:pk>/wijzigen/", views.MotionUpdateView.as_view(), name="motion-edit"),
    path(
        "dialoogsessies/<int:pk>/wijzigen/",
        views.DialogueSessionUpdateView.as_view(),
        name="dialogue-edit",
    ),
    path(
        "mijlpalen/<int:pk>/wijzigen/", views.MilestoneUpdateView.as_view(), name="milestone-edit"
    ),
    path("opties/<int:pk>/wijzigen/", views.OptionUpdateView.as_view(), name="option-edit"),
    path(
        "kandidaten/<int:pk>/wijzigen/", views.CandidateUpdateView.as_view(), name="candidate-edit"
    ),
    path("kandidaten/<int:pk>/beoordeling/", views.ScoresView.as_view(), name="scores"),
    path("<str:reference>/", views.TenderDetailView.as_view(), name="tender"),
    path("<str:reference>/gunning/", views.AwardUpdateView.as_view(), name="award-edit"),
    path(
        "<str:reference>/kandidaten/nieuw/",
        views.CandidateCreateView.as_view(),
        name="candidate-add",
    ),
    path(
        "<str:reference>/dialoogsessies/nieuw/",
        views.DialogueSessionCreateView.as_view(),
        name="dialogue-add",
    ),
    path("<str:reference>/moties/nieuw/", views.MotionCreateView.as_view(), name="motion-add"),
    path("<str:reference>/gunningscriteria/", views.CriteriaView.as_view(), name="criteria-edit"),
    path("<str:reference>/documenten/", views.DocumentsView.as_view(), name="documents-edit"),
]
