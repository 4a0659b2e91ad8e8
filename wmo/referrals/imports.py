"""referrals.csv and cases.csv (domain/INTERCHANGE.md), through the one importer framework."""

from districts.models import Buurtteam, District
from providers.models import Provider
from wmo.imports import (
    CHUNK,
    Column,
    Importer,
    RowErrors,
    insert_new,
    parse_bool,
    parse_choice,
    parse_date,
)

from .models import (
    BuurtteamCase,
    Client,
    EndReason,
    Referral,
    ReferralEvent,
    ServiceType,
    SupportForm,
    state_from_dates,
)
from .pseudonyms import bsn_error, client_key
from .rules import case_date_errors, referral_date_errors

REFERRAL_FIELD_COLUMNS = {
    "referral_date": "referral_date", "start_date": "start_date", "end_date": "end_date",
    "end_reason": "end_reason", "cancelled_date": "cancelled_date",
}  # fmt: skip
EVENT_FIELDS = ["start_date", "end_date", "end_reason", "cancelled_date"]


class ClientKeysMixin:
    """Clients are hashed per row and got-or-created in bulk when saving."""

    def client_of(self, errors: RowErrors, row: dict) -> str | None:
        message = bsn_error(row.get("bsn", ""))
        if message:
            errors.add("bsn", message)
            return None
        return client_key(row["bsn"])

    @staticmethod
    def attach_clients(cleaned_rows: list[dict]) -> None:
        keys = sorted({row["client"] for row in cleaned_rows})
        clients: dict[str, Client] = {}
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            found = {c.key: c for c in Client.objects.filter(key__in=chunk)}
            missing = [Client(key=key) for key in chunk if key not in found]
            if missing:
                Client.objects.bulk_create(missing, ignore_conflicts=True)
                found = {c.key: c for c in Client.objects.filter(key__in=chunk)}
            clients.update(found)
        for row in cleaned_rows:
            row["client"] = clients[row["client"]]


class ReferralImporter(ClientKeysMixin, Importer):
    title = "Verwijzingen importeren"
    model = Referral
    id_column = "referral_id"
    id_field = "external_id"
    columns = [
        "referral_id", "bsn", "district", "service_type", "provider_agb",
        Column("contractor_agb", required=False), "referral_date",
        Column("start_date", required=False), Column("end_date", required=False),
        Column("end_reason", required=False), Column("cancelled_date", required=False),
        Column("group_based", required=False),
    ]  # fmt: skip
    field_columns = REFERRAL_FIELD_COLUMNS

    def __init__(self, user=None):
        super().__init__()
        self.user = user

    def prepare(self):
        self.districts = self.code_table(District, "code")
        self.service_types = self.code_table(ServiceType, "code")
        self.providers = self.code_table(Provider, "agb_code")

    def validate_row(self, row):
        errors = RowErrors()
        key = self.client_of(errors, row)
        district = errors.lookup(self.districts, row, "district", "Onbekende wijkcode.")
        service = errors.lookup(self.service_types, row, "service_type",
                                "Onbekende voorziening.")  # fmt: skip
        provider = errors.lookup(self.providers, row, "provider_agb", "Onbekende AGB-code.")
        contractor = errors.lookup(self.providers, row, "contractor_agb", "Onbekende AGB-code.",
                                   required=False) or provider  # fmt: skip
        dates = {name: errors.call(parse_date, row, name, required=name == "referral_date")
                 for name in ("referral_date", "start_date", "end_date", "cancelled_date")}  # fmt: skip
        end_reason = errors.call(parse_choice, row, "end_reason", choices=EndReason,
                                 required=False)  # fmt: skip
        group_based = errors.call(parse_bool, row, "group_based")
        if not errors.errors:
            for name, message in referral_date_errors(
                dates["referral_date"], None, dates["start_date"], dates["end_date"],
                end_reason, dates["cancelled_date"],
            ).items():  # fmt: skip
                errors.add(REFERRAL_FIELD_COLUMNS.get(name, ""), message)
        errors.raise_if_any()
        return {
            "external_id": row["referral_id"], "client": key, "district": district,
            "service_type": service, "provider": provider, "contractor": contractor,
            **dates, "end_reason": end_reason or "", "group_based": bool(group_based),
        }  # fmt: skip

    def save(self, cleaned_rows):
        self.attach_clients(cleaned_rows)
        before = {}
        ids = [row["external_id"] for row in cleaned_rows]
        for start in range(0, len(ids), CHUNK):
            for values in Referral.objects.filter(
                external_id__in=ids[start : start + CHUNK]
            ).values("external_id", "assignment_date", *EVENT_FIELDS):
                before[values["external_id"]] = values
        counts = self.upsert(cleaned_rows)
        self.record_events(cleaned_rows, before)
        return counts

    def record_events(self, cleaned_rows, before):
        pending = []  # (external_id, from_state, to_state, changes)
        for row in cleaned_rows:
            old = before.get(row["external_id"])
            if old is None:
                from_state, assignment = "", None
                changes = {"referral_date": row["referral_date"]}
                changes.update({name: row[name] for name in EVENT_FIELDS if row[name]})
            else:
                assignment = old["assignment_date"]
                from_state = state_from_dates(assignment, old["start_date"], old["end_date"],
                                              old["cancelled_date"])  # fmt: skip
                changes = {name: row[name] for name in EVENT_FIELDS if row[name] != old[name]}
                if not changes:
                    continue
            to_state = state_from_dates(assignment, row["start_date"], row["end_date"],
                                        row["cancelled_date"])  # fmt: skip
            changes = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                       for k, v in changes.items()}  # fmt: skip
            pending.append((row["external_id"], from_state, to_state, changes))
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            pks = dict(Referral.objects.filter(external_id__in=[p[0] for p in chunk])
                       .values_list("external_id", "pk"))  # fmt: skip
            insert_new(ReferralEvent, [
                ReferralEvent(referral_id=pks[ext], user=user, source="import",
                              from_state=frm, to_state=to, changes=changes)
                for ext, frm, to, changes in chunk
            ])  # fmt: skip


class CaseImporter(ClientKeysMixin, Importer):
    title = "Buurtteamcasussen importeren"
    model = BuurtteamCase
    id_column = "case_id"
    id_field = "external_id"
    columns = ["case_id", "bsn", "district", "team", "registration_date",
               Column("first_contact_date", required=False), Column("closed_date", required=False),
               "support_form"]  # fmt: skip
    field_columns = {"registration_date": "registration_date",
                     "first_contact_date": "first_contact_date", "closed_date": "closed_date"}  # fmt: skip

    def prepare(self):
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
            for name, message in case_date_errors(**dates).items():
                errors.add(name, message)
        errors.raise_if_any()
        return {"external_id": row["case_id"], "client": key, "district": district,
                "buurtteam": team, **dates, "support_form": support_form}  # fmt: skip

    def save(self, cleaned_rows):
        self.attach_clients(cleaned_rows)
        return self.upsert(cleaned_rows)
