from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("aanbieders/", views.ProviderListView.as_view(), name="provider-list"),
    path("aanbieders/nieuw/", views.ProviderCreateView.as_view(), name="provider-create"),
    path("aanbieders/importeren/", views.ProviderImportView.as_view(), name="provider-import"),
    path("aanbieders/<str:agb_code>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("aanbieders/<str:agb_code>/wijzigen/", views.ProviderUpdateView.as_view(),
         name="provider-update"),
    path("consortia/", views.ConsortiumListView.as_view(), name="consortium-list"),
    path("consortia/nieuw/", views.ConsortiumCreateView.as_view(), name="consortium-create"),
    path("consortia/<int:pk>/wijzigen/", views.ConsortiumUpdateView.as_view(),
         name="consortium-update"),
    path("contracten/", views.ContractListView.as_view(), name="contract-list"),
    path("contracten/nieuw/", views.ContractCreateView.as_view(), name="contract-create"),
    path("contracten/<int:pk>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("contracten/<int:pk>/wijzigen/", views.ContractUpdateView.as_view(),
         name="contract-update"),
    path("contracten/<int:pk>/structuur/", views.ContractStructureView.as_view(),
         name="contract-structure"),
    path("contracten/<int:pk>/jaarwaarden/nieuw/", views.ContractValueCreateView.as_view(),
         name="value-create"),
    path("contracten/<int:pk>/jaarwaarden/<int:child>/", views.ContractValueUpdateView.as_view(),
         name="value-update"),
    path("contracten/<int:pk>/opties/nieuw/", views.ContractOptionCreateView.as_view(),
         name="option-create"),
    path("contracten/<int:pk>/opties/<int:child>/", views.ContractOptionUpdateView.as_view(),
         name="option-update"),
    path("contracten/<int:pk>/onderaannemingen/nieuw/", views.SubcontractCreateView.as_view(),
         name="subcontract-create"),
    path("contracten/<int:pk>/onderaannemingen/<int:child>/",
         views.SubcontractUpdateView.as_view(), name="subcontract-update"),
    path("contracten/<int:pk>/wijkteams/nieuw/", views.DistrictTeamCreateView.as_view(),
         name="team-create"),
    path("contracten/<int:pk>/wijkteams/<int:child>/", views.DistrictTeamUpdateView.as_view(),
         name="team-update"),
    path("landschap/", views.LandscapeView.as_view(), name="landscape"),
    path("landschap/landschap.csv", views.LandscapeCsvView.as_view(), name="landscape-csv"),
]  # fmt: skip
