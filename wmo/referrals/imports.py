"""referrals.csv and cases.csv (domain/INTERCHANGE.md), through the one importer framework.

Every change an import makes to a referral is a ReferralEvent in the format the services write
(`changes`: field → new value, foreign keys as their codes, dates ISO; a new referral's event
lists every value set), written in bulk and only for rows that were created or changed."""

import datetime

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_lazy

from districts.models import Buurtteam, District, Municipality
from providers.models import Provider
from wmo.accounts import audit
from wmo.catalogue.models import ServiceType
from wmo.imports.database import batch_size, copy_rows, fetch_by_keys
from wmo.imports.framework import Importer
from wmo.imports.parsing import parse_bool, parse_choice, parse_date
from wmo.imports.problems import RowError, RowErrors
from wmo.imports.reading import DATE, IDENTIFIER, Column

from . import care_history
from .contracts import ContractTerms, without_contract_message
from .models import (
    BuurtteamCase,
    Client,
    EndReason,
    Referral,
    ReferralEvent,
    SupportForm,
    state_from_dates,
)
from .pseudonyms import bsn_error, client_key
from .rules import (
    case_date_errors,
    pilot_errors,
    referral_area_errors,
    referral_date_errors,
    today,
)
from .succession_import import SuccessionImportMixin

REFERRAL_FIELD_COLUMNS = {
    "referral_date": "referral_date", "start_date": "start_date", "end_date": "end_date",
    "end_reason": "end_reason", "cancelled_date": "cancelled_date",
}  # fmt: skip
REFERRAL_DATES = ("referral_date", "start_date", "end_date", "cancelled_date")
# Attribute → the key an event uses for it, in the order an event lists them.
EVENT_KEYS = {
    "district_id": "district", "municipality_id": "municipality",
    "service_type_id": "service_type", "provider_id": "provider",
    "contractor_id": "contractor", "client_id": "client", "referral_date": "referral_date",
    "start_date": "start_date", "end_date": "end_date", "end_reason": "end_reason",
    "cancelled_date": "cancelled_date", "group_based": "group_based",
}  # fmt: skip


def bsn_column() -> Column:
    return Column("bsn", kind=IDENTIFIER, digits=9, masked=True)


def agb_column(name: str) -> Column:
    return Column(name, kind=IDENTIFIER, digits=8)


def date_column(name: str) -> Column:
    return Column(name, kind=DATE)


def insert_clients(keys: list[str]) -> dict[str, int]:
    """New clients by key → their pks. A key that exists meanwhile (a form registered that
    person a moment ago) is found, not an error. On PostgreSQL one array parameter per batch,
    the new ids returned by the INSERT itself."""
    connection = connections[router.db_for_write(Client)]
    if connection.vendor != "postgresql":
        Client.objects.bulk_create([Client(key=key) for key in keys], ignore_conflicts=True,
                                   batch_size=500)  # fmt: skip
        return dict(fetch_by_keys(Client, "key", keys, ["key", "pk"]))
    ids: dict[str, int] = {}
    size = batch_size(connection)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), size):
            cursor.execute(f"INSERT INTO {connection.ops.quote_name(Client._meta.db_table)} (key) "
                           "SELECT unnest(%s::text[]) ON CONFLICT (key) DO NOTHING RETURNING key, id",
                           [keys[start : start + size]])  # fmt: skip
            ids.update(cursor.fetchall())
    raced = [key for key in keys if key not in ids]
    if raced:
        ids.update(fetch_by_keys(Client, "key", raced, ["key", "pk"]))
    return ids


BSN_CACHE = 100_000
"""Distinct BSNs whose check and key are remembered (about 30 MB); then the memory starts over."""


class ClientKeysMixin:
    """Person-level importers. A BSN is checked and hashed once per distinct value (up to
    BSN_CACHE at a time); the clients are found or created in bulk when saving (a few queries
    per ten thousand keys). A successful import is one audit-trail line naming every record it
    created or changed, by `user` from `address` (left empty: the user and address of the
    current request)."""

    def prepare_clients(self):
        self._bsn_keys: dict[str, tuple[str, str | None]] = {}
        self.client_keys: dict[int, str] = {}
        self._created_ids: list[str] = []
        self._updated_ids: list[str] = []

    def written(self, created, updated):
        self._created_ids.extend(values["external_id"] for _, values in created)
        self._updated_ids.extend(new["external_id"] for _, _, new, _ in updated)

    def on_successful_import(self, result, filename):
        care_history.catch_up()
        super().on_successful_import(result, filename)
        audit.record_import(self.model, created=self._created_ids, updated=self._updated_ids,
                            unchanged=result.unchanged, filename=filename, user=self.user,
                            address=self.address)  # fmt: skip

    def client_of(self, errors: RowErrors, row: dict) -> str | None:
        bsn = row.get("bsn", "")
        known = self._bsn_keys.get(bsn)
        if known is None:
            if len(self._bsn_keys) >= BSN_CACHE:
                self._bsn_keys.clear()
            message = bsn_error(bsn)
            known = self._bsn_keys[bsn] = ("", message) if message else (client_key(bsn), None)
        if known[1]:
            errors.add("bsn", known[1])
            return None
        return known[0]

    def attach_clients(self, cleaned_rows: list[dict]) -> None:
        """Replace each row's client key (`client_id`) by the client's pk. In a dry run a new
        client is not created: it gets a pk no stored row has, so its row counts as new or
        changed, as it would."""
        keys = sorted({row["client_id"] for row in cleaned_rows})
        ids = dict(fetch_by_keys(Client, "key", keys, ["key", "pk"]))
        missing = [key for key in keys if key not in ids]
        if missing and self.dry_run:
            ids.update((key, -position) for position, key in enumerate(missing, start=1))
        elif missing:
            ids.update(insert_clients(missing))
        for row in cleaned_rows:
            row["client_id"] = ids[row["client_id"]]
        self.client_keys = {pk: key for key, pk in ids.items()}


class ReferralImporter(SuccessionImportMixin, ClientKeysMixin, Importer):
    title = gettext_lazy("Verwijzingen importeren")
    kind = "referrals"
    model = Referral
    id_column = "referral_id"
    id_field = "external_id"
    columns = [
        "referral_id", bsn_column(), "district", "service_type", agb_column("provider_agb"),
        agb_column("contractor_agb"), date_column("referral_date"), date_column("start_date"),
        date_column("end_date"), "end_reason", date_column("cancelled_date"), "group_based",
        # The optional columns of INTERCHANGE.md; the others must be in every file's header.
        Column("municipality", required=False),
        Column("previous_referral_id", required=False, kind=IDENTIFIER),
        Column("pilot", required=False),
    ]  # fmt: skip
    field_columns = {**REFERRAL_FIELD_COLUMNS, "previous": "previous_referral_id"}

    def prepare(self):
        self.prepare_clients()
        self.today = today()
        self.districts = self.code_table(District, "code")
        self.municipalities = self.code_table(Municipality, "code")
        self.service_types = self.code_table(ServiceType, "code")
        self.providers = self.code_table(Provider, "agb_code")
        self.assigned: dict[str, object] = {}
        self.contract_terms = ContractTerms()
        self.reset_successions()

    def validate_row(self, row):
        errors = RowErrors()
        key = self.client_of(errors, row)
        # A U16 client from outside Utrecht has a municipality and an empty district.
        municipality = errors.lookup(self.municipalities, row, "municipality",
                                     "Onbekende gemeentecode.", required=False)  # fmt: skip
        district = errors.lookup(self.districts, row, "district", "Onbekende wijkcode.",
                                 required=not row.get("municipality"))  # fmt: skip
        service = errors.lookup(self.service_types, row, "service_type",
                                "Onbekende voorziening.")  # fmt: skip
        provider = errors.lookup(self.providers, row, "provider_agb", "Onbekende AGB-code.")
        contractor = errors.lookup(self.providers, row, "contractor_agb", "Onbekende AGB-code.",
                                   required=False) or provider  # fmt: skip
        dates = {name: errors.call(parse_date, row, name, required=name == "referral_date")
                 for name in REFERRAL_DATES}  # fmt: skip
        end_reason = errors.call(parse_choice, row, "end_reason", choices=EndReason,
                                 required=False)  # fmt: skip
        group_based = errors.call(parse_bool, row, "group_based")
        pilot = errors.call(parse_bool, row, "pilot")
        self.check_previous(errors, row["referral_id"], key, row.get("previous_referral_id", ""),
                            dates["referral_date"], dates["start_date"])  # fmt: skip
        if not errors.errors:
            # The stored assignment date is checked in `check_stored`, for all rows at once.
            for name, message in referral_date_errors(
                dates["referral_date"], None, dates["start_date"], dates["end_date"],
                end_reason, dates["cancelled_date"], on=self.today,
            ).items():  # fmt: skip
                errors.add(REFERRAL_FIELD_COLUMNS.get(name, ""), message)
            for name, message in referral_area_errors(district, municipality, service).items():
                errors.add(name, message)
            for name, message in pilot_errors(pilot, service, dates["referral_date"]).items():
                errors.add(name, message)
        errors.raise_if_any()
        return {
            "external_id": row["referral_id"], "client_id": key, "district": district,
            "municipality": municipality, "service_type": service, "provider": provider, "contractor": contractor,
            **dates, "end_reason": end_reason or "", "group_based": bool(group_based),
            "pilot": bool(pilot),
        }  # fmt: skip

    def stored_assignments(self, rows) -> dict:
        """{external id: assignment date} of the stored referrals among `rows`, in bulk."""
        ids = [row["external_id"] for row in rows]
        return {
            external_id: assignment
            for external_id, assignment in fetch_by_keys(Referral, "external_id", ids,
                                                         ["external_id", "assignment_date"])
            if assignment is not None
        }  # fmt: skip

    def warnings_for(self, rows):
        """Historic referrals may predate the contract register (TRANSITION.md): a row whose
        contractor had no contract in force for the voorziening on the referral date is saved,
        and listed as a warning (and on the "zonder contract" list)."""
        for line, row in rows:
            contractor, service, day = row["contractor"], row["service_type"], row["referral_date"]
            if not self.contract_terms.covers(contractor.pk, service.pk, day):
                yield line, RowError("contractor_agb", without_contract_message(contractor, service, day),
                                     value=contractor.agb_code)  # fmt: skip

    def check_stored_area(self, rows):
        """Without the municipality column a row must name a wijk, and a stored U16 referral
        keeps its municipality (an absent optional column changes nothing): both at once is
        not allowed, so such a row is refused rather than silently moved to Utrecht."""
        if "municipality" not in self.absent_columns:
            return
        stored = dict(fetch_by_keys(Referral, "external_id", [row["external_id"] for _, row in rows],
                                    ["external_id", "municipality_id"]))  # fmt: skip
        codes = {municipality.pk: code for code, municipality in self.municipalities.items()}
        for line, row in rows:
            code = codes.get(stored.get(row["external_id"]))
            if code and row["district"] is not None:
                yield line, RowError("district", (
                    f"Deze verwijzing is opgeslagen voor een cliënt uit gemeente {code} (U16), "
                    "zonder wijk; een bestand zonder de kolom municipality kan dat niet wijzigen. "
                    "Neem de kolom municipality op."
                ), value=row["district"].code)  # fmt: skip

    def check_stored(self, rows):
        """A file cannot move the referral date past the assignment date already recorded
        (by the form or the API): the same rule as everywhere, with the stored assignment.
        And the successions that need stored referrals (`check_successions`)."""
        yield from self.check_successions(rows)
        yield from self.check_stored_area(rows)
        self.assigned = self.stored_assignments([row for _, row in rows])
        for line, row in rows:
            assignment = self.assigned.get(row["external_id"])
            if assignment is None:
                continue
            errors = referral_date_errors(
                row["referral_date"], assignment, row["start_date"], row["end_date"],
                row["end_reason"], row["cancelled_date"], on=self.today,
            )  # fmt: skip
            # The row passed the rules without the assignment: a start error here is about it.
            if "start_date" in errors and "assignment_date" not in errors:
                yield line, RowError("start_date", (
                    f"{errors['start_date']} De toewijzingsdatum {assignment:%d-%m-%Y} is al "
                    "vastgelegd; een bestand kan de startdatum niet daarvóór leggen."
                ), value=row["start_date"].isoformat())  # fmt: skip
            message = errors.get("assignment_date")
            if message:
                yield (
                    line,
                    RowError(
                        "referral_date",
                        f"{message} De toewijzingsdatum {assignment:%d-%m-%Y} is al vastgelegd; "
                        "een bestand kan de verwijsdatum niet daarna leggen.",
                        value=row["referral_date"].isoformat(),
                    ),
                )

    def start_saving(self):
        self.events_at = timezone.now()  # one moment for every event of the import
        care_history.defer()  # caught up in on_successful_import; a dry run rolls back
        self.codes = {
            "district_id": {d.pk: code for code, d in self.districts.items()},
            "municipality_id": {m.pk: code for code, m in self.municipalities.items()},
            "service_type_id": {s.pk: code for code, s in self.service_types.items()},
            "provider_id": {p.pk: code for code, p in self.providers.items()},
        }
        self.codes["contractor_id"] = self.codes["provider_id"]
        self.reset_successions()

    def save(self, cleaned_rows):
        self.attach_clients(cleaned_rows)
        # The states in this batch's events need the stored assignment dates.
        self.assigned = self.stored_assignments(cleaned_rows)
        relinked = self.relinked(cleaned_rows)
        created, updated, unchanged = self.upsert(
            [row for row in cleaned_rows if row["external_id"] not in relinked]
        )
        if relinked:
            # The predecessor is no field the upsert compares: a row with equal values whose
            # link changes is changed all the same, in the counts and the audit trail.
            mark = len(self._updated_ids)
            self.upsert([row for row in cleaned_rows if row["external_id"] in relinked])
            updated += len(relinked)
            counted = set(self._updated_ids[mark:])
            self._updated_ids.extend(sorted(relinked - counted))
        if not self.dry_run:
            self.link_predecessors(cleaned_rows)
        return created, updated, unchanged

    def touch_referral(self, values) -> None:
        """The quarters a referral counts in: referred by the quarter's end and not ended or
        cancelled before its start (indicators' referral sets)."""
        closed = [day for day in (values["end_date"], values["cancelled_date"]) if day]
        self.touch(values["referral_date"], min(closed) if closed else None)

    def touch_cases(self, referred: set[tuple[int, datetime.date]]) -> None:
        """A referral also counts for its client's buurtteam cases that were open on its
        referral date (bt_referral_rate, in the quarter such a case closed)."""
        if not referred:
            return
        cases = BuurtteamCase.objects.filter(
            client_id__in={client for client, _ in referred}, closed_date__isnull=False,
            closed_date__gte=min(day for _, day in referred),
        ).values_list("client_id", "registration_date", "closed_date")  # fmt: skip
        by_client: dict[int, list] = {}
        for client, registered, closed in cases:
            by_client.setdefault(client, []).append((registered, closed))
        for client, day in referred:
            for registered, closed in by_client.get(client, ()):
                if registered <= day <= closed:
                    self.touch(closed, closed)

    def written(self, created, updated):
        """One event per created or changed referral, copied in with the batch; and the
        quarters each counts in, before and after (Importer.touch)."""
        super().written(created, updated)
        referred = set()
        for _, values in created:
            self.touch_referral(values)
            referred.add((values["client_id"], values["referral_date"]))
        for _, old, new, changed in updated:
            self.touch_referral(old)
            self.touch_referral(new)
            if "client_id" in changed or "referral_date" in changed:
                referred.update({(old["client_id"], old["referral_date"]),
                                 (new["client_id"], new["referral_date"])})  # fmt: skip
        self.touch_cases(referred)
        rows = []
        # A new referral's event lists every value set (not the client: as the services do).
        listed = [(name, EVENT_KEYS[name], self.codes.get(name))
                  for name in (created[0][1] if created else ()) if name in EVENT_KEYS
                  and name != "client_id"]  # fmt: skip
        for pk, values in created:
            changes = {}
            for name, key, codes in listed:
                value = values[name]
                if value is None or value == "":
                    continue
                changes[key] = (codes[value] if codes else
                                value.isoformat() if isinstance(value, datetime.date) else value)  # fmt: skip
            rows.append((pk, "", self._state(None, values), changes))
        for pk, old, new, changed in updated:
            assignment = self.assigned.get(new["external_id"])
            changes = {EVENT_KEYS[name]: self._event_value(name, new[name])
                       for name in EVENT_KEYS if name in changed}  # fmt: skip
            rows.append((pk, self._state(assignment, old), self._state(assignment, new), changes))
        if not rows:
            return
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        copy_rows(ReferralEvent,
                  ["referral_id", "user_id", "at", "source", "from_state", "to_state", "changes"],
                  ((pk, user.pk if user else None, self.events_at, "import", from_state, to_state,
                    changes) for pk, from_state, to_state, changes in rows))  # fmt: skip

    @staticmethod
    def _state(assignment, values) -> str:
        return state_from_dates(assignment, values["start_date"], values["end_date"],
                                values["cancelled_date"])  # fmt: skip

    def _event_value(self, name, value):
        if value is None:
            return None
        if name == "client_id":
            return Client(key=self.client_keys.get(value, "")).short_key
        if name in self.codes:
            return self.codes[name].get(value)
        return value.isoformat() if hasattr(value, "isoformat") else value


class CaseImporter(ClientKeysMixin, Importer):
    title = gettext_lazy("Buurtteamcasussen importeren")
    kind = "cases"
    model = BuurtteamCase
    id_column = "case_id"
    id_field = "external_id"
    columns = ["case_id", bsn_column(), "district", "team",
               date_column("registration_date"), date_column("first_contact_date"),
               date_column("closed_date"), "support_form"]  # fmt: skip
    field_columns = {"registration_date": "registration_date",
                     "first_contact_date": "first_contact_date", "closed_date": "closed_date"}  # fmt: skip

    def prepare(self):
        self.prepare_clients()
        self.today = today()
        self.districts = self.code_table(District, "code")
        self.teams = self.code_table(Buurtteam, "code")

    def validate_row(self, row):
        errors = RowErrors()
        key = self.client_of(errors, row)
        district = errors.lookup(self.districts, row, "district", "Onbekende wijkcode.")
        team = errors.lookup(self.teams, row, "team", "Onbekende buurtteamcode.")
        dates = {name: errors.call(parse_date, row, name, required=name == "registration_date")
                 for name in ("registration_date", "first_contact_date", "closed_date")}  # fmt: skip
        support_form = errors.call(parse_choice, row, "support_form", choices=SupportForm)
        if not errors.errors:
            for name, message in case_date_errors(**dates, on=self.today).items():
                errors.add(name, message)
        errors.raise_if_any()
        return {"external_id": row["case_id"], "client_id": key, "district": district,
                "buurtteam": team, **dates, "support_form": support_form}  # fmt: skip

    def save(self, cleaned_rows):
        self.attach_clients(cleaned_rows)
        return self.upsert(cleaned_rows)

    def written(self, created, updated):
        """The quarters each created or changed case is open in, before and after."""
        super().written(created, updated)
        for values in self.before_and_after(created, updated):
            self.touch(values["registration_date"], values["closed_date"])
