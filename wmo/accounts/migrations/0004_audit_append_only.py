"""The audit trail is append-only in the database itself: UPDATE and DELETE of a line are refused
by a trigger, on PostgreSQL and on SQLite (the embedded default) alike. The one exception is the
retention purge (wmo/accounts/audit.py `purge`): it names a cut-off inside its own transaction —
PostgreSQL: `set_config('wmo.audit_purge_before', <cut-off>, true)`; SQLite: a row in the
permit table accounts_auditpurge, removed again before the transaction ends — and the trigger
then lets through lines older than that cut-off, and never a line younger than 365 days.

Whoever owns the tables can still drop the trigger or TRUNCATE the table: this guards the
application and its users, not the database administrator (who needs separate roles).

For later migrations of this table: one that must UPDATE lines (e.g. filling a new non-null
column) has to drop and re-create the trigger around it; on SQLite any change Django makes by
rebuilding the table drops the triggers with the old table, so they must be created again.

On PostgreSQL `record_ids` also gets a GIN index, so finding every line that names a record
(also inside a list, an import or an export) stays an index look-up."""

from django.db import migrations

MIN_DAYS = 365  # wmo.accounts.audit.MIN_RETENTION_DAYS, as it was when this ran

POSTGRESQL = f"""
CREATE FUNCTION accounts_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := NULLIF(current_setting('wmo.audit_purge_before', true), '')::timestamptz;
BEGIN
    IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <= now() - interval '{MIN_DAYS} days'
            AND OLD."timestamp" < cutoff THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'De audittrail kan alleen worden aangevuld: % van auditregel % is geweigerd.',
        TG_OP, OLD.id USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER accounts_auditentry_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_append_only();
CREATE INDEX accounts_audit_record_ids_gin ON accounts_auditentry
    USING gin (record_ids jsonb_path_ops);
"""
POSTGRESQL_REVERSE = """
DROP INDEX IF EXISTS accounts_audit_record_ids_gin;
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS accounts_auditentry_append_only();
"""

# Django keeps datetimes on SQLite as UTC text ('YYYY-MM-DD HH:MM:SS[.ffffff]'), which compares
# in time order as text, like datetime('now', ...).
SQLITE = [
    "CREATE TABLE accounts_auditpurge (cutoff text NOT NULL)",
    """CREATE TRIGGER accounts_auditentry_no_update BEFORE UPDATE ON accounts_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'De audittrail kan alleen worden aangevuld: UPDATE van een auditregel is geweigerd.');
    END""",
    f"""CREATE TRIGGER accounts_auditentry_no_delete BEFORE DELETE ON accounts_auditentry
    WHEN NOT EXISTS (
        SELECT 1 FROM accounts_auditpurge AS permit
        WHERE OLD."timestamp" < permit.cutoff
          AND permit.cutoff <= datetime('now', '-{MIN_DAYS} days')
    )
    BEGIN
        SELECT RAISE(ABORT, 'De audittrail kan alleen worden aangevuld: DELETE van een auditregel is geweigerd.');
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_update",
    "DROP TABLE IF EXISTS accounts_auditpurge",
]


def _run(schema_editor, postgresql: list[str], sqlite: list[str]):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = postgresql
    elif vendor == "sqlite":
        statements = sqlite
    else:
        raise NotImplementedError(f"Audit trail triggers for {vendor} are not written yet.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, [POSTGRESQL], SQLITE)


def backwards(apps, schema_editor):
    _run(schema_editor, [POSTGRESQL_REVERSE], SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_entry")]
    operations = [migrations.RunPython(forwards, backwards)]
