"""Kwaliteit: Ervaringwijzer answers (4 and 5 are positive) and complaints.

Survey responses about aanvullende zorg and complaints name the delivering provider. At the
`contractor` level a record counts for the party that held the contract for that provider's work
on the record's date (INDICATORS.md, Levels): the main contractor of the subcontract in force
then (`Subcontract.objects.in_force_on`, the one rule of providers/terms.py) under which the
provider delivers the record's voorziening in the record's wijk, otherwise the provider itself.
A complaint's date for this is its receipt, also for the handling time: one complaint has one
contractor. The database finds the contractor per record in the grouping query itself.

Responses about the buurtteam (`about_buurtteam`: no voorziening, no provider) are the
buurtteam's own Ervaringwijzer: `bt_exp_*`, levels system and wijk, never mixed into `exp_*`.

Groups written: every group bereik wrote at that level (system, every wijk, and each group with a
referral that counts in Q), plus any group with a survey answer or a complaint in Q. There
`complaints` and the answer counts `exp_*_n` are 0 when none came in; `complaints_per_100_clients`
is 0.0 where the group has clients in care, empty where it has none; the answer shares and the
median handling time stay empty without answers or resolved complaints. `bt_exp_*` are written
for the system and every wijk (counts 0, shares empty without answers)."""

from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

# Labels and units are marked here and translated where they are shown (selectors.cells).
from django.utils.translation import gettext_noop as _

from providers.models import Contract, Subcontract
from wmo.quality.models import POSITIVE_ANSWERS, Complaint, SurveyResponse

from ..rounding import ratio
from .base import (
    AREA_LEVELS,
    QUALITY_LEVELS,
    DayNumber,
    IndicatorDef,
    Kind,
    Value,
    every_area,
    grouped,
    grouped_levels,
    medians,
    rounded,
)

FAMILY = "kwaliteit"
# The buurtteam's own answers belong with the other objective III figures.
BUURTTEAM_FAMILY = "buurtteam"
INDICATORS = [
    IndicatorDef("exp_solution_pct", FAMILY, Kind.PERCENTAGE,
                 _("Samen tot een oplossing gekomen (positief)"), QUALITY_LEVELS, "%",
                 over_time=True),
    IndicatorDef("exp_solution_n", FAMILY, Kind.COUNT, _("Antwoorden 'samen tot een oplossing'"),
                 QUALITY_LEVELS, _("antwoorden"), over_time=True),
    IndicatorDef("exp_self_reliance_pct", FAMILY, Kind.PERCENTAGE,
                 _("Beter redden door de ondersteuning (positief)"), QUALITY_LEVELS, "%",
                 over_time=True),
    IndicatorDef("exp_self_reliance_n", FAMILY, Kind.COUNT, _("Antwoorden 'beter redden'"),
                 QUALITY_LEVELS, _("antwoorden"), over_time=True),
    IndicatorDef("complaints", FAMILY, Kind.COUNT, _("Klachten"), QUALITY_LEVELS, _("klachten"),
                 over_time=True),
    IndicatorDef("complaints_per_100_clients", FAMILY, Kind.RATE, _("Klachten per 100 cliënten"),
                 QUALITY_LEVELS, _("per 100"), per=100),
    IndicatorDef("median_complaint_days", FAMILY, Kind.MEDIAN, _("Mediane afhandeltermijn klachten"),
                 QUALITY_LEVELS, _("dagen")),
    IndicatorDef("bt_exp_solution_pct", BUURTTEAM_FAMILY, Kind.PERCENTAGE,
                 _("Buurtteam: samen tot een oplossing gekomen (positief)"), AREA_LEVELS, "%",
                 over_time=True),
    IndicatorDef("bt_exp_solution_n", BUURTTEAM_FAMILY, Kind.COUNT,
                 _("Buurtteam: antwoorden 'samen tot een oplossing'"), AREA_LEVELS, _("antwoorden"),
                 over_time=True),
    IndicatorDef("bt_exp_self_reliance_pct", BUURTTEAM_FAMILY, Kind.PERCENTAGE,
                 _("Buurtteam: beter redden door de ondersteuning (positief)"), AREA_LEVELS, "%",
                 over_time=True),
    IndicatorDef("bt_exp_self_reliance_n", BUURTTEAM_FAMILY, Kind.COUNT,
                 _("Buurtteam: antwoorden 'beter redden'"), AREA_LEVELS, _("antwoorden"),
                 over_time=True),
]  # fmt: skip

# Every level but `contractor` groups by the record's own columns.
RECORD_LEVELS = tuple(level for level in QUALITY_LEVELS if level != "contractor")
ANSWERS = {
    "sol_n": Count("pk", filter=Q(q_solution__isnull=False)),
    "sol_pos": Count("pk", filter=Q(q_solution__in=POSITIVE_ANSWERS)),
    "rel_n": Count("pk", filter=Q(q_self_reliance__isnull=False)),
    "rel_pos": Count("pk", filter=Q(q_self_reliance__in=POSITIVE_ANSWERS)),
}


def contractor_on(date_field: str) -> Coalesce:
    """The contracting party for the record's provider on the record's `date_field`: the main
    contractor of a subcontract in force that day whose contract covers the record's voorziening
    and wijk, and which is not limited to other voorzieningen or wijken (an empty list on the
    subcontract: all of the contract's, as in wmo/referrals/contracts.py); otherwise the
    provider. Should two subcontracts fit (the data allow it), the most recent one counts."""
    service, district = OuterRef(OuterRef("service_type_id")), OuterRef(OuterRef("district_id"))
    sub_services = Subcontract.service_types.through.objects.filter(subcontract_id=OuterRef("pk"))
    sub_districts = Subcontract.districts.through.objects.filter(subcontract_id=OuterRef("pk"))
    contract_services = Contract.service_types.through.objects.filter(
        contract_id=OuterRef("contract_id"), servicetype_id=service
    )
    contract_districts = Contract.districts.through.objects.filter(
        contract_id=OuterRef("contract_id"), district_id=district
    )
    holder = (
        Subcontract.objects.in_force_on(OuterRef(date_field))
        .filter(subcontractor_id=OuterRef("provider_id"))
        .filter(Exists(contract_services))
        .filter(Q(contract__city_wide=True) | Exists(contract_districts))
        .filter(~Exists(sub_services) | Exists(sub_services.filter(servicetype_id=service)))
        .filter(~Exists(sub_districts) | Exists(sub_districts.filter(district_id=district)))
        .order_by("-start_date", "-pk")
        .values("contract__contractor_id")[:1]
    )
    return Coalesce(Subquery(holder), F("provider_id"), output_field=BigIntegerField())


def by_level(queryset, date_field: str, codes, **aggregates) -> dict[str, dict[str, dict]]:
    """level -> level_key -> aggregates at every level, the contractor found per record."""
    result = grouped_levels(queryset, RECORD_LEVELS, codes, **aggregates)
    with_contractor = queryset.annotate(contractor_id=contractor_on(date_field))
    result["contractor"] = grouped(with_contractor, "contractor", codes, **aggregates)
    return result


def median_days(resolved, codes) -> dict:
    handling_days = DayNumber(F("resolved_date")) - DayNumber(F("received_date"))
    result = medians(resolved, RECORD_LEVELS, handling_days, codes)
    with_contractor = resolved.annotate(contractor_id=contractor_on("received_date"))
    result.update(medians(with_contractor, ("contractor",), handling_days, codes))
    return result


def _answer_counts(groups: dict, key: str) -> dict[str, int]:
    return {name: (groups.get(key) or {}).get(name) or 0 for name in ANSWERS}


def buurtteam_experience(grouped: dict, codes) -> list[Value]:
    """bt_exp_*: the same two questions over the responses about the buurtteam (`grouped`:
    their answers counted per area level)."""
    answers = every_area(grouped, codes)
    values = []
    for level in AREA_LEVELS:
        for key in sorted(answers[level]):
            a = _answer_counts(answers[level], key)
            values += [
                Value(level, key, "bt_exp_solution_pct", ratio(a["sol_pos"], a["sol_n"], 100),
                      a["sol_pos"], a["sol_n"]),
                Value(level, key, "bt_exp_solution_n", a["sol_n"]),
                Value(level, key, "bt_exp_self_reliance_pct",
                      ratio(a["rel_pos"], a["rel_n"], 100), a["rel_pos"], a["rel_n"]),
                Value(level, key, "bt_exp_self_reliance_n", a["rel_n"]),
            ]  # fmt: skip
    return values


@dataclass
class Read:
    """What the family reads from the database for a period, before it combines it with the
    people in care that bereik computed (`combine`)."""

    answers: dict
    received: dict
    resolved_n: dict
    handling: dict
    buurtteam_answers: dict


def read(context) -> Read:
    """The family's queries; they need nothing an earlier family computed, so they may run on a
    second connection beside the others (indicators/services.py, BESIDE)."""
    period = context.period
    in_q = SurveyResponse.objects.filter(date__gte=period.start, date__lte=period.end)
    complaints_received = Complaint.objects.filter(
        received_date__gte=period.start, received_date__lte=period.end
    )
    resolved = Complaint.objects.filter(
        resolved_date__gte=period.start, resolved_date__lte=period.end
    )
    codes = context.codes
    return Read(
        answers=by_level(in_q.filter(about_buurtteam=False), "date", codes, **ANSWERS),
        received=by_level(complaints_received, "received_date", codes, n=Count("pk")),
        resolved_n=by_level(resolved, "received_date", codes, n=Count("pk")),
        handling=median_days(resolved, codes),
        buurtteam_answers=grouped_levels(
            in_q.filter(about_buurtteam=True), AREA_LEVELS, codes, **ANSWERS
        ),
    )


def combine(context, found: Read) -> list[Value]:
    """The values: what `read` found, with the people in care per group from bereik."""
    answers, received, resolved_n = found.answers, found.received, found.resolved_n
    in_care_keys: dict[str, set[str]] = {level: set() for level in QUALITY_LEVELS}
    for level, key, indicator in context.results:
        if indicator == "clients_in_care" and level in in_care_keys:
            in_care_keys[level].add(key)
    values = []
    for level in QUALITY_LEVELS:
        keys = (in_care_keys[level] | set(answers[level])
                | set(received[level]) | set(resolved_n[level]))  # fmt: skip
        for key in sorted(keys):
            a = _answer_counts(answers[level], key)
            complaints = (received[level].get(key) or {}).get("n") or 0
            clients = context.results.get((level, key, "clients_in_care"))
            clients_n = int(clients.value) if clients is not None else 0
            values += [
                Value(level, key, "exp_solution_pct", ratio(a["sol_pos"], a["sol_n"], 100),
                      a["sol_pos"], a["sol_n"]),
                Value(level, key, "exp_solution_n", a["sol_n"]),
                Value(level, key, "exp_self_reliance_pct", ratio(a["rel_pos"], a["rel_n"], 100),
                      a["rel_pos"], a["rel_n"]),
                Value(level, key, "exp_self_reliance_n", a["rel_n"]),
                Value(level, key, "complaints", complaints),
                Value(level, key, "complaints_per_100_clients", ratio(complaints, clients_n, 100),
                      complaints, clients_n),
                Value(level, key, "median_complaint_days", rounded(found.handling[level].get(key)),
                      None, (resolved_n[level].get(key) or {}).get("n") or 0),
            ]  # fmt: skip
    return values + buurtteam_experience(found.buurtteam_answers, context.codes)


def compute(context) -> list[Value]:
    return combine(context, read(context))
