"""Kwaliteit: Ervaringwijzer answers (4 and 5 are positive) and complaints. Survey and complaint
records name the delivering provider only, so there is no contractor level here."""

from django.db.models import Count, F, Q

from wmo.quality.models import Complaint, SurveyResponse

from ..rounding import median_from_histogram, ratio, round_one_decimal
from .base import QUALITY_LEVELS, DayNumber, IndicatorDef, Kind, Value, grouped, histogram

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
    quarter = context.quarter
    in_q = {"date__gte": quarter.start, "date__lte": quarter.end}
    surveys = SurveyResponse.objects.filter(**in_q)
    complaints_received = Complaint.objects.filter(
        received_date__gte=quarter.start, received_date__lte=quarter.end
    )
    resolved = Complaint.objects.filter(
        resolved_date__gte=quarter.start, resolved_date__lte=quarter.end
    )
    handling_days = DayNumber(F("resolved_date")) - DayNumber(F("received_date"))
    values = []
    for level in QUALITY_LEVELS:
        answers = grouped(
            surveys,
            level,
            sol_n=Count("pk", filter=Q(q_solution__isnull=False)),
            sol_pos=Count("pk", filter=Q(q_solution__in=POSITIVE)),
            rel_n=Count("pk", filter=Q(q_self_reliance__isnull=False)),
            rel_pos=Count("pk", filter=Q(q_self_reliance__in=POSITIVE)),
        )
        received = grouped(complaints_received, level, n=Count("pk"))
        durations = histogram(resolved, level, handling_days)
        resolved_n = {key: sum(h.values()) for key, h in durations.items()}
        for key in sorted(set(answers) | set(received) | set(durations)):
            a = answers.get(key, {})
            complaints = (received.get(key) or {}).get("n") or 0
            clients = context.results.get((level, key, "clients_in_care"))
            clients_n = clients.value if clients is not None else 0
            median = median_from_histogram(durations.get(key, {}))
            values += [
                Value(level, key, "exp_solution_pct", ratio(a.get("sol_pos") or 0, a.get("sol_n") or 0, 100),
                      a.get("sol_pos") or 0, a.get("sol_n") or 0),
                Value(level, key, "exp_solution_n", a.get("sol_n") or 0),
                Value(level, key, "exp_self_reliance_pct",
                      ratio(a.get("rel_pos") or 0, a.get("rel_n") or 0, 100),
                      a.get("rel_pos") or 0, a.get("rel_n") or 0),
                Value(level, key, "exp_self_reliance_n", a.get("rel_n") or 0),
                Value(level, key, "complaints", complaints),
                Value(level, key, "complaints_per_100_clients", ratio(complaints, int(clients_n or 0), 100),
                      complaints, int(clients_n or 0)),
                Value(level, key, "median_complaint_days",
                      round_one_decimal(median) if median is not None else None, None,
                      resolved_n.get(key, 0)),
            ]  # fmt: skip
    return values
