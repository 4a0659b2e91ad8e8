from django.urls import path, register_converter

from wmo.periods.web import QuarterConverter

from . import views

app_name = "reports"
# `<quarter:…>` hands the view a Quarter; anything else in its place is a 404.
register_converter(QuarterConverter, "quarter")

urlpatterns = [
    path("begroting/", views.BudgetView.as_view(), name="budget"),
    path("begroting/begroting.csv", views.BudgetExportView.as_view(fmt="csv"), name="budget-csv"),
    path("begroting/begroting.xlsx", views.BudgetExportView.as_view(fmt="xlsx"), name="budget-xlsx"),
    path("begroting/regels/", views.BudgetLinesView.as_view(), name="budget-lines"),
    path("begroting/regels/jaar/", views.BudgetYearAddView.as_view(), name="budget-year-add"),
    path("begroting/regels/<str:objective>/<str:line>/", views.BudgetLineEditView.as_view(),
         name="budget-line-edit"),
    path("organisaties/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisaties/<str:niveau>/<str:agb_code>/", views.OrganisationView.as_view(),
         name="organisation"),
    path("organisaties/<str:niveau>/<str:agb_code>/organisatie.csv",
         views.OrganisationExportView.as_view(fmt="csv"), name="organisation-csv"),
    path("organisaties/<str:niveau>/<str:agb_code>/organisatie.xlsx",
         views.OrganisationExportView.as_view(fmt="xlsx"), name="organisation-xlsx"),
    path("kwartaalrapportage/", views.QuarterlyReportView.as_view(), name="quarterly"),
    path("kwartaalrapportage/<quarter:quarter>.pdf", views.QuarterlyReportPdfView.as_view(),
         name="quarterly-pdf"),
    path("kwartaalrapportage/<quarter:quarter>/raad.pdf",
         views.QuarterlyReportPdfView.as_view(council_version=True), name="quarterly-pdf-council"),
]  # fmt: skip
