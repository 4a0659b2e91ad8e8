"""Diversiteit — the council motion's question: how much support do small and resident or
target-group organisations deliver, and how many providers are active?

Groups written: system, every wijk, and each voorziening, aanbieder, wijk × voorziening and
opdrachtnemer with a referral that counts in Q (base.py): the counts are 0 there when nothing is
in care, `small_org_share` is empty then (no referrals in care to share out)."""

from django.db.models import Count, Q

# Labels and units are marked here and translated where they are shown (selectors.cells).
from django.utils.translation import gettext_noop as _

from providers.models import Provider, ProviderKind
from providers.services import provider_sizes

from ..rounding import ratio
from .base import ALL_LEVELS, IndicatorDef, Kind, Value, every_area
from .referral_sets import in_care, referral_counts

FAMILY = "diversiteit"
INDICATORS = [
    IndicatorDef("referrals_in_care", FAMILY, Kind.COUNT, _("Verwijzingen in zorg"), ALL_LEVELS,
                 _("verwijzingen")),
    IndicatorDef("small_org_share", FAMILY, Kind.PERCENTAGE,
                 _("Aandeel kleine en bewoners-/doelgroeporganisaties"), ALL_LEVELS, "%"),
    IndicatorDef("providers_active", FAMILY, Kind.COUNT, _("Actieve aanbieders"), ALL_LEVELS,
                 _("aanbieders")),
]  # fmt: skip


def small_or_resident_provider_ids(year: int) -> list[int]:
    """Providers classed small in `year` (or by override), plus every resident/target-group org."""
    providers = list(Provider.objects.only("id", "kind", "size_override"))
    sizes = provider_sizes(year, providers)
    return [
        p.id for p in providers if p.kind == ProviderKind.RESIDENT_ORG or sizes.get(p.id) == "small"
    ]


def referral_measures(context):
    """What diversiteit counts in the run's one pass over the period's referrals (referral_counts):
    referrals in care, those of small or resident organisations, and the providers among them."""
    care = in_care(context.period)
    small = small_or_resident_provider_ids(context.period.end.year)
    measures = {"in_care_n": Count("pk", filter=care),
                "small_n": Count("pk", filter=care & Q(provider_id__in=small))}  # fmt: skip
    return measures, {"providers_n": ("provider_id", "in_care_n")}


def compute(context) -> list[Value]:
    values = []
    by_level = referral_counts(context)
    every_area(by_level, context.codes)
    for level, groups in by_level.items():
        for key, row in groups.items():
            n, small_n = row.get("in_care_n") or 0, row.get("small_n") or 0
            values += [
                Value(level, key, "referrals_in_care", n),
                Value(level, key, "small_org_share", ratio(small_n, n, 100), small_n, n),
                Value(level, key, "providers_active", row.get("providers_n") or 0),
            ]
    return values
