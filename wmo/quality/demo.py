"""Demo survey responses and complaints, 2020 Q1 until the last completed quarter.

Deterministic for a given random.Random and idempotent: every demo record has an id starting
with `DEMO-`, and a run replaces the previous run's demo records (other records are untouched;
plain SQL, see wmo.imports.demo_rows). Rows go in by COPY on PostgreSQL, without model instances.
Responses and complaints are drawn from the existing referrals (their wijk, voorziening and
delivering provider, dated after the start of support), about 1 response per 8 referrals and
1 complaint per 150; without referrals, from providers × wijken × voorzieningen in modest fixed
numbers. Responses about the buurtteam (no voorziening, no provider) are drawn from the buurtteam
cases (their wijk and team, dated after registration), about 1 per 10 cases; without cases, a
fixed number over the buurtteams in their own wijk."""

import datetime
import random
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from districts.models import Buurtteam, District
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.imports.database import copy_rows
from wmo.imports.demo_rows import clear_demo_rows
from wmo.referrals.models import BuurtteamCase, Referral

from .models import Complaint, SurveyResponse

FIRST_DAY = datetime.date(2020, 1, 1)
SURVEY_PREFIX = "DEMO-E"
COMPLAINT_PREFIX = "DEMO-K"
BUURTTEAM_SURVEY_PREFIX = "DEMO-B"
REFERRALS_PER_RESPONSE = 8
REFERRALS_PER_COMPLAINT = 150
FALLBACK_RESPONSES = 2_000
FALLBACK_COMPLAINTS = 120
CASES_PER_BUURTTEAM_RESPONSE = 10
FALLBACK_BUURTTEAM_RESPONSES = 300
SURVEY_COLUMNS = ["external_id", "date", "district_id", "about_buurtteam", "service_type_id",
                  "provider_id", "team_id", "q_solution", "q_self_reliance"]  # fmt: skip
COMPLAINT_COLUMNS = ["external_id", "provider_id", "service_type_id", "district_id",
                     "received_date", "resolved_date"]  # fmt: skip

ANSWERS = [None, 1, 2, 3, 4, 5]
SOLUTION_WEIGHTS = [6, 3, 5, 12, 44, 30]
SELF_RELIANCE_WEIGHTS = [10, 4, 8, 18, 38, 22]
# The buurtteam is close by and quick: a little more positive on finding a solution together.
BUURTTEAM_SOLUTION_WEIGHTS = [5, 2, 4, 10, 46, 33]
BUURTTEAM_SELF_RELIANCE_WEIGHTS = [9, 3, 7, 17, 40, 24]


def last_completed_quarter_end(today: datetime.date) -> datetime.date:
    first_month = 3 * ((today.month - 1) // 3) + 1
    return datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _answer(rng: random.Random, weights: list[int], bias: float) -> int | None:
    value = rng.choices(ANSWERS, weights)[0]
    if value is not None and rng.random() < abs(bias):
        value = min(5, max(1, value + (1 if bias > 0 else -1)))
    return value


def _combinations(end: datetime.date):
    """(district_id, service_type_id, provider_id, first possible date) to draw from."""
    rows = list(
        # Survey answers and complaints name a wijk: U16 referrals from outside Utrecht have none.
        Referral.objects.filter(
            start_date__isnull=False, start_date__lte=end, district__isnull=False
        )
        .order_by("pk")
        .values_list("district_id", "service_type_id", "provider_id", "start_date")
    )
    if rows:
        return [(d, s, p, max(start, FIRST_DAY)) for d, s, p, start in rows]
    districts = list(District.objects.order_by("code").values_list("pk", flat=True))
    services = list(ServiceType.objects.order_by("code").values_list("pk", flat=True))
    providers = list(Provider.objects.order_by("agb_code").values_list("pk", flat=True))
    if not (districts and services and providers):
        return []
    return [(d, s, p, FIRST_DAY) for d in districts for s in services for p in providers]


def _buurtteam_combinations(end: datetime.date):
    """(district_id, team_id, first possible date) to draw buurtteam responses from, and how
    many to draw."""
    rows = list(
        BuurtteamCase.objects.filter(registration_date__lte=end)
        .order_by("pk")
        .values_list("district_id", "buurtteam_id", "registration_date")
    )
    if rows:
        combinations = [(d, t, max(day, FIRST_DAY)) for d, t, day in rows]
        return combinations, len(rows) // CASES_PER_BUURTTEAM_RESPONSE
    teams = list(Buurtteam.objects.order_by("code").values_list("district_id", "pk"))
    return [(d, t, FIRST_DAY) for d, t in teams], FALLBACK_BUURTTEAM_RESPONSES if teams else 0


def _buurtteam_rows(rng: random.Random, end: datetime.date) -> list[tuple]:
    combinations, count = _buurtteam_combinations(end)
    rows = []
    for index in range(count):
        district, team, first = rng.choice(combinations)
        day = first + datetime.timedelta(days=rng.randint(30, 200))
        if day > end:
            day = _day_between(rng, first, end)
        rows.append((
            f"{BUURTTEAM_SURVEY_PREFIX}{index + 1:06d}", day, district, True, None, None,
            team if rng.random() < 0.8 else None,  # not every questionnaire names the team
            _answer(rng, BUURTTEAM_SOLUTION_WEIGHTS, 0.0),
            _answer(rng, BUURTTEAM_SELF_RELIANCE_WEIGHTS, 0.0),
        ))  # fmt: skip
    return rows


def seed_quality(rng: random.Random, referral_count: int | None = None,
                 today: datetime.date | None = None) -> dict[str, int]:  # fmt: skip
    """Replace the demo survey responses and complaints; return how many were written."""
    end = last_completed_quarter_end(today or timezone.localdate())
    combinations = _combinations(end)
    if referral_count is None:
        referral_count = Referral.objects.count()
    if referral_count:
        responses = referral_count // REFERRALS_PER_RESPONSE
        complaints = referral_count // REFERRALS_PER_COMPLAINT
    else:
        responses, complaints = FALLBACK_RESPONSES, FALLBACK_COMPLAINTS
    if not combinations:
        responses = complaints = 0
    # Some providers do better than others: a fixed bias per provider, in provider order.
    provider_ids = sorted({c[2] for c in combinations})
    bias = {pk: rng.uniform(-0.35, 0.25) for pk in provider_ids}

    survey_rows = []
    for index in range(responses):
        district, service, provider, first = rng.choice(combinations)
        day = first + datetime.timedelta(days=rng.randint(30, 300))
        if day > end:
            day = _day_between(rng, first, end)
        survey_rows.append((
            f"{SURVEY_PREFIX}{index + 1:06d}", day, district, False, service, provider, None,
            _answer(rng, SOLUTION_WEIGHTS, bias[provider]),
            _answer(rng, SELF_RELIANCE_WEIGHTS, bias[provider]),
        ))  # fmt: skip

    complaint_rows = []
    cumulative = list(accumulate(1.0 + 4 * max(0.0, -bias[c[2]]) for c in combinations))
    for index in range(complaints):
        district, service, provider, first = rng.choices(combinations, cum_weights=cumulative)[0]
        received = first + datetime.timedelta(days=rng.randint(7, 200))
        if received > end:
            received = _day_between(rng, first, end)
        resolved = None
        if rng.random() < 0.9:
            resolved = received + datetime.timedelta(
                days=min(180, 1 + int(rng.expovariate(1 / 28)))
            )
            if resolved > end:
                resolved = None  # still open at the end of the last completed quarter
        complaint_rows.append((f"{COMPLAINT_PREFIX}{index + 1:05d}", provider, service,
                               district, received, resolved))  # fmt: skip

    buurtteam_rows = _buurtteam_rows(rng, end)

    with transaction.atomic():
        clear_demo_rows(SurveyResponse, SURVEY_PREFIX)
        clear_demo_rows(SurveyResponse, BUURTTEAM_SURVEY_PREFIX)
        clear_demo_rows(Complaint, COMPLAINT_PREFIX)
        copy_rows(SurveyResponse, SURVEY_COLUMNS, survey_rows + buurtteam_rows)
        copy_rows(Complaint, COMPLAINT_COLUMNS, complaint_rows)
    return {"survey_responses": len(survey_rows), "buurtteam_responses": len(buurtteam_rows),
            "complaints": len(complaint_rows)}  # fmt: skip
