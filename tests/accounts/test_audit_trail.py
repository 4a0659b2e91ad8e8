"""The audit trail itself (issue 14, Privacy): append-only in the database, the retention purge,
the client address, the contract managers' page with its filters and downloads, and who may
open it. What each action writes is tested in tests/referrals/test_audit.py."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.access import Access, call, expand
from tests.conftest import require_services
from wmo.accounts import audit
from wmo.accounts import views as audit_views
from wmo.accounts.models import AuditEntry

A = AuditEntry.Action
URL = "/account/audittrail/"
NOW = timezone.now()
YEAR = datetime.timedelta(days=365)


def line(when=None, user="anna", action=A.ACCESS, kind=("referrals", "referral"), ids=("V1",),
         address="192.0.2.1", **extra) -> AuditEntry:  # fmt: skip
    return AuditEntry.objects.create(
        timestamp=when or NOW, actor_username=user, action=action, remote_addr=address,
        content_type=ContentType.objects.get_by_natural_key(*kind), record_ids=list(ids),
        record_count=len(ids), object_repr=f"{len(ids)} gegevens", path="/verwijzingen/", **extra,
    )  # fmt: skip


# --- append-only in the database ----------------------------------------------------------------


def _refused(sql, params):
    refused = pytest.raises(DatabaseError, match="audittrail kan alleen worden aangevuld")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _permit(cursor, cutoff):
    """What audit.purge does to be let through (the only sanctioned delete)."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT set_config('wmo.audit_purge_before', %s, true)", [cutoff.isoformat()]
        )
    else:
        cursor.execute("INSERT INTO accounts_auditpurge (cutoff) VALUES (%s)",
                       [connection.ops.adapt_datetimefield_value(cutoff)])  # fmt: skip


def test_the_database_refuses_update_and_delete_of_a_line(db):
    entry = line(when=NOW - 10 * YEAR)
    _refused(
        "UPDATE accounts_auditentry SET actor_username = %s WHERE id = %s", ["mallory", entry.pk]
    )
    _refused("DELETE FROM accounts_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(path="/anders/")
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "anna"


def test_a_purge_permit_lets_only_old_lines_go(db):
    old, young = line(when=NOW - 3 * YEAR), line(when=NOW - 200 * datetime.timedelta(days=1))
    # A cut-off inside the last year is refused outright, even for an old line.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        _permit(cursor, NOW - datetime.timedelta(days=30))
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [old.pk])
    # A lawful cut-off: the old line goes, the one after the cut-off stays.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        _permit(cursor, NOW - 2 * YEAR)
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [young.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        _permit(cursor, NOW - 2 * YEAR)
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [old.pk])
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [young.pk]
    # Outside that transaction the permit is gone again.
    _refused("DELETE FROM accounts_auditentry WHERE id = %s", [young.pk])


def test_postgresql_trigger_refuses_and_the_setting_is_transaction_local(db):
    if connection.vendor != "postgresql":
        require_services("PostgreSQL")
    entry = line(when=NOW - 10 * YEAR)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'accounts_auditentry'::regclass "
                       "AND NOT tgisinternal")  # fmt: skip
        assert cursor.fetchall() == [("accounts_auditentry_append_only",)]
    for sql in ("UPDATE accounts_auditentry SET remote_addr = '10.9.9.9' WHERE id = %s",
                "DELETE FROM accounts_auditentry WHERE id = %s"):  # fmt: skip
        _refused(sql, [entry.pk])
    # The purge withdraws its permit as soon as its batch is deleted.
    audit.purge()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('wmo.audit_purge_before', true)")
        assert not cursor.fetchone()[0]
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()
    _refused("DELETE FROM accounts_auditentry WHERE id = %s", [AuditEntry.objects.get().pk])


# --- retention ----------------------------------------------------------------------------------


def test_purge_deletes_only_lines_older_than_the_retention(db):
    ancient, older, recent = line(when=NOW - 8 * YEAR), line(when=NOW - 6 * YEAR), line()
    assert audit.purge(now=NOW, dry_run=True)[0] == 1
    count, cutoff = audit.purge(now=NOW)
    assert count == 1 and cutoff == NOW - datetime.timedelta(days=2557)
    left = set(AuditEntry.objects.values_list("pk", flat=True))
    assert ancient.pk not in left and {older.pk, recent.pk} < left
    # The purge is a line itself.
    purge = AuditEntry.objects.latest("id")
    assert (purge.action, purge.content_type.model, purge.record_count) == (
        A.DELETE,
        "auditentry",
        1,
    )
    assert purge.additional_data["bewaartermijn_dagen"] == 2557
    with override_settings(WMO_AUDIT_RETENTION_DAYS=5 * 365):
        assert audit.purge(now=NOW)[0] == 1
    assert not AuditEntry.objects.filter(pk=older.pk).exists()


def test_purge_works_in_batches(db, monkeypatch):
    monkeypatch.setattr(audit, "PURGE_BATCH", 2)
    for _ in range(5):
        line(when=NOW - 8 * YEAR)
    keep = line()
    assert audit.purge(now=NOW)[0] == 5
    assert AuditEntry.objects.exclude(action=A.DELETE).get() == keep


def test_purge_command_beat_entry_and_task(db, settings):
    line(when=timezone.now() - 9 * YEAR)
    out = io.StringIO()
    call_command("purge_audit_trail", "--dry-run", stdout=out)
    assert (
        out.getvalue().startswith("1 auditregels van vóór ") and "zouden worden" in out.getvalue()
    )
    from wmo.accounts.tasks import purge_audit_trail

    assert purge_audit_trail.delay().get() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["audit-trail-purge"]
    assert entry["task"] == purge_audit_trail.name == "accounts.purge_audit_trail"


@override_settings(WMO_AUDIT_RETENTION_DAYS=30)
def test_a_retention_below_a_year_is_refused(db):
    from wmo.accounts.apps import check_audit_retention

    line(when=NOW - 2 * YEAR)
    with pytest.raises(ImproperlyConfigured, match="minstens 365 dagen"):
        audit.purge()
    with pytest.raises(CommandError, match="WMO_AUDIT_RETENTION_DAYS is 30"):
        call_command("purge_audit_trail")
    assert [error.id for error in check_audit_retention()] == ["accounts.E001"]
    assert AuditEntry.objects.count() == 1


# --- the client's address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [(0, "203.0.113.66", "10.0.0.2"),  # nobody trusted: the header is the client's word
     (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the proxy's entry, not the forged one
     (2, "203.0.113.66, 198.51.100.7", "203.0.113.66"),
     (2, "198.51.100.7", "10.0.0.2"),  # fewer entries than proxies: not believed
     (1, "niet-een-adres", "10.0.0.2"),
     (1, "192.0.2.9:8080", "192.0.2.9"), (1, "[2001:db8::5]:443", "2001:db8::5"),
     (1, "", "10.0.0.2")],
)  # fmt: skip
def test_client_address(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert audit.client_address(request) == expected


# --- the page -----------------------------------------------------------------------------------


@pytest.fixture
def manager(client_for):
    return client_for("contract_manager", username="controleur")


@pytest.fixture
def trail(db):
    day = lambda d: datetime.datetime(2026, 1, d, 12, tzinfo=datetime.UTC)  # noqa: E731
    return {
        "viewed": line(day(10), "anna", A.ACCESS, ids=["V1", "V2"], address="192.0.2.1"),
        "exported": line(day(11), "bert", A.EXPORT, ids=["V2", "V3"], address="192.0.2.2"),
        "created": line(day(12), "anna", A.CREATE, ("referrals", "buurtteamcase"), ids=["V22"],
                        address="2001:db8::1"),
        "budget": line(day(13), "bert", A.UPDATE, ("indicators", "budgetline"), ids=["7"],
                      address=None),
    }  # fmt: skip


@pytest.mark.parametrize(
    "query, expected",
    [({}, ["budget", "created", "exported", "viewed"]),
     ({"vanaf": "11-01-2026", "tot": "12-01-2026"}, ["created", "exported"]),
     ({"gebruiker": "anna"}, ["created", "viewed"]),
     ({"handeling": str(A.EXPORT)}, ["exported"]),
     ({"soort": "referrals.buurtteamcase"}, ["created"]),
     ({"kenmerk": "V2"}, ["exported", "viewed"]),  # in lists too, and not V22
     ({"adres": "2001:0db8::1"}, ["created"]),
     ({"gebruiker": "bert", "soort": "referrals.referral"}, ["exported"])],
)  # fmt: skip
def test_filters(manager, trail, query, expected):
    response = manager.get(URL, query)
    assert response.status_code == 200
    names = {entry.pk: name for name, entry in trail.items()}
    assert [names[row.pk] for row in response.context["rows"]] == expected


def test_page_shows_the_lines_in_dutch(manager, trail):
    text = manager.get(URL).content.decode()
    assert '<h1 class="utrecht-heading-1">Audittrail</h1>' in text
    assert "Geëxporteerd" in text and "V2, V3" in text and "2001:db8::1" in text
    assert "na 2557 dagen" in text
    assert f'href="/account/audittrail/{trail["exported"].pk}/"' in text


@pytest.mark.parametrize(
    "query, message",
    [({"vanaf": "31-02-2026"}, "Vanaf: Vul een geldige datum in als DD-MM-JJJJ."),
     ({"vanaf": "10-01-2026", "tot": "09-01-2026"}, "Tot en met: De einddatum ligt vóór de begindatum."),
     ({"adres": "192.0.2"}, "IP-adres: Vul een IPv4- of IPv6-adres in, bijvoorbeeld 192.0.2.10."),
     ({"handeling": "9"}, "Handeling: Selecteer een geldige keuze.")],
)  # fmt: skip
def test_bad_filters_are_named_in_dutch(manager, trail, query, message):
    response = manager.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["rows"] == []
    assert manager.get(URL, {**query, "formaat": "csv"}).status_code == 400
    assert not AuditEntry.objects.filter(action=A.EXPORT, actor_username="controleur").exists()


def test_pages_by_key_without_counting(manager, db):
    entries = [line(ids=[f"V{i}"]) for i in range(120)]
    with CaptureQueriesContext(connection) as queries:
        first = manager.get(URL)
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    rows = first.context["rows"]
    assert [r.pk for r in rows] == [e.pk for e in entries[::-1][:50]]
    assert (first.context["has_newer"], first.context["has_older"]) == (False, True)
    second = manager.get(URL, {"voor": rows[-1].pk})
    assert [r.pk for r in second.context["rows"]] == [e.pk for e in entries[::-1][50:100]]
    third = manager.get(URL, {"voor": second.context["rows"][-1].pk})
    assert [r.pk for r in third.context["rows"]] == [e.pk for e in entries[::-1][100:]]
    assert (third.context["has_newer"], third.context["has_older"]) == (True, False)
    back = manager.get(URL, {"na": third.context["rows"][0].pk})
    assert [r.pk for r in back.context["rows"]] == [r.pk for r in second.context["rows"]]
    assert (back.context["has_newer"], back.context["has_older"]) == (True, True)
    assert f"voor={rows[-1].pk}" in first.content.decode()


def test_a_large_line_shows_its_first_ids_and_the_rest_on_its_own_page(manager, db):
    big = line(action=A.EXPORT, ids=[f"V{i:04d}" for i in range(1259)])
    response = manager.get(URL)
    (row,) = response.context["rows"]
    assert (row.shown_ids, row.more_ids) == (["V0000", "V0001", "V0002", "V0003", "V0004"], 1254)
    assert "en 1254 andere" in response.content.decode()
    detail = manager.get(f"{URL}{big.pk}/").content.decode()
    assert "V0000, V0001" in detail and "V1258" in detail


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_download_of_the_filtered_selection_is_itself_a_line(manager, trail, kind):
    line(user='=HYPERLINK("http://x.test","klik")', ids=["-1+1"])  # typed by someone, once
    response = manager.get(URL, {"gebruiker": "anna", "formaat": kind})
    assert response.status_code == 200
    if kind == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    else:
        rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.values]
    assert rows[0][:4] == ["regel", "tijdstip", "gebruiker", "handeling"]
    assert [(r[2], r[3], r[7]) for r in rows[1:]] == [("anna", "Aangemaakt", "V22"),
                                                      ("anna", "Bekeken", "V1 V2")]  # fmt: skip
    export = AuditEntry.objects.get(action=A.EXPORT, actor_username="controleur")
    assert (export.content_type.model, export.record_count, export.remote_addr) == (
        "auditentry", 2, "127.0.0.1")  # fmt: skip
    assert export.additional_data == {"formaat": kind, "filters": {"gebruiker": "anna"},
                                      "tot_en_met_regel": trail["created"].pk}  # fmt: skip


def test_downloaded_cells_never_run_as_formulas(manager, db):
    line(user='=HYPERLINK("http://x.test","klik")', ids=["-1+1", "@SUM(A1)"])
    text = b"".join(manager.get(URL, {"formaat": "csv"}).streaming_content).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[2] == '\'=HYPERLINK("http://x.test","klik")' and row[7] == "'-1+1 @SUM(A1)"
    assert row[6] == "2"


def test_download_above_the_limit_is_refused(manager, db, monkeypatch):
    monkeypatch.setattr(audit_views, "EXPORT_LIMIT", 2)
    for _ in range(3):
        line()
    response = manager.get(URL, {"formaat": "xlsx"})
    assert response.status_code == 400
    assert "De selectie telt meer dan 2 regels; verfijn de filters" in response.content.decode()
    assert not AuditEntry.objects.filter(action=A.EXPORT).exists()


def test_navigation_offers_the_trail_to_contract_managers_only(client_for, db):
    assert 'href="/account/audittrail/"' in client_for("contract_manager").get("/").content.decode()
    for role in ("buurtteam_worker", "council_member"):
        assert 'href="/account/audittrail/"' not in client_for(role).get("/").content.decode()


# --- who may open it ----------------------------------------------------------------------------

CONTRACT_MANAGERS = {"anonymous": 302, "buurtteam_worker": 403, "contract_manager": 200,
                     "council_member": 403}  # fmt: skip
MATRIX = [
    Access("GET", URL, CONTRACT_MANAGERS),
    Access("GET", f"{URL}?formaat=csv", CONTRACT_MANAGERS),
    Access("GET", f"{URL}?formaat=xlsx&handeling=5", CONTRACT_MANAGERS),
    Access("GET", f"{URL}999999999/", {**CONTRACT_MANAGERS, "contract_manager": 404}),
    Access("POST", URL, {**CONTRACT_MANAGERS, "contract_manager": 405}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_status_per_role(client_for, row, role, expected):
    response = call(client_for(role), row)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/account/inloggen/")


def test_superuser_reads_and_downloads(db):
    entry = line()
    admin = get_user_model().objects.create_superuser("beheer", password="x-Geheim-1")
    client = Client()
    client.force_login(admin)
    for url in (URL, f"{URL}?formaat=csv", f"{URL}{entry.pk}/"):
        assert client.get(url).status_code == 200
    # The admin shows the trail read-only.
    assert client.get(f"/beheer/accounts/auditentry/{entry.pk}/change/").status_code == 200
    assert (
        client.post(f"/beheer/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# --- the move from AuditEvent -------------------------------------------------------------------


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_migration_keeps_every_earlier_audit_event(user_for):
    from django.db.migrations.executor import MigrationExecutor

    from wmo.referrals.models import Referral
    from wmo.referrals.services import register_referral

    referral = _referral(register_referral)
    creation = AuditEntry.objects.get()
    user = user_for("contract_manager", username="oud")
    before = ("accounts", "0002_role_groups")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    AuditEvent = executor.loader.project_state(before).apps.get_model("accounts", "AuditEvent")
    at = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)
    AuditEvent.objects.create(user_id=user.pk, username="oud", action="view", path="/v/",
                              object_type="referrals.referral", object_id=str(referral.pk))  # fmt: skip
    AuditEvent.objects.create(user_id=None, username="weg", action="export", path="",
                              object_type="referrals.referral", object_id="999")  # fmt: skip
    AuditEvent.objects.filter(username="oud").update(at=at)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # Copied in time order; the creation went back to AuditEvent and returned with its time.
    viewed, created, gone = AuditEntry.objects.order_by("id")
    assert created.timestamp == creation.timestamp
    assert created.action == A.CREATE and created.record_ids == [referral.external_id]
    assert (viewed.action, viewed.timestamp, viewed.actor_id, viewed.actor_username, viewed.path,
            viewed.record_ids) == (A.ACCESS, at, user.pk, "oud", "/v/", [referral.external_id])  # fmt: skip
    assert (gone.action, gone.record_ids, gone.actor_username) == (A.EXPORT, ["999"], "weg")
    assert Referral.objects.filter(pk=referral.pk).exists()
    # The triggers came back with the table.
    _refused("DELETE FROM accounts_auditentry WHERE id = %s", [viewed.pk])


def _referral(register_referral):
    from districts.models import Buurtteam, District
    from providers.models import Provider
    from wmo.catalogue.models import ServiceType

    return register_referral(
        user=None, bsn="111222333", district=District.objects.get(code="WK034403"),
        service_type=ServiceType.objects.get(code="dagbegeleiding"),
        provider=Provider.objects.create(agb_code="13063077", name="A", kind="care_provider"),
        team=Buurtteam.objects.get(code="BT05"), referral_date=datetime.date(2026, 3, 2),
    )  # fmt: skip


def test_reading_the_trail_is_itself_a_line(manager, trail):
    # The trail names record ids, addresses and pages: reading it is a view like any other.
    manager.get(URL)
    read = AuditEntry.objects.filter(action=A.ACCESS, actor_username="controleur").get()
    assert read.content_type.model == "auditentry"
    assert read.record_ids == [str(e.pk) for e in sorted(trail.values(), key=lambda e: -e.pk)]
    manager.get(f"{URL}{trail['exported'].pk}/")
    one = AuditEntry.objects.filter(action=A.ACCESS, actor_username="controleur").latest("pk")
    exported = str(trail["exported"].pk)
    assert (one.record_ids, one.object_pk) == ([exported], exported)
    assert one.path == f"{URL}{trail['exported'].pk}/"
    # A page showing no lines (a filter matching nothing) names nothing and writes nothing.
    manager.get(URL, {"gebruiker": "niemand"})
    assert AuditEntry.objects.filter(action=A.ACCESS, actor_username="controleur").count() == 2
