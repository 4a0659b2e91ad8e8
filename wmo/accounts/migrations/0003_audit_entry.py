"""The audit trail moves onto django-auditlog's log entry (AuditEntry); every AuditEvent line is
copied over first, in its order, so nothing is lost, and the old table goes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# AuditEvent's actions → AuditEntry.Action (django-auditlog's numbers: CREATE 0, UPDATE 1,
# ACCESS 3; EXPORT 5 is ours).
ACTIONS = {"view": 3, "create": 0, "change": 1, "export": 5}
BATCH = 2000


def copy_audit_events(apps, schema_editor):
    db = schema_editor.connection.alias
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types: dict[str, int] = {}

    def content_type_id(label: str) -> int:
        if label not in content_types:
            app_label, _, model = label.partition(".")
            content_types[label] = (
                ContentType.objects.using(db).get_or_create(app_label=app_label, model=model)[0].pk
            )
        return content_types[label]

    def external_ids(label: str, pks: list[str]) -> dict[str, str]:
        """A record is named by the id people use for it (referrals and cases: external_id)."""
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return {}
        if not any(field.name == "external_id" for field in model._meta.fields):
            return {}
        wanted = [int(pk) for pk in pks if pk.isdigit()]
        rows = model.objects.using(db).filter(pk__in=wanted).values_list("pk", "external_id")
        return {str(pk): key for pk, key in rows}

    events = AuditEvent.objects.using(db).order_by("at", "id")
    batch = []
    for event in events.iterator(chunk_size=BATCH):
        batch.append(event)
        if len(batch) == BATCH:
            _copy(batch, AuditEntry, db, content_type_id, external_ids)
            batch = []
    if batch:
        _copy(batch, AuditEntry, db, content_type_id, external_ids)


def _copy(events, AuditEntry, db, content_type_id, external_ids):
    keys: dict[str, dict[str, str]] = {}
    for label in {event.object_type for event in events}:
        keys[label] = external_ids(label, [e.object_id for e in events if e.object_type == label])
    AuditEntry.objects.using(db).bulk_create(
        [
            AuditEntry(
                timestamp=event.at,
                action=ACTIONS.get(event.action, 3),
                content_type_id=content_type_id(event.object_type),
                object_pk=event.object_id,
                object_id=int(event.object_id) if event.object_id.isdigit() else None,
                object_repr=f"{event.object_type} {event.object_id}",
                record_ids=[keys[event.object_type].get(event.object_id, event.object_id)],
                record_count=1,
                actor_id=event.user_id,
                actor_username=event.username,
                path=event.path,
                additional_data={"overgenomen_uit": "accounts.AuditEvent", "id": event.pk},
            )
            for event in events
        ]
    )


def copy_back(apps, schema_editor):
    """Reverse: one AuditEvent per line and record (imports become creations, deletions
    changes; the old table knew no more)."""
    db = schema_editor.connection.alias
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    AuditEvent._meta.get_field("at").auto_now_add = False  # keep each line's own time
    back = {3: "view", 0: "create", 1: "change", 2: "change", 4: "create", 5: "export"}
    batch = []
    for entry in (
        AuditEntry.objects.using(db)
        .select_related("content_type")
        .order_by("id")
        .iterator(chunk_size=BATCH)
    ):
        label = f"{entry.content_type.app_label}.{entry.content_type.model}"
        for key in (entry.object_pk and [entry.object_pk]) or entry.record_ids or [""]:
            batch.append(
                AuditEvent(
                    at=entry.timestamp,
                    user_id=entry.actor_id,
                    username=entry.actor_username,
                    action=back[entry.action],
                    object_type=label,
                    object_id=str(key)[:100],
                    path=entry.path,
                )
            )
        if len(batch) >= BATCH:
            AuditEvent.objects.using(db).bulk_create(batch)
            batch = []
    AuditEvent.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        # The referrals and cases the old lines point at, to name them by their external id.
        ("referrals", "0005_referral_fk_indexes_covered_by_composites"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "object_pk",
                    models.CharField(db_index=True, max_length=255, verbose_name="object pk"),
                ),
                (
                    "object_id",
                    models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="object id"
                    ),
                ),
                ("object_repr", models.TextField(verbose_name="object representation")),
                ("serialized_data", models.JSONField(null=True)),
                ("changes_text", models.TextField(blank=True, verbose_name="change message")),
                ("changes", models.JSONField(null=True, verbose_name="change message")),
                (
                    "cid",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        max_length=255,
                        null=True,
                        verbose_name="Correlation ID",
                    ),
                ),
                (
                    "remote_addr",
                    models.GenericIPAddressField(
                        blank=True, null=True, verbose_name="remote address"
                    ),
                ),
                (
                    "remote_port",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="remote port"),
                ),
                (
                    "timestamp",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="timestamp"
                    ),
                ),
                (
                    "additional_data",
                    models.JSONField(blank=True, null=True, verbose_name="additional data"),
                ),
                (
                    "actor_email",
                    models.CharField(
                        blank=True, max_length=254, null=True, verbose_name="actor email"
                    ),
                ),
                (
                    "action",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (3, "Bekeken"),
                            (0, "Aangemaakt"),
                            (1, "Gewijzigd"),
                            (2, "Verwijderd"),
                            (4, "Geïmporteerd"),
                            (5, "Geëxporteerd"),
                        ],
                        db_index=True,
                        verbose_name="handeling",
                    ),
                ),
                (
                    "actor_username",
                    models.CharField(db_index=True, max_length=150, verbose_name="gebruikersnaam"),
                ),
                (
                    "record_ids",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="De kenmerken (verwijzingsnummer, casusnummer) van de gegevens in deze regel.",
                        verbose_name="kenmerken",
                    ),
                ),
                (
                    "record_count",
                    models.PositiveIntegerField(default=1, verbose_name="aantal gegevens"),
                ),
                (
                    "path",
                    models.CharField(blank=True, max_length=500, verbose_name="pagina of endpoint"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="gebruiker",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="soort gegeven",
                    ),
                ),
            ],
            options={
                "verbose_name": "auditregel",
                "verbose_name_plural": "audittrail",
                "ordering": ["-id"],
                "get_latest_by": "timestamp",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_audit_events, copy_back),
        migrations.DeleteModel(
            name="AuditEvent",
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["remote_addr"], name="accounts_audit_addr_idx"),
        ),
    ]
