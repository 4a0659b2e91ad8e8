from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView

from districts.api.views import BuurtteamViewSet, DistrictViewSet, MunicipalityViewSet
from procurement.api.views import MilestoneViewSet, MotionViewSet, TenderViewSet
from providers.api.views import (
    ConsortiumViewSet,
    ContractViewSet,
    ProviderViewSet,
    SubcontractViewSet,
)
from wmo.api.exceptions import api_not_found
from wmo.api.routers import ApiRouter
from wmo.finance.api.views import SpendBookingViewSet
from wmo.quality.api.views import ComplaintViewSet, SurveyResponseViewSet
from wmo.referrals.api.views import BuurtteamCaseViewSet, ReferralViewSet, ServiceTypeViewSet

from .health import healthz
from .views import HomeView

router = ApiRouter()
router.register("wijken", DistrictViewSet, basename="wijk")
router.register("buurtteams", BuurtteamViewSet, basename="buurtteam")
router.register("gemeenten", MunicipalityViewSet, basename="gemeente")
router.register("voorzieningen", ServiceTypeViewSet, basename="voorziening")
router.register("verwijzingen", ReferralViewSet, basename="verwijzing")
router.register("casussen", BuurtteamCaseViewSet, basename="casus")
router.register("aanbieders", ProviderViewSet, basename="aanbieder")
router.register("consortia", ConsortiumViewSet, basename="consortium")
router.register("contracten", ContractViewSet, basename="contract")
router.register("onderaannemingen", SubcontractViewSet, basename="onderaanneming")
router.register("aanbestedingen", TenderViewSet, basename="aanbesteding")
router.register("mijlpalen", MilestoneViewSet, basename="mijlpaal")
router.register("moties", MotionViewSet, basename="motie")
router.register("ervaringen", SurveyResponseViewSet, basename="ervaring")
router.register("klachten", ComplaintViewSet, basename="klacht")
router.register("uitgavenboekingen", SpendBookingViewSet, basename="uitgavenboeking")

REDOC_POLICY = {
    "style-src": [SELF, UNSAFE_INLINE],
    "worker-src": [SELF, "blob:"],
    "img-src": [SELF, "data:", "https://cdn.redoc.ly"],
}

api_v1 = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="api-schema"),
    # The documentation is ReDoc alone: axe finds no violation in it, while Swagger UI's own
    # markup puts links inside buttons (nested-interactive) and has low-contrast labels, which a
    # page of ours cannot change (issue 18). ReDoc styles itself with injected <style> elements,
    # searches in a blob: worker and shows Redocly's logo from their CDN; this page alone allows
    # those. Its scripts stay as strict as everywhere else.
    path(
        "docs",
        csp_replace(REDOC_POLICY)(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-docs",
    ),
    *router.urls,
    path("", include("indicators.api.urls")),
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("account/", include("wmo.accounts.urls")),
    path("wijken/", include("districts.urls")),
    path("", include("providers.urls")),  # aanbieders/, consortia/, contracten/, landschap/
    path("aanbesteding/", include("procurement.urls")),
    path("normen/", include("wmo.catalogue.urls")),
    path("verwijzingen/", include("wmo.referrals.urls")),
    path("kwaliteit/", include("wmo.quality.urls")),
    path("uitgaven/", include("wmo.finance.urls")),
    path("importen/", include("wmo.imports.urls")),
    path("rapportage/", include("indicators.reports.urls")),
    path("dashboard/", include("indicators.dashboards.urls")),
    path("taal/", set_language, name="set_language"),
    # The translations our scripts use (static/js; gettext() there), for the active language.
    path("taal/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # Anything else under /api/ (a trailing slash included) is a problem+json 404; a regex
    # prefix, as <path:…> does not match a line break in the path.
    re_path(r"^api/", api_not_found),
]


# Error pages in the house style; problem+json under /api/ (wmo/errors.py).
handler400 = "wmo.errors.bad_request"
handler403 = "wmo.errors.permission_denied"
handler404 = "wmo.errors.page_not_found"
handler500 = "wmo.errors.server_error"
