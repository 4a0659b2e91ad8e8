"""schemathesis against the app's own OpenAPI schema (/api/v1/openapi.json): every operation,
as each role, with a DRF token per signed-in role.

Every answer must be no server error, have a documented status code and content type and a
body that matches the documented schema; anonymous never gets a 2xx; every error says what is
wrong in Dutch. Generation is deterministic (fixed seed, derandomized) and bounded: schemathesis'
coverage phase (boundary, missing and wrongly typed values, unexpected methods) plus
`MAX_EXAMPLES` positive and negative fuzzing examples per operation, with known troublemakers
(64-bit overflows, NUL bytes, 20,000 characters) mixed in. An operation the role may not use at
all (every operation for anonymous; for council members and buurtteam workers the writes and
the reads of what they may not see: `REFUSED`) is refused whatever it is sent, before its input
is read: there `REFUSED_EXAMPLES` examples without the coverage phase show the refusal (never a
2xx), and the inputs themselves are fuzzed as the roles that may use the operation.

The requests go in-process to the WSGI app, on realistic demo data (providers, contracts,
consortium, tender, referrals, cases, survey answers, complaints, indicator values). Path
parameters, reference fields in bodies and filters are drawn from keys that exist much of the
time, and bodies that need agreeing fields get them from an existing record, so GET-by-id,
PUT, registrations and transitions reach real objects, and a name sent twice meets the
uniqueness rules.

Isolation: one test per role, in the transaction of pytest-django's `db`; a savepoint per
operation, rolled back when the next starts, so what one operation's examples create or delete
does not leak into the next; and a savepoint per request, as a request has its own transaction
in production (a request the database refuses rolls back alone). Throttling is off here."""

import datetime
import json
import random
import re
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.views import APIView
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.access import ROLES
from tests.conftest import ARTIFACTS_DIR
from tests.factories import make_user

# The coverage phase sends a 20,000-character session cookie too; werkzeug warns, rightly.
pytestmark = pytest.mark.filterwarnings("ignore:The 'sessionid' cookie is too large")

COMMITTED_SCHEMA = Path(__file__).resolve().parents[2] / "wmo" / "api" / "openapi.json"
MAX_EXAMPLES = 10
REFUSED_EXAMPLES = 2
WRITES = r"(?i)^(post|put|patch|delete)$"


def reads(*resources: str) -> dict:
    """A filter for the GET operations on these resources. By name ("GET /api/v1/…"): two
    include filters in one entry would be either-or."""
    return {"include-name-regex": rf"^GET /api/v1/({'|'.join(resources)})(/|$)"}


# role -> the operations it may not use, as schemathesis operation filters (refused when one of
# them matches): writes, and the reads of what the role does not see (residents' records and
# runs for council members; complaints, experiences, runs, money and contracts for buurtteam
# workers; tests/accounts/test_access_matrix.py has every status).
REFUSED = {
    "anonymous": [{"include-path-regex": r"^/"}],
    "council_member": [
        {"include-method-regex": WRITES},
        reads("verwijzingen", "casussen", "ervaringen", "klachten", "indicatorberekeningen",
              "uitgavenboekingen"),
    ],
    "buurtteam_worker": [
        {"include-method-regex": WRITES,
         "exclude-path-regex": r"^/api/v1/(verwijzingen|casussen)(/|$)"},
        reads("ervaringen", "klachten", "indicatorberekeningen", "begroting", "begrotingsregels",
              "uitgavenboekingen", "consortia", "contracten", "onderaannemingen"),
    ],
    "contract_manager": [],
}  # fmt: skip
SEED = 14
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip
VALID_BSN = "111222333"


# Values that broke the API before (issue 14) or break databases and exports in general, mixed
# into what is generated: with the schema's bounds they are negative cases (must be a 4xx), in
# a schema without bounds positive ones (and then the API must still not fail).
NASTY_INTEGERS = [2**63, 2**64, 99999999999999999999999, -(2**63) - 1, 0, -1]
NASTY_STRINGS = ["\x00", "a\x00b", "\x1b[0m", "x" * 20_000, "99999999999999999999999", "-1",
                 "=HYPERLINK(\"http://x\")", "../../etc/passwd", "' OR 1=1 --", "\u202e", "é😀"]  # fmt: skip


def generation(max_examples: int) -> dict:
    return {
        "mode": "all", "max-examples": max_examples, "deterministic": True, "database": "none",
        "dictionaries": {"integer": {"dictionary": "nasty-integers", "probability": 0.2},
                         "number": {"dictionary": "nasty-integers", "probability": 0.2},
                         "string": {"dictionary": "nasty-strings", "probability": 0.2}},
    }  # fmt: skip


def config(role: str, part: str):
    refused = REFUSED[role]
    # The other half is switched off here, in the configuration: the pytest plugin replaces a
    # filter applied to the loaded schema (`include`/`exclude`) with the configuration's.
    other_half = ({"exclude-path-regex": ACTIVITY} if part == "activiteit"
                  else {"include-path-regex": ACTIVITY})  # fmt: skip
    operations = [{**other_half, "enabled": False}]
    operations += [{**filters, "generation": generation(REFUSED_EXAMPLES),
                    "phases": {"coverage": {"enabled": False}}} for filters in refused]  # fmt: skip
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "dictionaries": {"nasty-integers": {"values": NASTY_INTEGERS},
                         "nasty-strings": {"values": NASTY_STRINGS}},
        "generation": generation(MAX_EXAMPLES),
        "phases": {"stateful": {"enabled": False}},
        "operations": operations,
    })  # fmt: skip


def refused(role: str, method: str, path: str) -> bool:
    """Whether `REFUSED` names this operation for this role."""
    subject = {"method": method, "path": path, "name": f"{method.upper()} {path}"}
    return any(
        all(
            bool(re.search(pattern, subject[key.split("-")[1]])) == key.startswith("include")
            for key, pattern in filters.items()
        )
        for filters in REFUSED[role]
    )


APP = get_wsgi_application()

# Filled by the `demo_data` fixture before any case is drawn: (resource, name) -> keys that
# exist, for path parameters; name -> values that exist, for body fields and filters.
PATH_KEYS: dict[tuple[str, str], list] = {}
# path -> bodies' fields taken together from records that exist (so they agree).
RECORDS: dict[str, list[dict]] = {}
FIELD_VALUES: dict[str, list] = {}
REQUESTS: Counter = Counter()
STATUSES: dict[tuple, Counter] = defaultdict(Counter)


def _known(values, rng: random.Random, lookup, share=0.5):
    """Each value whose name has known keys becomes one of them, `share` of the time."""
    if not isinstance(values, dict):
        return values
    patched = dict(values)
    for name, value in values.items():
        known = lookup(name)
        if known and rng.random() < share:
            choice = rng.choice(known)
            patched[name] = [choice] if isinstance(value, list) else choice
    return patched


def _resource(context) -> str:
    return context.operation.path.split("/")[3]


def existing_path_keys(context, path_parameters):
    resource = _resource(context)
    return st.randoms(use_true_random=False).map(
        lambda rng: _known(path_parameters, rng, lambda name: PATH_KEYS.get((resource, name)))
    )


def existing_references_in_body(context, body):
    records = RECORDS.get(context.operation.path, [])

    def patch(rng):
        patched = _known(body, rng, FIELD_VALUES.get, share=0.8)
        # Half of the time the fields that must agree with each other (a provider contracted
        # for the voorziening in the wijk on the date) come from one record that exists.
        if records and isinstance(patched, dict) and rng.random() < 0.5:
            patched = {**patched, **rng.choice(records)}
        return patched

    return st.randoms(use_true_random=False).map(patch)


def existing_references_in_query(context, query):
    return st.randoms(use_true_random=False).map(lambda rng: _known(query, rng, FIELD_VALUES.get))


def _collect_keys():
    from districts.models import Buurtteam, District
    from indicators.models import BudgetLine, IndicatorRun, IndicatorValue
    from procurement.models import Milestone, Motion, Tender, TenderOption
    from providers.models import Consortium, Contract, Provider, Subcontract, TargetGroup
    from wmo.catalogue.models import ServiceType
    from wmo.quality.models import Complaint, SurveyResponse
    from wmo.referrals.models import BuurtteamCase, Referral

    def keys(queryset, field="pk", limit=6):
        return list(queryset.order_by(field).values_list(field, flat=True)[:limit])

    team_referrals = Referral.objects.filter(team__code="BT05")
    PATH_KEYS.update({
        ("wijken", "code"): keys(District.objects, "code"),
        ("buurtteams", "code"): keys(Buurtteam.objects, "code"),
        ("voorzieningen", "code"): keys(ServiceType.objects, "code"),
        ("aanbieders", "agbCode"): keys(Provider.objects, "agb_code"),
        ("consortia", "id"): keys(Consortium.objects),
        ("contracten", "id"): keys(Contract.objects),
        ("onderaannemingen", "id"): keys(Subcontract.objects),
        ("aanbestedingen", "kenmerk"): keys(Tender.objects, "reference"),
        ("mijlpalen", "id"): keys(Milestone.objects),
        ("moties", "id"): keys(Motion.objects),
        ("indicatoren", "id"): keys(IndicatorValue.objects),
        ("indicatorberekeningen", "id"): keys(IndicatorRun.objects),
        ("begrotingsregels", "id"): keys(BudgetLine.objects.filter(objective="IV")),
        # Referrals in every state, the buurtteam worker's own team's among them.
        ("verwijzingen", "verwijzingId"): keys(team_referrals, "external_id", 4)
        + keys(Referral.objects.filter(start_date__isnull=True), "external_id", 2)
        + keys(Referral.objects.filter(end_date__isnull=False), "external_id", 2),
        ("casussen", "casusId"): keys(BuurtteamCase.objects.filter(buurtteam__code="BT05"),
                                      "external_id", 3) + keys(BuurtteamCase.objects, "external_id", 3),
        ("ervaringen", "ervaringId"): keys(SurveyResponse.objects, "external_id"),
        ("klachten", "klachtId"): keys(Complaint.objects, "external_id"),
    })  # fmt: skip
    today = timezone.localdate()
    recent = [(today - datetime.timedelta(days=days)).isoformat() for days in (400, 100, 10)]
    districts = keys(District.objects, "code", 10)
    services = keys(ServiceType.objects, "code", 12)
    contracted = keys(Provider.objects.filter(contracts__isnull=False).distinct(), "agb_code")
    consortia = keys(Consortium.objects)
    FIELD_VALUES.update({
        "wijkCode": districts, "wijken": districts,
        "voorziening": services, "voorzieningen": services,
        "doelgroepen": keys(TargetGroup.objects, "code"),
        "aanbiederAgb": contracted, "opdrachtnemerAgb": contracted, "contractpartij": contracted,
        "hoofdaannemer": contracted, "onderaannemer": contracted, "leden": contracted,
        "lid": contracted,
        "buurtteamCode": ["BT05", *keys(Buurtteam.objects, "code", 3)],
        "contract": keys(Contract.objects), "samenwerkingsverband": consortia,
        "aanbesteding": keys(Tender.objects, "reference"),
        "mijlpalen": keys(Milestone.objects, "code"),
        "contractopties": keys(TenderOption.objects, "code"),
        "kwartaal": ["2025Q4", "2026Q1", "2026Q2"],
        # Dates a registration or transition can have (not in the future, after 2015).
        "verwijsdatum": recent, "aanmelddatum": recent, "datumEersteContact": recent,
        "datum": recent, "ontvangstdatum": recent,
        "ingangsdatum": ["2025-01-01", "2026-01-01"], "einddatum": ["2026-12-31", "2027-12-31"],
        "bsn": [VALID_BSN],
        # Budget cells that exist (begrotingsregels), their first version, a transition day.
        "beleidsdoel": ["III", "IV", "V"], "regel": ["budget", "savings_to_be_found"],
        "versie": [1], "peildatum": recent, "overgangsdag": ["2026-12-31"],
        # Names and references that exist: a create with one of them is a duplicate.
        "naam": keys(Consortium.objects, "name"),
        "kenmerk": keys(Contract.objects, "reference"),
        "agbCode": keys(Provider.objects, "agb_code"),
        "code": keys(Buurtteam.objects, "code", 3) + keys(District.objects, "code", 3),
        "ervaringId": keys(SurveyResponse.objects, "external_id", 3),
        "klachtId": keys(Complaint.objects, "external_id", 3),
        "verwijzingId": keys(Referral.objects, "external_id", 3),
        "casusId": keys(BuurtteamCase.objects, "external_id", 3),
    })  # fmt: skip


def _collect_records():
    from providers.models import Subcontract
    from wmo.quality.models import Complaint, SurveyResponse
    from wmo.referrals.models import BuurtteamCase, Referral

    def agb(provider):
        return provider.agb_code if provider else None

    referrals = Referral.objects.filter(team__code="BT05").select_related(
        "district", "service_type", "provider", "contractor")[:4]  # fmt: skip
    cases = BuurtteamCase.objects.filter(buurtteam__code="BT05").select_related("district")[:4]
    complaints = Complaint.objects.select_related("district", "service_type", "provider")[:3]
    surveys = [
        *SurveyResponse.objects.filter(about_buurtteam=False).select_related(
            "district", "service_type", "provider"
        )[:2],
        *SurveyResponse.objects.filter(about_buurtteam=True).select_related("district", "team")[:1],
    ]
    subcontracts = Subcontract.objects.select_related("contract", "subcontractor")[:3]
    RECORDS.update({
        "/api/v1/verwijzingen": [
            {"wijkCode": r.district.code, "voorziening": r.service_type.code,
             "aanbiederAgb": agb(r.provider), "opdrachtnemerAgb": agb(r.contractor),
             "verwijsdatum": r.referral_date.isoformat(), "bsn": VALID_BSN}
            for r in referrals
        ],
        "/api/v1/casussen": [
            {"wijkCode": c.district.code, "buurtteamCode": "BT05", "bsn": VALID_BSN,
             "aanmelddatum": c.registration_date.isoformat()}
            for c in cases
        ],
        "/api/v1/klachten": [
            {"wijkCode": c.district.code, "voorziening": c.service_type.code,
             "aanbiederAgb": agb(c.provider), "ontvangstdatum": c.received_date.isoformat()}
            for c in complaints
        ],
        "/api/v1/ervaringen": [
            {"wijkCode": e.district.code,
             "voorziening": "buurtteam" if e.about_buurtteam else e.service_type.code,
             "aanbiederAgb": agb(e.provider), "buurtteamCode": e.team.code if e.team else None,
             "datum": e.date.isoformat()}
            for e in surveys
        ],
        "/api/v1/onderaannemingen": [
            {"contract": sub.contract_id, "onderaannemer": agb(sub.subcontractor),
             "ingangsdatum": sub.start_date.isoformat(), "einddatum": sub.end_date.isoformat()}
            for sub in subcontracts
        ],
    })  # fmt: skip
    for records in RECORDS.values():
        for record in records:
            for name in [name for name, value in record.items() if value is None]:
                del record[name]


def _seed_indicators():
    from indicators.models import IndicatorRun, IndicatorValue

    IndicatorRun.objects.create(quarter="2025Q4", status=IndicatorRun.Status.DONE, progress=100)
    # A small and a large percentage, a small and a large count: council members get `<5`/`—`.
    for level_key, numerator, denominator in [("WK034401", 3, 12), ("WK034402", 40, 50)]:
        IndicatorValue.objects.create(
            quarter="2025Q4", level="district", level_key=level_key, indicator="pct_within_norm",
            value=round(100 * numerator / denominator, 1), numerator=numerator,
            denominator=denominator, norm=80,
        )  # fmt: skip
        IndicatorValue.objects.create(quarter="2025Q4", level="district", level_key=level_key,
                                      indicator="clients_in_care", value=numerator)  # fmt: skip


@pytest.fixture
def demo_data(db):
    """Demo data and one API token per role (rolled back with the test, as any `db` test)."""
    from rest_framework.authtoken.models import Token

    from procurement.demo import seed_tender_links
    from providers.demo import seed_providers
    from tests.seeded import seeded
    from wmo.quality.demo import seed_quality
    from wmo.referrals.demo import seed_referrals

    def seed():
        seed_providers(random.Random(SEED))
        seed_tender_links()
        seed_referrals(random.Random(SEED + 1), referrals=300)
        seed_quality(random.Random(SEED + 2), referral_count=300)
        _seed_indicators()

    # The same data for each role and half, seeded once per test process.
    seeded("schemathesis", seed)
    _collect_keys()
    _collect_records()
    return {
        role: Token.objects.create(user=make_user(role, username=f"fuzz-{role}")).key
        for role in ROLES
        if role != "anonymous"
    }


# Each role's run in two halves of the API, so the parallel test processes share the work
# (a whole role took some 40 s, more than any other test): residents' records and figures, and
# the rest (master data, procurement, reference data).
ACTIVITY = r"^/api/v1/(verwijzingen|casussen|ervaringen|klachten|indicator)"
PARTS = ["activiteit", "overig"]


@pytest.fixture(params=PARTS)
def part(request):
    return request.param


@pytest.fixture
def api_schema(demo_data, role, part):
    """The schema as the app serves it at /api/v1/openapi.json, fuzzed in-process: one half."""
    with _same_connection():
        loaded = schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", APP, config=config(role, part)
        )
    loaded.hook("flatmap_path_parameters")(existing_path_keys)
    loaded.hook("flatmap_body")(existing_references_in_body)
    loaded.hook("flatmap_query")(existing_references_in_query)
    return loaded


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """Thousands of requests in a minute are the point here, not an attack."""
    monkeypatch.setattr(APIView, "get_throttles", lambda view: [])


@contextmanager
def _same_connection():
    """Like Django's test client: the WSGI handler must not close the connection that holds
    the test's transaction at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class OperationSavepoint:
    """What one operation's examples create or delete stays with that operation: a savepoint
    per operation, rolled back when the next operation starts (the test's own transaction
    rolls back the last one)."""

    def __init__(self):
        self.label, self.sid = None, None

    def enter(self, label):
        if label != self.label:
            if self.sid is not None:
                transaction.savepoint_rollback(self.sid)
            self.label, self.sid = label, transaction.savepoint()


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def per_operation():
    return OperationSavepoint()


@pytest.fixture
def timed(request, role, part):
    """Says how many requests a role's run made and how long it took; the status codes per
    operation go to tests/artifacts/schemathesis-<role>-<part>.json (what the fuzzing reached)."""
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    answers = {label: dict(sorted(codes.items())) for label, codes in sorted(STATUSES.items())
               if label[:2] == (role, part)}  # fmt: skip
    (ARTIFACTS_DIR / f"schemathesis-{role}-{part}.json").write_text(
        json.dumps(
            {f"{method} {path}": codes for (_, _, method, path), codes in answers.items()}, indent=1
        )
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nschemathesis as {role} ({part}): {REQUESTS[role, part]} requests in {took:.0f} s")


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
def test_the_fuzzed_schema_is_the_committed_one(client):
    """What is fuzzed is what clients read (wmo/api/openapi.json, itself compared with the code
    in tests/wmo/test_api_conventions.py)."""
    committed = json.loads(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert client.get("/api/v1/openapi.json").json() == committed


# The per-test fixtures are meant to be shared by the examples of a test.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@pytest.mark.usefixtures("role", "part")  # so that pytest sees their parameters when collecting
@lazy_schema.parametrize()
def test_api_answers_as_documented(case, role, part, demo_data, per_operation, timed):
    # Each half fuzzes its own operations only (the halves once both ran everything).
    assert bool(re.search(ACTIVITY, case.operation.path)) == (part == "activiteit")
    per_operation.enter(case.operation.label)
    headers = {"Authorization": f"Token {demo_data[role]}"} if role in demo_data else {}
    REQUESTS[role, part] += 1
    response = None
    try:
        with _same_connection(), transaction.atomic():
            response = case.call(headers=headers)
    except DatabaseError:
        if response is None:
            raise
        # The request's savepoint was rolled back after the database refused a statement the
        # view had handled (a constraint answered 409): in production that request's own
        # transaction. The answer itself is checked below like any other.
    operation = (role, part, case.operation.method.upper(), case.operation.path)
    STATUSES[operation][response.status_code] += 1
    case.validate_response(response, checks=CHECKS, headers=headers)
    if refused(role, case.operation.method, case.operation.path):
        assert response.status_code >= 400, f"{role} got {response.status_code}"
    if response.status_code >= 400:
        _assert_dutch(response.json())


# Words of DRF's and Django's English messages; none is Dutch.
ENGLISH = re.compile(r"\b(?:the|this|must|valid|invalid|ensure|field|expected|provided|"
                     r"please|value|not a)\b", re.IGNORECASE)  # fmt: skip


def _assert_dutch(problem: dict):
    """An error says what is wrong in Dutch, naming the field (a problem+json body)."""
    texts = [problem["detail"], *(p["reason"] for p in problem.get("invalidParams", []))]
    english = [text for text in texts if ENGLISH.search(text)]
    assert not english, f"English in an error: {english}"
    assert all(p["name"] for p in problem.get("invalidParams", [])), problem
