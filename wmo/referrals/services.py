"""Writes: registering referrals and cases, the referral transitions and the events of imported
referrals. Views, the API and the importers all call these, so one rule holds everywhere.

Every change of a referral is a ReferralEvent: who, when, the state before and after and the
values set (`changes`, field → new value; a field's previous value is in the event before).
Every registration and transition is also an audit-trail line (wmo.accounts.audit), written in
the same transaction as the record, so one exists exactly when the other does."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.decorators.debug import sensitive_variables

from wmo.accounts import audit
from wmo.periods import Quarter

from .contracts import check_parties
from .models import BuurtteamCase, Client, Referral, ReferralEvent, ReferralState
from .pseudonyms import bsn_error, client_key
from .rules import (
    birth_year_errors,
    case_date_errors,
    pilot_errors,
    previous_referral_errors,
    previous_unknown,
    referral_area_errors,
    referral_date_errors,
)

changed = Signal()
"""Sent once a form or the API registered or changed a referral or case and that committed (so
the registration's own transaction stays as short as it was), with `quarters` (the quarters the
record counts in, before and after: counted_quarters) and `user`. The indicators queue a
recompute of those quarters' stored periods, as after an import (wmo.imports.framework.imported)."""


def counted_quarters(*spans) -> list[Quarter]:
    """The quarters of the (first day, last day) spans, a last day of None (still open) or in the
    future being today: the importer's rule (Importer.touch) for the form and the API."""
    today = timezone.localdate()
    numbers = set()
    for first, last in spans:
        if first is None:
            continue
        last = today if last is None or last > today else max(first, last)
        numbers.update(range(first.year * 4 + (first.month - 1) // 3,
                             last.year * 4 + (last.month - 1) // 3 + 1))  # fmt: skip
    return [Quarter(n // 4, n % 4 + 1) for n in sorted(numbers)]


def _referral_span(referral) -> tuple:
    """A referral counts from its referral date until it ended or was cancelled (indicators'
    referral sets)."""
    closed = [day for day in (referral.end_date, referral.cancelled_date) if day]
    return referral.referral_date, min(closed) if closed else None


def _announce(user, *spans) -> None:
    quarters = counted_quarters(*spans)
    if quarters:
        transaction.on_commit(lambda: changed.send(sender=Referral, quarters=quarters, user=user))


def _announce_referral(referral, user) -> None:
    """A new referral also counts for its client's cases open on its referral date, in the
    quarter such a case closed (bt_referral_rate), as in the importer; looked up after commit."""
    closed = BuurtteamCase.objects.filter(
        client_id=referral.client_id, registration_date__lte=referral.referral_date,
        closed_date__gte=referral.referral_date,
    ).values_list("closed_date", flat=True)  # fmt: skip
    quarters = counted_quarters(_referral_span(referral), *((day, day) for day in closed))
    changed.send(sender=Referral, quarters=quarters, user=user)


IDEMPOTENCY_MISMATCH = gettext_lazy(
    "Deze idempotentiesleutel is al gebruikt voor een registratie met andere gegevens. Er is "
    "niets opgeslagen; gebruik een nieuwe sleutel om deze gegevens te registreren."
)


def _client(key: str, birth_year: int | None) -> Client:
    """The client with this key, inserted or found in one statement: no select-then-insert
    race and no savepoint. A given birth year replaces the stored one; the returned object
    carries the birth year as given, not necessarily the stored one."""
    client = Client(key=key, birth_year=birth_year)
    Client.objects.bulk_create(
        [client], update_conflicts=True, unique_fields=["key"],
        update_fields=["birth_year"] if birth_year else ["key"],
    )  # fmt: skip
    return client


def new_external_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12].upper()}"


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def record_event(referral, user, from_state: str, changes: dict, source: str = "form"):
    return ReferralEvent.objects.create(
        referral=referral,
        user=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        from_state=from_state,
        to_state=referral.state,
        changes={k: _json(v) for k, v in changes.items()},
    )


def _registered_values(referral: Referral) -> dict:
    """What a registration sets, as codes a reader of the history recognises."""
    values = {
        "service_type": referral.service_type.code,
        "provider": referral.provider.agb_code, "contractor": referral.contractor.agb_code,
        "referral_date": referral.referral_date, "group_based": referral.group_based,
    }  # fmt: skip
    if referral.district is not None:
        values["district"] = referral.district.code
    if referral.municipality is not None:
        values["municipality"] = referral.municipality.code
    if referral.team is not None:
        values["team"] = referral.team.code
    if referral.previous is not None:
        values["previous"] = referral.previous.external_id
    if referral.pilot:
        values["pilot"] = True
    return values


def _same(existing, new, fields: list[str], key: str, external_id_given: bool) -> bool:
    return (
        existing.client.key == key
        and all(getattr(existing, name) == getattr(new, name) for name in fields)
        and (not external_id_given or existing.external_id == new.external_id)
    )


def _insert_once(record, key: str, birth_year, replay_fields: list[str], *, related: tuple,
                 external_id_given: bool, taken_id: str, then=None,
                 taken_previous=None):  # fmt: skip
    """Insert a new referral or case for the client with `key`, and run `then` on it in the same
    transaction. The insert itself decides, through the unique keys: a replayed idempotency key
    returns the record it created when the data is the same and is refused otherwise; a taken
    external id is a field error (`taken_id`). `related`: what the caller reads of a replay."""
    model = type(record)
    try:
        with transaction.atomic():
            record.client = _client(key, birth_year)
            record.save(force_insert=True)
            if then:
                then(record)
    except IntegrityError:
        existing = record.idempotency_key and (
            model.objects.select_related("client", *related)
            .filter(idempotency_key=record.idempotency_key).first()
        )  # fmt: skip
        if existing:
            if not _same(existing, record, replay_fields, key, external_id_given):
                raise ValidationError({"idempotency_key": IDEMPOTENCY_MISMATCH}) from None
            return existing
        if model.objects.filter(external_id=record.external_id).exists():
            raise ValidationError({"external_id": taken_id}) from None
        if taken_previous is not None:  # another registration named it as predecessor meanwhile
            raise ValidationError({"previous": gettext("De vorige verwijzing %(id)s heeft al een opvolger.")
                                               % {"id": taken_previous}}) from None  # fmt: skip
        raise
    return record


REPLAY_FIELDS = ["district_id", "municipality_id", "service_type_id", "provider_id", "contractor_id",
                 "referral_date", "group_based", "team_id", "previous_id", "pilot"]  # fmt: skip


def previous_referral(previous_id: str, key: str, own_id: str = "", user=None, referral_date=None):
    """(the referral `previous_id` names, {field: Dutch message}) for a new referral of the
    client with `key`, referred on `referral_date`: the one rule of
    rules.previous_referral_errors. A new referral has no start date yet and nothing names it,
    so only the referral dates can be out of order and no circle can form. With a `user`, only the
    referrals that user may see count (`visible_to`): another team's referral is unknown, and
    another team's successor is not named, so the field cannot probe other teams' records."""
    if not previous_id:
        return None, {}
    visible = Referral.objects.all() if user is None else Referral.objects.visible_to(user)
    previous = visible.select_related("client").filter(external_id=previous_id).first()
    if previous is None:
        return None, previous_unknown(previous_id)
    successors = Referral.objects.filter(previous_id=previous.pk)
    successor = visible.filter(pk__in=successors.values("pk")).values_list("external_id", flat=True)
    successor = successor.first() or (
        gettext("een verwijzing van een ander buurtteam") if successors.exists() else None
    )
    return previous, previous_referral_errors(
        previous_id, key, previous.client.key, own_id, successor, dates=(referral_date, None),
        previous_dates=(previous.referral_date, previous.start_date),
    )  # fmt: skip


# A referral belongs to the buurtteam that registers it (its waiting list, its changes): an
# account of no team (a superuser, say) registers none, or nobody would ever see it again.
NO_TEAM = gettext_noop(
    "Alleen een medewerker van een buurtteam kan een verwijzing registreren: uw account hoort bij "
    "geen buurtteam."
)


@sensitive_variables("bsn")
def register_referral(*, user, bsn: str, district, service_type, provider, referral_date,
                      contractor=None, team=None, group_based=False, birth_year=None,
                      external_id: str = "", idempotency_key=None, source="form",
                      municipality=None, previous_id: str = "", pilot=False) -> Referral:  # fmt: skip
    """Create a referral for the registering buurtteam (`team`: required, NO_TEAM) after the
    date, area (`rules.referral_area_errors`: a wijk, or a U16 municipality for objective V),
    BSN and contract rules (`contracts.check_parties`, in any wijk for a municipality; an empty
    contractor is filled in there), the successor rule
    (`previous_id`: the external id of the referral this one follows, same client, at most one
    successor) and the pilot rule (`rules.pilot_errors`).

    The same idempotency key with the same data returns the first referral (a double submit);
    the same key with other data is refused. The insert itself decides, through the unique
    key, so the common case costs no look-up first."""
    errors = referral_date_errors(referral_date, None, None, None, "", None)
    if team is None:
        errors["team"] = gettext(NO_TEAM)
    if service_type and referral_date and not service_type.is_valid_on(referral_date):
        errors["service_type"] = gettext("Deze voorziening is niet geldig op de verwijsdatum.")
    for name, text in referral_area_errors(district, municipality, service_type).items():
        errors.setdefault(name, text)
    message = bsn_error(bsn)
    if message:
        errors["bsn"] = message
    for name, text in pilot_errors(pilot, service_type, referral_date).items():
        errors.setdefault(name, text)
    errors.update(birth_year_errors(birth_year, referral_date))
    previous = None
    if previous_id and not message:
        previous, previous_errors = previous_referral(previous_id.strip(), client_key(bsn.strip()),
                                                      external_id, user, referral_date)  # fmt: skip
        for name, text in previous_errors.items():
            errors.setdefault(name, text)
    area_known = district is not None or (municipality is not None and "municipality" not in errors)
    if area_known and service_type and provider and "referral_date" not in errors:
        contractor, party_errors = check_parties(service_type, district, referral_date, provider,
                                                 contractor)  # fmt: skip
        for name, text in party_errors.items():
            errors.setdefault(name, text)
    if errors:
        raise ValidationError(errors)
    key = client_key(bsn.strip())
    referral = Referral(
        external_id=external_id or new_external_id("V"), district=district,
        municipality=municipality, service_type=service_type, provider=provider, contractor=contractor,
        referral_date=referral_date, group_based=bool(group_based), team=team,
        registered_by=user if getattr(user, "is_authenticated", False) else None,
        idempotency_key=idempotency_key, previous=previous, pilot=bool(pilot),
    )  # fmt: skip

    def registered(saved):
        record_event(saved, user, "", _registered_values(saved), source=source)
        audit.record_create(saved, user=user, details={"bron": source})
        transaction.on_commit(lambda: _announce_referral(saved, user))

    return _insert_once(
        referral, key, birth_year, REPLAY_FIELDS, external_id_given=bool(external_id),
        related=("district", "municipality", "service_type", "provider", "contractor", "team"),
        taken_id=gettext("Dit verwijzingsnummer bestaat al."), then=registered, taken_previous=previous,
    )  # fmt: skip


CASE_REPLAY_FIELDS = ["district_id", "buurtteam_id", "registration_date", "first_contact_date",
                      "closed_date", "support_form"]  # fmt: skip


@sensitive_variables("bsn")
def register_case(*, user, bsn: str, district, buurtteam, registration_date, support_form,
                  first_contact_date=None, closed_date=None, birth_year=None,
                  external_id: str = "", idempotency_key=None) -> BuurtteamCase:  # fmt: skip
    """Create a buurtteam case after the date and BSN rules; idempotency as register_referral."""
    errors = case_date_errors(registration_date, first_contact_date, closed_date)
    errors.update(birth_year_errors(birth_year, registration_date, "registration_date"))
    message = bsn_error(bsn)
    if message:
        errors["bsn"] = message
    if errors:
        raise ValidationError(errors)
    key = client_key(bsn.strip())
    case = BuurtteamCase(
        external_id=external_id or new_external_id("C"), district=district, buurtteam=buurtteam,
        registration_date=registration_date, first_contact_date=first_contact_date,
        closed_date=closed_date, support_form=support_form, idempotency_key=idempotency_key,
        registered_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    return _insert_once(
        case, key, birth_year, CASE_REPLAY_FIELDS, external_id_given=bool(external_id),
        related=("district", "buurtteam"),
        taken_id=gettext("Dit casusnummer bestaat al."),
        then=lambda saved: _case_registered(saved, user),
    )  # fmt: skip


def _case_registered(case, user) -> None:
    audit.record_create(case, user=user)
    _announce(user, (case.registration_date, case.closed_date))


# --- transitions ------------------------------------------------------------------------------

ALLOWED_FROM = {
    "assign": {ReferralState.REGISTERED},
    "start": {ReferralState.REGISTERED, ReferralState.ASSIGNED},
    "end": {ReferralState.STARTED},
    "cancel": {ReferralState.REGISTERED, ReferralState.ASSIGNED},
}
NOT_ALLOWED = {
    "assign": gettext_lazy("Alleen een aangemelde verwijzing kan worden toegewezen."),
    "start": gettext_lazy("Alleen een aangemelde of toegewezen verwijzing kan starten."),
    "end": gettext_lazy("Alleen een gestarte verwijzing kan worden beëindigd."),
    "cancel": gettext_lazy("Alleen een verwijzing die nog niet is gestart kan worden geannuleerd."),
}
DATE_FIELD = {"assign": "assignment_date", "start": "start_date", "end": "end_date",
              "cancel": "cancelled_date"}  # fmt: skip
REQUIRED = {
    "assign": gettext_lazy("De toewijzingsdatum is verplicht."),
    "start": gettext_lazy("De startdatum is verplicht."),
    "end": gettext_lazy("De einddatum is verplicht."),
    "cancel": gettext_lazy("De annuleringsdatum is verplicht."),
}


@transaction.atomic
def transition(referral: Referral, action: str, *, user, date: datetime.date,
               end_reason: str = "", source: str = "form") -> Referral:  # fmt: skip
    """assign / start / end / cancel: check the state and the date rules, save, record an event."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    from_state = referral.state
    if from_state not in ALLOWED_FROM[action]:
        raise ValidationError({DATE_FIELD[action]: NOT_ALLOWED[action]})
    if not date:
        raise ValidationError({DATE_FIELD[action]: REQUIRED[action]})
    changes = {DATE_FIELD[action]: date}
    if action == "end":
        if not end_reason:
            raise ValidationError({"end_reason": gettext("Kies een reden van beëindiging.")})
        changes["end_reason"] = end_reason
    before = {name: getattr(referral, name) for name in changes}
    span_before = _referral_span(referral)
    for name, value in changes.items():
        setattr(referral, name, value)
    errors = referral_date_errors(
        referral.referral_date, referral.assignment_date, referral.start_date,
        referral.end_date, referral.end_reason, referral.cancelled_date,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    try:
        referral.full_clean(exclude=["client", "provider", "contractor", "district", "municipality",
                                     "service_type"], validate_unique=False)  # fmt: skip
    except ValidationError as error:
        # A transition changes no link: a succession refused now is about the date just given
        # (a start before the predecessor's), so it goes with that date.
        raise ValidationError({DATE_FIELD[action] if name == "previous" else name: messages
                               for name, messages in error.message_dict.items()}) from None  # fmt: skip
    referral.save(update_fields=list(changes))
    _announce(user, span_before, _referral_span(referral))
    record_event(referral, user, from_state, changes, source=source)
    audit.record_change(referral, user=user, details={"overgang": action, "bron": source},
                        changes={name: [before[name], value] for name, value in changes.items()})  # fmt: skip
    return referral


def assign(referral, *, user, date, **kw):
    return transition(referral, "assign", user=user, date=date, **kw)


def start(referral, *, user, date, **kw):
    return transition(referral, "start", user=user, date=date, **kw)


def end(referral, *, user, date, end_reason, **kw):
    return transition(referral, "end", user=user, date=date, end_reason=end_reason, **kw)


def cancel(referral, *, user, date, **kw):
    return transition(referral, "cancel", user=user, date=date, **kw)


# --- a case's steps -----------------------------------------------------------------------------

CASE_STEPS = {"first_contact": "first_contact_date", "close": "closed_date"}
CASE_STEP_TAKEN = {
    "first_contact": gettext_lazy("Het eerste contact van deze casus is al vastgelegd."),
    "close": gettext_lazy("Deze casus is al afgesloten."),
}
CASE_STEP_REQUIRED = {
    "first_contact": gettext_lazy("Geef de datum van het eerste contact."),
    "close": gettext_lazy("Geef de afsluitdatum."),
}


def case_step(case: BuurtteamCase, step: str, *, user, date: datetime.date,
              source: str = "form") -> BuurtteamCase:  # fmt: skip
    """Record a case's first contact or its closing, each once, by the date rules of
    registration and import (rules.case_date_errors); audit-logged, and the quarters it
    changes are recomputed (the first-contact norm of 5 working days, INDICATORS.md)."""
    field = CASE_STEPS[step]
    with transaction.atomic():
        case = BuurtteamCase.objects.select_for_update().get(pk=case.pk)
        if getattr(case, field):
            raise ValidationError({field: CASE_STEP_TAKEN[step]})
        if not date:
            raise ValidationError({field: CASE_STEP_REQUIRED[step]})
        span_before = (case.registration_date, case.closed_date)
        setattr(case, field, date)
        errors = case_date_errors(case.registration_date, case.first_contact_date,
                                  case.closed_date)  # fmt: skip
        if errors:
            raise ValidationError(errors)
        case.save(update_fields=[field])
        _announce(user, span_before, (case.registration_date, case.closed_date))
        audit.record_change(case, user=user, details={"stap": step, "bron": source},
                            changes={field: [None, date]})  # fmt: skip
    return case
