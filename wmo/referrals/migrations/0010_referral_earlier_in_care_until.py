"""PostgreSQL keeps, for every started referral and for each level of the indicators (the whole
city, wijk, voorziening, aanbieder, wijk × voorziening, opdrachtnemer, gemeente), until when an
earlier-started referral of the same client in the same group counts: the latest
`support_closed_on` among them (`earlier_in_care_until`, `earlier_in_care_until_<level>`).

Why: the indicator engine counts distinct clients in care per group. A client counts once in a
group, on the first of their rows there; a later row repeats them exactly when an earlier row of
the same client in the same group is in care too, i.e. when this column is on or after the
period's start. So the distinct count is a plain filtered count in the engine's one grouped pass
(indicators.definitions.referral_sets.repeat_measures, where the proof is), instead of a sort of
every row in care per level.

The columns are the database's own, not model fields: statement-level triggers recompute them for
the clients whose referrals a statement inserted, deleted or changed, so every writer (forms, API,
COPY importers, demo seed, admin) keeps them right without knowing them, and Django's save() never
writes a stale copy back. A change of a voorziening's objective recomputes its clients too (the
gemeente level counts objective V only). The engine's covering index on the closing day gains the
columns, so the grouped pass stays an index-only scan. SQLite has none of this: the engine counts
distinct clients there directly, and the tests compare the two.
"""

from django.db import migrations

CLOSED = "COALESCE(LEAST(r.end_date, r.cancelled_date), DATE '9999-12-31')"
# column suffix -> what, besides the client, makes two referrals fall in the same group.
PARTITIONS = {
    "": "",
    "_district": ", r.district_id",
    "_service_type": ", r.service_type_id",
    "_provider": ", r.provider_id",
    "_district_service": ", r.district_id, r.service_type_id",
    "_contractor": ", r.contractor_id",
    # Objective V only; a referral with a wijk is in Utrecht's group (municipality_id empty).
    "_municipality": ", s.objective = 'V', COALESCE(r.municipality_id, utrecht.id)",
}
COLUMNS = [f"earlier_in_care_until{suffix}" for suffix in PARTITIONS]
WINDOWS = ",\n            ".join(
    f"CASE WHEN r.start_date IS NOT NULL THEN max({CLOSED}) OVER (PARTITION BY r.client_id{by} "
    f"ORDER BY r.start_date NULLS LAST, r.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) "
    f"END AS {column}"
    for column, by in zip(COLUMNS, PARTITIONS.values(), strict=True)
)
CHANGED = ("client_id", "start_date", "end_date", "cancelled_date", "district_id",
           "municipality_id", "service_type_id", "provider_id", "contractor_id", *COLUMNS)  # fmt: skip
INDEX_INCLUDES = ("id", "referral_date", "start_date", "end_date", "cancelled_date", "client_id",
                  "district_id", "municipality_id", "service_type_id", "provider_id",
                  "contractor_id", "group_based")  # fmt: skip
INDEX_KEY = (
    "(COALESCE(LEAST(COALESCE(end_date, cancelled_date), COALESCE(cancelled_date, end_date)), "
    "DATE '9999-12-31'))"
)


# Shared with wmo.referrals.care_history, which defers the recompute for bulk writers.
DEFERRED_SETTING = "wmo.care_history_deferred"
PENDING_TABLE = "referrals_care_history_pending"


def _columns(prefix):
    return ", ".join(f"{prefix}{column}" for column in CHANGED)


def _recompute(where):
    return f"""UPDATE referrals_referral t SET {", ".join(f"{c} = c.{c}" for c in COLUMNS)}
        FROM (
            SELECT r.id,
                {WINDOWS}
            FROM referrals_referral r JOIN catalogue_servicetype s ON s.id = r.service_type_id
            LEFT JOIN districts_municipality utrecht ON utrecht.code = 'GM0344'
            {where}
        ) c
        WHERE t.id = c.id AND ({", ".join(f"t.{c}" for c in COLUMNS)})
            IS DISTINCT FROM ({", ".join(f"c.{c}" for c in COLUMNS)});"""


FORWARD = [
    "ALTER TABLE referrals_referral "
    + ", ".join(f"ADD COLUMN {column} date" for column in COLUMNS),
    f"""CREATE FUNCTION referrals_recompute_earlier_in_care(clients bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- NULL: every client (a bulk load's catch-up), read in one pass rather than looked up.
    IF clients IS NULL THEN
        {_recompute("")}
    ELSE
        -- A join, so PostgreSQL looks up a few clients by index and many by hash.
        {_recompute("WHERE r.client_id IN (SELECT unnest(clients))")}
    END IF;
END $$""",
    f"""CREATE FUNCTION referrals_sync_earlier_in_care() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- The recompute's own UPDATE fires the update trigger again: nothing left to do there.
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    -- A bulk writer (wmo.referrals.care_history.deferred) notes the clients and recomputes
    -- them once at its end, instead of once per batch.
    IF current_setting('{DEFERRED_SETTING}', true) = 'on' THEN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO {PENDING_TABLE} SELECT DISTINCT client_id FROM new_rows
                ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO {PENDING_TABLE} SELECT DISTINCT client_id FROM old_rows
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM referrals_recompute_earlier_in_care(ARRAY(SELECT DISTINCT client_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM referrals_recompute_earlier_in_care(ARRAY(SELECT DISTINCT client_id FROM old_rows));
    ELSE
        -- Only rows whose client, groups or dates changed (or whose columns someone overwrote).
        PERFORM referrals_recompute_earlier_in_care(ARRAY(
            SELECT n.client_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE ({_columns("n.")}) IS DISTINCT FROM ({_columns("o.")})
            UNION
            SELECT o.client_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.client_id <> o.client_id));
    END IF;
    RETURN NULL;
END $$""",
    """CREATE FUNCTION referrals_sync_earlier_in_care_of_services() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM referrals_recompute_earlier_in_care(ARRAY(
        SELECT DISTINCT r.client_id FROM referrals_referral r
        JOIN new_rows n ON n.id = r.service_type_id JOIN old_rows o ON o.id = n.id
        WHERE n.objective IS DISTINCT FROM o.objective));
    RETURN NULL;
END $$""",
    """CREATE TRIGGER referral_earlier_in_care_insert AFTER INSERT ON referrals_referral
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_sync_earlier_in_care()""",
    """CREATE TRIGGER referral_earlier_in_care_update AFTER UPDATE ON referrals_referral
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_sync_earlier_in_care()""",
    """CREATE TRIGGER referral_earlier_in_care_delete AFTER DELETE ON referrals_referral
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_sync_earlier_in_care()""",
    """CREATE TRIGGER servicetype_earlier_in_care_update AFTER UPDATE ON catalogue_servicetype
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_sync_earlier_in_care_of_services()""",
    "SELECT referrals_recompute_earlier_in_care(NULL)",
    # The same index as the model declares (referral_closed_on_idx), with the columns added.
    "DROP INDEX IF EXISTS referral_closed_on_idx",
    f"CREATE INDEX referral_closed_on_idx ON referrals_referral ({INDEX_KEY}) "
    f"INCLUDE ({', '.join([*INDEX_INCLUDES, *COLUMNS])})",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS servicetype_earlier_in_care_update ON catalogue_servicetype",
    "DROP TRIGGER IF EXISTS referral_earlier_in_care_insert ON referrals_referral",
    "DROP TRIGGER IF EXISTS referral_earlier_in_care_update ON referrals_referral",
    "DROP TRIGGER IF EXISTS referral_earlier_in_care_delete ON referrals_referral",
    "DROP FUNCTION IF EXISTS referrals_sync_earlier_in_care_of_services()",
    "DROP FUNCTION IF EXISTS referrals_sync_earlier_in_care()",
    "DROP FUNCTION IF EXISTS referrals_recompute_earlier_in_care(bigint[])",
    "DROP INDEX IF EXISTS referral_closed_on_idx",
    "ALTER TABLE referrals_referral "
    + ", ".join(f"DROP COLUMN IF EXISTS {column}" for column in COLUMNS),
    f"CREATE INDEX referral_closed_on_idx ON referrals_referral ({INDEX_KEY}) "
    f"INCLUDE ({', '.join(INDEX_INCLUDES)})",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_dated_norms"),
        ("districts", "0003_u16_municipalities"),
        ("referrals", "0009_transition_notice"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False),
    ]
