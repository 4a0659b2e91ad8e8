from wmo.api.routers import ApiRouter

from .budget import BudgetViewSet
from .budget_lines import BudgetLineViewSet
from .transition import TransitionViewSet
from .views import IndicatorRunViewSet, IndicatorValueViewSet

# Included by string from wmo/urls.py, so nothing imports the indicators app.
router = ApiRouter()
router.register("indicatoren", IndicatorValueViewSet, basename="indicator")
router.register("begroting", BudgetViewSet, basename="begroting")
router.register("begrotingsregels", BudgetLineViewSet, basename="begrotingsregel")
router.register("overgang", TransitionViewSet, basename="overgang")
router.register("indicatorberekeningen", IndicatorRunViewSet, basename="indicatorberekening")

urlpatterns = router.urls
