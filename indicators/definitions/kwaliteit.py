"""Kwaliteit: Ervaringwijzer answers (4 and 5 are positive) and complaints. Survey and complaint
records name the delivering provider only, so there is no contractor level here.

Groups written: every group bereik wrote at that level (system, every wijk, and each group with a
referral that counts in Q), plus any group with a survey answer or a complaint in Q. There
`complaints` and the answer counts `exp_*_n` are 0 when none came in; `complaints_per_100_clients`
is 0.0 where the group has clients in care, empty where it has none; the answer shares and the
median handling time stay empty without answers or resolved complaints."""

from django.db.models import Count, F, Q

from wmo.quality.models import Complaint, SurveyResponse

from ..rounding import ratio
from .base import (
    QUALITY_LEVELS,
    DayNumber,
    IndicatorDef,
    Kind,
    Value,
    grouped_levels,
    medians,
    rounded,
)

FAMILY = "kwaliteit"
INDICATORS = [
    IndicatorDef("exp_solution_pct", FAMILY, Kind.PERCENTAGE,
                 "Samen tot een oplossing gekomen (positief)", QUALITY_LEVELS, "%"),
    IndicatorDef("exp_solution_n", FAMILY, Kind.COUNT, "Antwoorden 'samen tot een oplossing'",
                 QUALITY_LEVELS, "antwoorden"),
    IndicatorDef("exp_self_reliance_pct", FAMILY, Kind.PERCENTAGE,
                 "Beter redden door de ondersteuning (positief)", QUALITY_LEVELS, "%"),
    IndicatorDef("exp_self_reliance_n", FAMILY, Kind.COUNT, "Antwoorden 'beter redden'",
                 QUALITY_LEVELS, "antwoorden"),
    IndicatorDef("complaints", FAMILY, Kind.COUNT, "Klachten", QUALITY_LEVELS, "klachten"),
    IndicatorDef("complaints_per_100_clients", FAMILY, Kind.RATE, "Klachten per 100 cliënten",
                 QUALITY_LEVELS, "per 100"),
    IndicatorDef("median_complaint_days", FAMILY, Kind.MEDIAN, "Mediane afhandeltermijn klachten",
                 QUALITY_LEVELS, "dagen"),
]  # fmt: skip

POSITIVE = (4, 5)


def compute(context) -> list[Value]:
    period = context.period
    in_q = {"date__gte": period.start, "date__lte": period.end}
    surveys = SurveyResponse.objects.filter(**in_q)
    complaints_received = Complaint.objects.filter(
        received_date__gte=period.start, received_date__lte=period.end
    )
    resolved = Complaint.objects.filter(
        resolved_date__gte=period.start, resolved_date__lte=period.end
    )
    handling_days = DayNumber(F("resolved_date")) - DayNumber(F("received_date"))
    codes = context.codes
    answers = grouped_levels(
        surveys, QUALITY_LEVELS, codes,
        sol_n=Count("pk", filter=Q(q_solution__isnull=False)),
        sol_pos=Count("pk", filter=Q(q_solution__in=POSITIVE)),
        rel_n=Count("pk", filter=Q(q_self_reliance__isnull=False)),
        rel_pos=Count("pk", filter=Q(q_self_reliance__in=POSITIVE)),
    )  # fmt: skip
    received = grouped_levels(complaints_received, QUALITY_LEVELS, codes, n=Count("pk"))
    resolved_n = grouped_levels(resolved, QUALITY_LEVELS, codes, n=Count("pk"))
    handling = medians(resolved, QUALITY_LEVELS, handling_days, codes)
    values = []
    for level in QUALITY_LEVELS:
        keys = (context.keys_with(level, "clients_in_care") | set(answers[level])
                | set(received[level]) | set(resolved_n[level]))  # fmt: skip
        for key in sorted(keys):
            a = {name: (answers[level].get(key) or {}).get(name) or 0
                 for name in ("sol_n", "sol_pos", "rel_n", "rel_pos")}  # fmt: skip
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
                Value(level, key, "median_complaint_days", rounded(handling[level].get(key)),
                      None, (resolved_n[level].get(key) or {}).get("n") or 0),
            ]  # fmt: skip
    return values
