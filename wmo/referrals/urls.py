from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.WaitingListView.as_view(), name="waiting-list"),
    path("registreren/", views.RegisterReferralView.as_view(), name="referral-create"),
    path("importeren/", views.ReferralImportView.as_view(), name="referral-import"),
    path("zonder-contract/", views.WithoutContractView.as_view(), name="without-contract"),
    path("in-zorg/", views.InCareListView.as_view(), name="in-care"),
    path("casussen/registreren/", views.RegisterCaseView.as_view(), name="case-create"),
    path("casussen/importeren/", views.CaseImportView.as_view(), name="case-import"),
    path("casussen/", views.CaseListView.as_view(), name="case-list"),
    path("casussen/<str:external_id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("casussen/<str:external_id>/<slug:step>/", views.CaseStepView.as_view(), name="case-step"),
    path("<str:external_id>/", views.ReferralDetailView.as_view(), name="referral-detail"),
    path(
        "<str:external_id>/<slug:action>/",
        views.ReferralTransitionView.as_view(),
        name="referral-transition",
    ),
]
