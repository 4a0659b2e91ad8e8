"""The care history PostgreSQL keeps per referral for the indicator engine: per level, until when
an earlier referral of the same client in the same group counts (`earlier_in_care_until…`,
migration 0010, read by indicators.definitions.referral_sets.repeat_measures).

Triggers keep it right after every statement. A bulk writer that writes many batches in one
transaction (the demo seed, the importers) defers that work: the triggers then only note the
clients whose referrals changed, and the writer recomputes them once before it commits."""

from django.db import DEFAULT_DB_ALIAS, connections

# Both names are written into the triggers by migration 0010.
DEFERRED_SETTING = "wmo.care_history_deferred"
PENDING_TABLE = "referrals_care_history_pending"
# Above this many clients one pass over every referral beats looking each client up.
LOOKUP_LIMIT = 200_000


def defer(using: str = DEFAULT_DB_ALIAS) -> None:
    """From here to the end of the current transaction the triggers only note the clients
    (PostgreSQL; nothing elsewhere). Call catch_up() before the transaction commits."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("care_history.defer: only inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {PENDING_TABLE} (client_id bigint PRIMARY KEY) "
            "ON COMMIT DROP"
        )
        cursor.execute("SELECT set_config(%s, 'on', true)", [DEFERRED_SETTING])


def catch_up(using: str = DEFAULT_DB_ALIAS) -> int:
    """Recompute the clients noted since defer() and return to recomputing after each statement;
    returns how many clients. Nothing when nothing was deferred."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [DEFERRED_SETTING])
        if cursor.fetchone()[0] != "on":
            return 0
        cursor.execute("SELECT set_config(%s, 'off', true)", [DEFERRED_SETTING])
        cursor.execute(f"SELECT count(*) FROM {PENDING_TABLE}")
        pending = cursor.fetchone()[0]
        if pending > LOOKUP_LIMIT:
            cursor.execute("SELECT referrals_recompute_earlier_in_care(NULL)")
        elif pending:
            cursor.execute(
                "SELECT referrals_recompute_earlier_in_care("
                f"ARRAY(SELECT client_id FROM {PENDING_TABLE}))"
            )
        cursor.execute(f"DROP TABLE {PENDING_TABLE}")
    return pending
