from wmo.api.routers import ApiRouter

from .views import IndicatorRunViewSet, IndicatorValueViewSet

# Included by string from wmo/urls.py, so nothing imports the indicators app.
router = ApiRouter()
router.register("indicatoren", IndicatorValueViewSet, basename="indicator")
router.register("indicatorberekeningen", IndicatorRunViewSet, basename="indicatorberekening")

urlpatterns = router.urls
