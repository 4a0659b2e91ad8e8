"""Writes: registering referrals and cases, and the referral transitions. Views, the API and
the importers all call these, so one rule holds everywhere."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import BuurtteamCase, Client, Referral, ReferralEvent, ReferralState
from .pseudonyms import bsn_error, client_key
from .rules import case_date_errors, referral_date_errors


def client_for_bsn(bsn: str, birth_year: int | None = None) -> Client:
    """Check the BSN (eleven-test) and return the pseudonymous client; the BSN is not kept."""
    message = bsn_error(bsn)
    if message:
        raise ValidationError({"bsn": message})
    client, created = Client.objects.get_or_create(key=client_key(bsn.strip()),
                                                   defaults={"birth_year": birth_year})  # fmt: skip
    if not created and birth_year and client.birth_year != birth_year:
        client.birth_year = birth_year
        client.save(update_fields=["birth_year"])
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


@transaction.atomic
def register_referral(*, user, bsn: str, district, service_type, provider, referral_date,
                      contractor=None, team=None, group_based=False, birth_year=None,
                      external_id: str = "", idempotency_key=None, source="form") -> Referral:  # fmt: skip
    """Create a referral; the same idempotency key twice returns the first referral."""
    if idempotency_key:
        existing = Referral.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    errors = referral_date_errors(referral_date, None, None, None, "", None)
    if service_type and referral_date and not service_type.is_valid_on(referral_date):
        errors["service_type"] = "Deze voorziening is niet geldig op de verwijsdatum."
    message = bsn_error(bsn)
    if message:
        errors["bsn"] = message
    if errors:
        raise ValidationError(errors)
    client = client_for_bsn(bsn, birth_year)
    referral = Referral(
        external_id=external_id or new_external_id("V"), client=client, district=district,
        service_type=service_type, provider=provider, contractor=contractor or provider,
        referral_date=referral_date, group_based=bool(group_based), team=team,
        registered_by=user if getattr(user, "is_authenticated", False) else None,
        idempotency_key=idempotency_key,
    )  # fmt: skip
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        if idempotency_key:  # a concurrent double submit won the race
            return Referral.objects.get(idempotency_key=idempotency_key)
        raise ValidationError({"external_id": "Dit verwijzingsnummer bestaat al."}) from None
    record_event(referral, user, "", {"referral_date": referral_date}, source=source)
    return referral


@transaction.atomic
def register_case(*, user, bsn: str, district, buurtteam, registration_date, support_form,
                  first_contact_date=None, closed_date=None, birth_year=None,
                  external_id: str = "", idempotency_key=None) -> BuurtteamCase:  # fmt: skip
    if idempotency_key:
        existing = BuurtteamCase.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    errors = case_date_errors(registration_date, first_contact_date, closed_date)
    message = bsn_error(bsn)
    if message:
        errors["bsn"] = message
    if errors:
        raise ValidationError(errors)
    case = BuurtteamCase(
        external_id=external_id or new_external_id("C"), client=client_for_bsn(bsn, birth_year),
        district=district, buurtteam=buurtteam, registration_date=registration_date,
        first_contact_date=first_contact_date, closed_date=closed_date,
        support_form=support_form, idempotency_key=idempotency_key,
        registered_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if idempotency_key:
            return BuurtteamCase.objects.get(idempotency_key=idempotency_key)
        raise ValidationError({"external_id": "Dit casusnummer bestaat al."}) from None
    return case


# --- transitions ------------------------------------------------------------------------------

ALLOWED_FROM = {
    "assign": {ReferralState.REGISTERED},
    "start": {ReferralState.REGISTERED, ReferralState.ASSIGNED},
    "end": {ReferralState.STARTED},
    "cancel": {ReferralState.REGISTERED, ReferralState.ASSIGNED},
}
NOT_ALLOWED = {
    "assign": "Alleen een aangemelde verwijzing kan worden toegewezen.",
    "start": "Alleen een aangemelde of toegewezen verwijzing kan starten.",
    "end": "Alleen een gestarte verwijzing kan worden beëindigd.",
    "cancel": "Alleen een verwijzing die nog niet is gestart kan worden geannuleerd.",
}
DATE_FIELD = {"assign": "assignment_date", "start": "start_date", "end": "end_date",
              "cancel": "cancelled_date"}  # fmt: skip


@transaction.atomic
def transition(referral: Referral, action: str, *, user, date: datetime.date,
               end_reason: str = "", source: str = "form") -> Referral:  # fmt: skip
    """assign / start / end / cancel: check the state and the date rules, save, record an event."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    from_state = referral.state
    if from_state not in ALLOWED_FROM[action]:
        raise ValidationError({DATE_FIELD[action]: NOT_ALLOWED[action]})
    if not date:
        raise ValidationError({DATE_FIELD[action]: "Dit veld is verplicht."})
    changes = {DATE_FIELD[action]: date}
    if action == "end":
        if not end_reason:
            raise ValidationError({"end_reason": "Kies een reden van beëindiging."})
        changes["end_reason"] = end_reason
    for name, value in changes.items():
        setattr(referral, name, value)
    errors = referral_date_errors(
        referral.referral_date, referral.assignment_date, referral.start_date,
        referral.end_date, referral.end_reason, referral.cancelled_date,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    referral.full_clean(exclude=["client", "provider", "contractor", "district", "service_type"],
                        validate_unique=False)  # fmt: skip
    referral.save(update_fields=list(changes))
    record_event(referral, user, from_state, changes, source=source)
    return referral


def assign(referral, *, user, date, **kw):
    return transition(referral, "assign", user=user, date=date, **kw)


def start(referral, *, user, date, **kw):
    return transition(referral, "start", user=user, date=date, **kw)


def end(referral, *, user, date, end_reason, **kw):
    return transition(referral, "end", user=user, date=date, end_reason=end_reason, **kw)


def cancel(referral, *, user, date, **kw):
    return transition(referral, "cancel", user=user, date=date, **kw)
