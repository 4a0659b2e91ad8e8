"""The audit trail (in the spirit of NEN 7513): the one entry point for recording every view,
creation, change, deletion, import and export of person-level data (referrals, buurtteam cases,
clients — pseudonymous keys count), and the only way lines are ever deleted (`purge`).

Call the helper for what happened, with the record(s) concerned:

    record_view(referral)                       # a detail page or API answer
    record_view(page_of_referrals)              # a list: one line naming every record shown
    record_create(referral, user=user)          # services, inside the write's transaction
    record_change(referral, user=user, changes={"start_date": [None, "2026-03-02"]})
    record_delete([referral])
    record_import(Referral, created=[...], updated=[...], filename="verwijzingen.csv")
    record_export(queryset, details={"formaat": "csv"})

Who and from where come from the request the `AuditRequestMiddleware` keeps for the current
thread (so services need no request argument); pass `user`, `request` or `address` to say
otherwise (a Celery job passes the user and address of the upload it runs). Without a request
or user the line names the system account the process runs under.

A line names records by the identifier people use for them (a referral's or case's
`external_id`, otherwise the primary key), in `record_ids`: one line per action, however many
records, so a 1,259-row export or an import of 100,000 rows is one insert."""

from __future__ import annotations

import contextvars
import datetime
import functools
import getpass
import ipaddress
import json
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import AuditEntry

Action = AuditEntry.Action
SYSTEM = "systeem"
MIN_RETENTION_DAYS = 365
"""The purge never removes lines younger than this (the database triggers refuse it too)."""
PURGE_BATCH = 10_000
RECORD_TYPES = ("referrals.referral", "referrals.buurtteamcase", "referrals.client",
                "imports.importjob", "accounts.auditentry")  # fmt: skip
"""The kinds of record lines are written for, by label (the ground floor names them without
importing them): the filter of the audit page offers these."""

_current_request: contextvars.ContextVar = contextvars.ContextVar("wmo_audit_request", default=None)


class AuditRequestMiddleware:
    """Keeps the request for the audit helpers while it is handled, so a service several calls
    down records the right user and address. Nothing is read from the request until a line is
    written (the API authenticates its user inside the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


# --- who and from where -------------------------------------------------------------------------


def _ip(value: str | None) -> str | None:
    """`value` as an IP address, a port or IPv6 brackets removed; None when it is none."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # 192.0.2.1:8080
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address. X-Forwarded-For counts only behind trusted proxies
    (NUM_PROXIES): each appends the address it was connected from, so with N of them
    the N-th entry from the right is the client; entries further left are whatever the client
    sent and are never believed. Otherwise the connecting address."""
    meta = request.META
    hops = settings.NUM_PROXIES
    if hops > 0:
        forwarded = [
            part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= hops:
            address = _ip(forwarded[-hops])
            if address:
                return address
    return _ip(meta.get("REMOTE_ADDR"))


@functools.cache
def system_actor() -> str:
    """The name a line carries when no user acted (a command, a scheduled job)."""
    try:
        return f"{SYSTEM} ({getpass.getuser()})"
    except (KeyError, OSError, ImportError):
        return SYSTEM


def record_key(record) -> str:
    """The identifier a line uses for `record`: the one people see (external id) or the pk."""
    return str(getattr(record, "external_id", None) or record.pk)


def key_field(model) -> str:
    return "external_id" if any(f.name == "external_id" for f in model._meta.fields) else "pk"


# --- writing ------------------------------------------------------------------------------------


def _content_type_id(model):
    # A sub-select instead of ContentType.objects.get_for_model: the same one INSERT whether or
    # not this process has looked the content type up before.
    opts = model._meta.concrete_model._meta
    return models.Subquery(
        ContentType.objects.filter(app_label=opts.app_label, model=opts.model_name).values("pk")[:1]
    )


def _write(action: int, model, keys: list[str], *, single=None, request=None, user=None,
           address: str | None = None, changes: dict | None = None, details: dict | None = None,
           count: int | None = None) -> AuditEntry:  # fmt: skip
    """`count`: how many records the line is about when `keys` does not list them."""
    request = request if request is not None else _current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if request is not None and address is None:
        address = client_address(request)
    signed_in = bool(getattr(user, "is_authenticated", False))
    opts = model._meta
    count = len(keys) if count is None else count
    # The trail is evidence read by others later, side by side and in the CSV: one language for
    # every line, whatever language the person who caused it had chosen for the pages.
    with override("nl"):
        if single is not None:
            label = f"{str(opts.verbose_name).capitalize()} {keys[0]}"
        else:
            label = f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"
    entry = AuditEntry(
        action=action,
        content_type_id=_content_type_id(model),
        object_pk=str(single.pk) if single is not None else "",
        object_id=single.pk if single is not None and isinstance(single.pk, int) else None,
        object_repr=label,
        record_ids=keys,
        record_count=count,
        actor_id=user.pk if signed_in else None,
        actor_username=user.get_username() if signed_in else system_actor(),
        actor_email=(getattr(user, "email", "") or None) if signed_in else None,
        remote_addr=address,
        path=request.get_full_path()[:500] if request is not None else "",
        changes=changes or None,
        additional_data=details or None,
    )
    entry.save(force_insert=True)
    return entry


def record_view(records, *, request=None, user=None, details: dict | None = None):
    """A page or API answer showed `records` (one instance or several): one line naming them all.
    Nothing is written when nothing was shown."""
    if isinstance(records, models.Model):
        records = [records]
    records = list(records)
    if not records:
        return None
    return _write(Action.ACCESS, type(records[0]), [record_key(r) for r in records],
                  single=records[0] if len(records) == 1 else None, request=request, user=user,
                  details=details)  # fmt: skip


def record_create(record, *, user=None, request=None, details: dict | None = None) -> AuditEntry:
    return _write(Action.CREATE, type(record), [record_key(record)], single=record,
                  request=request, user=user, details=details)  # fmt: skip


def record_change(record, *, changes: dict | None = None, user=None, request=None,
                  details: dict | None = None) -> AuditEntry:  # fmt: skip
    """`changes`: field → [old value, new value], as django-auditlog writes them."""
    return _write(Action.UPDATE, type(record), [record_key(record)], single=record,
                  request=request, user=user, changes=_jsonable(changes), details=details)  # fmt: skip


def record_delete(records, *, user=None, request=None, details: dict | None = None):
    if isinstance(records, models.Model):
        records = [records]
    records = list(records)
    if not records:
        return None
    return _write(Action.DELETE, type(records[0]), [record_key(r) for r in records],
                  single=records[0] if len(records) == 1 else None, request=request, user=user,
                  details=details)  # fmt: skip


def record_import(model, *, created: Iterable, updated: Iterable = (), unchanged: int = 0,
                  filename: str = "", user=None, address: str | None = None,
                  request=None) -> AuditEntry:  # fmt: skip
    """One line per successful import, naming every record it created, then every record it
    changed (`details` holds how many of each, so the split is exact)."""
    created, updated = [str(k) for k in created], [str(k) for k in updated]
    details = {"bestand": filename[-200:], "aangemaakt": len(created), "gewijzigd": len(updated),
               "ongewijzigd": unchanged}  # fmt: skip
    return _write(Action.IMPORT, model, [*created, *updated], request=request, user=user,
                  address=address, details=details)  # fmt: skip


def record_export(
    records,
    *,
    request=None,
    user=None,
    details: dict | None = None,
    model=None,
    count: int | None = None,
) -> AuditEntry:
    """A download of `records`: a queryset (its identifiers are read in one query, in the order
    of the file) or a list of identifiers with `model`; `count` when the list stays empty
    because `details` say exactly what was exported (the audit trail's own export)."""
    if isinstance(records, models.QuerySet):
        model = records.model
        keys = [str(k) for k in records.values_list(key_field(model), flat=True)]
    else:
        keys = [str(k) for k in records]
    return _write(Action.EXPORT, model, keys, request=request, user=user, details=details,
                  count=count)  # fmt: skip


def _jsonable(changes: dict | None) -> dict | None:
    if not changes:
        return None
    return json.loads(json.dumps(changes, default=str))


# --- reading ------------------------------------------------------------------------------------


def with_record(queryset, key: str):
    """Lines naming the record `key`, in a list or on their own. PostgreSQL answers from the GIN
    index on `record_ids`; SQLite (the embedded default) searches the stored JSON text."""
    connection = connections[router.db_for_read(AuditEntry)]
    if connection.vendor == "postgresql":
        return queryset.filter(record_ids__contains=[key])
    return queryset.annotate(_ids_text=Cast("record_ids", TextField())).filter(
        _ids_text__contains=json.dumps(key)
    )


# --- retention ----------------------------------------------------------------------------------


def retention_days() -> int:
    days = settings.WMO_AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            _("WMO_AUDIT_RETENTION_DAYS is %(days)s; de audittrail wordt minstens %(min)s dagen "
              "bewaard.") % {"days": days, "min": MIN_RETENTION_DAYS}
        )  # fmt: skip
    return days


def purge(
    now: datetime.datetime | None = None, dry_run: bool = False
) -> tuple[int, datetime.datetime]:
    """Delete the lines older than the retention; return (how many, the cut-off). The only
    deletion the database allows: each batch runs in a transaction that first tells the trigger
    the cut-off (PostgreSQL: a transaction-local setting; SQLite: a row in a permit table that
    the same transaction removes again), and the trigger still refuses any line younger than
    MIN_RETENTION_DAYS. The purge itself is recorded as one line."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    old = AuditEntry.objects.filter(timestamp__lt=cutoff)
    if dry_run:
        return old.count(), cutoff
    connection = connections[router.db_for_write(AuditEntry)]
    total = 0
    while True:
        with transaction.atomic(using=connection.alias):
            ids = list(old.order_by("id").values_list("id", flat=True)[:PURGE_BATCH])
            if not ids:
                break
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT set_config('wmo.audit_purge_before', %s, true)",
                                   [cutoff.isoformat()])  # fmt: skip
                else:
                    cursor.execute("INSERT INTO accounts_auditpurge (cutoff) VALUES (%s)",
                                   [connection.ops.adapt_datetimefield_value(cutoff)])  # fmt: skip
                AuditEntry.objects.filter(pk__in=ids).delete()
                # Withdrawn at once, also when this runs inside a caller's transaction.
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT set_config('wmo.audit_purge_before', '', true)")
                else:
                    cursor.execute("DELETE FROM accounts_auditpurge")
        total += len(ids)
        if len(ids) < PURGE_BATCH:
            break
    if total:
        _write(Action.DELETE, AuditEntry, [], count=total, details={
            "bewaartermijn_dagen": retention_days(), "ouder_dan": cutoff.isoformat(),
        })  # fmt: skip
    return total, cutoff
