"""The date and area rules of domain/INTERCHANGE.md: one place, called by the models' clean(), the
services (form, API transitions) and the importers. Each returns {field: Dutch message}."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from districts.models import UTRECHT_GEMEENTE_CODE
from wmo.catalogue.models import Objective
from wmo.imports.limits import EARLIEST_DATE

# Each message names its field, so it reads right in the form, the API and an import report.
FUTURE = {
    "referral_date": gettext_noop("De verwijsdatum ligt in de toekomst."),
    "assignment_date": gettext_noop("De toewijzingsdatum ligt in de toekomst."),
    "start_date": gettext_noop("De startdatum ligt in de toekomst."),
    "end_date": gettext_noop("De einddatum ligt in de toekomst."),
    "cancelled_date": gettext_noop("De annuleringsdatum ligt in de toekomst."),
    "registration_date": gettext_noop("De aanmelddatum ligt in de toekomst."),
    "first_contact_date": gettext_noop("De datum van eerste contact ligt in de toekomst."),
    "closed_date": gettext_noop("De afsluitdatum ligt in de toekomst."),
}


def future(name: str) -> str:
    # Whole sentences per field: a translation may need another word order.
    return gettext(FUTURE[name])


TOO_EARLY = {
    "referral_date": gettext_noop("De verwijsdatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
    "assignment_date": gettext_noop("De toewijzingsdatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
    "start_date": gettext_noop("De startdatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
    "end_date": gettext_noop("De einddatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
    "cancelled_date": gettext_noop("De annuleringsdatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
    "registration_date": gettext_noop("De aanmelddatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
    "first_contact_date": gettext_noop(
        "De datum van eerste contact ligt vóór %(earliest)s, toen de Wmo 2015 inging."
    ),
    "closed_date": gettext_noop("De afsluitdatum ligt vóór %(earliest)s, toen de Wmo 2015 inging."),
}  # fmt: skip


def too_early(name: str) -> str:
    return gettext(TOO_EARLY[name]) % {"earliest": f"{EARLIEST_DATE:%d-%m-%Y}"}


def _dated(dates: dict, on: datetime.date) -> dict[str, str]:
    """Every date within the range of domain/INTERCHANGE.md that the importers read too
    (wmo.imports.parsing): not before the Wmo 2015, not after `on`."""
    errors: dict[str, str] = {}
    for name, value in dates.items():
        if value and value > on:
            errors[name] = future(name)
        elif value and value < EARLIEST_DATE:
            errors[name] = too_early(name)
    return errors


def today() -> datetime.date:
    return timezone.localdate()


def referral_date_errors(referral_date, assignment_date, start_date, end_date, end_reason,
                         cancelled_date, on: datetime.date | None = None) -> dict[str, str]:  # fmt: skip
    on = on or today()
    errors: dict[str, str] = {}
    dates = {
        "referral_date": referral_date, "assignment_date": assignment_date,
        "start_date": start_date, "end_date": end_date, "cancelled_date": cancelled_date,
    }  # fmt: skip
    errors.update(_dated(dates, on))
    if not referral_date:
        errors["referral_date"] = gettext("De verwijsdatum is verplicht.")
        return errors
    if assignment_date and assignment_date < referral_date and "assignment_date" not in errors:
        errors["assignment_date"] = gettext("De toewijzingsdatum ligt vóór de verwijsdatum.")
    if start_date and start_date < referral_date and "start_date" not in errors:
        errors["start_date"] = gettext("De startdatum ligt vóór de verwijsdatum.")
    # The support starts once assigned (iWmo: toewijzing before start), so never before it.
    if (start_date and assignment_date and start_date < assignment_date
            and not errors.keys() & {"start_date", "assignment_date"}):  # fmt: skip
        errors["start_date"] = gettext("De startdatum ligt vóór de toewijzingsdatum.")
    if end_date and "end_date" not in errors:
        if not start_date:
            errors["end_date"] = gettext("Een einddatum kan alleen bij een gestarte verwijzing.")
        elif end_date < start_date:
            errors["end_date"] = gettext("De einddatum ligt vóór de startdatum.")
    if end_reason and not end_date:
        errors.setdefault(
            "end_reason", gettext("Een reden van beëindiging hoort bij een einddatum.")
        )
    if cancelled_date and "cancelled_date" not in errors:
        if start_date:
            errors["cancelled_date"] = gettext(
                "Een gestarte verwijzing kan niet worden geannuleerd; beëindig haar."
            )
        elif cancelled_date < referral_date:
            errors["cancelled_date"] = gettext("De annuleringsdatum ligt vóór de verwijsdatum.")
    return errors


AREA_NEITHER = gettext_noop(
    "De wijk is verplicht; voor opvang en verblijf (doel V) kan in plaats daarvan de U16-gemeente "
    "van een cliënt van buiten Utrecht."
)
AREA_BOTH = gettext_noop(
    "Vul een wijk of een gemeente in, niet allebei: de gemeente is alleen voor een cliënt uit een "
    "andere U16-gemeente dan Utrecht."
)
AREA_UTRECHT = gettext_noop(
    "Een inwoner van Utrecht wordt verwezen met zijn wijk, niet met de gemeente Utrecht."
)
AREA_NOT_V = gettext_noop(
    "Een gemeente buiten Utrecht kan alleen bij een voorziening voor opvang en verblijf (doel V); "
    "voor deze voorziening is de wijk verplicht."
)


def referral_area_errors(district, municipality, service_type) -> dict[str, str]:
    """Where the client lives (INDICATORS.md, levels): a wijk of Utrecht, or for an objective V
    service (opvang en verblijf, which Utrecht commissions for the U16 region) another U16
    municipality; never both, never neither. `district` may be the wijk or its id; the
    municipality and service type are records (None when not given)."""
    if district and municipality is not None:
        return {"municipality": gettext(AREA_BOTH)}
    if not district and municipality is None:
        return {"district": gettext(AREA_NEITHER)}
    if municipality is None:
        return {}
    if municipality.code == UTRECHT_GEMEENTE_CODE:
        return {"municipality": gettext(AREA_UTRECHT)}
    if service_type is not None and service_type.objective != Objective.V:
        return {"municipality": gettext(AREA_NOT_V)}
    return {}


def case_date_errors(registration_date, first_contact_date, closed_date,
                     on: datetime.date | None = None) -> dict[str, str]:  # fmt: skip
    on = on or today()
    errors: dict[str, str] = {}
    dates = {"registration_date": registration_date, "first_contact_date": first_contact_date,
             "closed_date": closed_date}  # fmt: skip
    errors.update(_dated(dates, on))
    if not registration_date:
        errors["registration_date"] = gettext("De aanmelddatum is verplicht.")
        return errors
    if first_contact_date and first_contact_date < registration_date:
        errors.setdefault(
            "first_contact_date", gettext("De datum van eerste contact ligt vóór de aanmelddatum.")
        )
    if closed_date and closed_date < registration_date:
        errors.setdefault("closed_date", gettext("De afsluitdatum ligt vóór de aanmelddatum."))
    if closed_date and first_contact_date and closed_date < first_contact_date:
        errors.setdefault(
            "closed_date", gettext("De afsluitdatum ligt vóór de datum van eerste contact.")
        )
    return errors


EARLIEST_BIRTH_YEAR = 1900
BORN_AFTER = {
    "referral_date": gettext_noop(
        "Het geboortejaar %(year)s ligt na het jaar van de verwijsdatum (%(date_year)s)."
    ),
    "registration_date": gettext_noop(
        "Het geboortejaar %(year)s ligt na het jaar van de aanmelddatum (%(date_year)s)."
    ),
}


def birth_year_errors(birth_year, day, date_field: str = "referral_date") -> dict[str, str]:
    """A client's birth year (optional, for age groups) comes with a referral or case dated
    `day` (its `date_field`): nobody is referred before being born, and a year before 1900 is a
    typing error, not a client."""
    if birth_year is None or day is None:
        return {}
    if birth_year > day.year:
        return {"birth_year": gettext(BORN_AFTER[date_field])
                              % {"year": birth_year, "date_year": day.year}}  # fmt: skip
    if birth_year < EARLIEST_BIRTH_YEAR:
        return {"birth_year": gettext("Het geboortejaar %(year)s ligt vóór %(earliest)s.")
                              % {"year": birth_year, "earliest": EARLIEST_BIRTH_YEAR}}  # fmt: skip
    return {}


# --- the move to 2027 (TRANSITION.md) ---------------------------------------------------------

PILOT_SERVICE = "beschermd_thuis"
PILOT_FROM = datetime.date(2027, 1, 1)
PILOT_TO = datetime.date(2028, 12, 31)
PILOT_NOT_ALLOWED = gettext_noop(
    "Alleen een verwijzing naar Beschermd Thuis met een verwijsdatum van 01-01-2027 tot en met "
    "31-12-2028 kan onder de pilots vallen."
)


def pilot_errors(pilot: bool, service_type, referral_date) -> dict[str, str]:
    """The Beschermd Thuis pilots with new inflow run 2027–2028 inside the city contract
    (POLICY.md, REFERENCE_DATA.md): only such referrals may be marked `pilot`."""
    if not pilot or service_type is None or referral_date is None:
        return {}
    if service_type.code != PILOT_SERVICE or not PILOT_FROM <= referral_date <= PILOT_TO:
        return {"pilot": gettext(PILOT_NOT_ALLOWED)}
    return {}


def previous_unknown(previous_id: str) -> dict[str, str]:
    return {"previous": gettext("De vorige verwijzing %(id)s is onbekend.") % {"id": previous_id}}


SUCCESSOR_BEFORE = {
    "referral_date": gettext_noop(
        "De verwijsdatum %(date)s ligt vóór de verwijsdatum %(other_date)s van de vorige verwijzing "
        "%(id)s: een opvolger volgt op haar vorige verwijzing."
    ),
    "start_date": gettext_noop(
        "De startdatum %(date)s ligt vóór de startdatum %(other_date)s van de vorige verwijzing "
        "%(id)s: een opvolger volgt op haar vorige verwijzing."
    ),
}
PREDECESSOR_AFTER = {
    "referral_date": gettext_noop(
        "De verwijsdatum %(date)s ligt na de verwijsdatum %(other_date)s van de opvolger %(id)s: "
        "een verwijzing gaat vooraf aan haar opvolger."
    ),
    "start_date": gettext_noop(
        "De startdatum %(date)s ligt na de startdatum %(other_date)s van de opvolger %(id)s: een "
        "verwijzing gaat vooraf aan haar opvolger."
    ),
}
SUCCESSION_CYCLE = gettext_noop(
    "De vorige verwijzing %(id)s volgt zelf (direct of via een keten) op %(own)s: een verwijzing "
    "kan niet de vorige verwijzing van haar eigen vorige verwijzing zijn."
)


def _out_of_order(dates, earlier_dates) -> tuple[str, datetime.date, datetime.date] | None:
    """The first date field (referral date, then start date) on which `dates` lies before
    `earlier_dates`; start dates count only when both referrals started."""
    for name, day, earlier in zip(
        ("referral_date", "start_date"), dates, earlier_dates, strict=True
    ):
        if day and earlier and day < earlier:
            return name, day, earlier
    return None


def successor_order_errors(successor_id: str, dates, successor_dates) -> dict[str, str]:
    """The rule of `previous_referral_errors`, seen from the predecessor (a date of it that a
    file or a transition changes): {date field: Dutch message naming the successor}."""
    found = _out_of_order(successor_dates, dates)
    if not found:
        return {}
    name, later, day = found
    return {name: gettext(PREDECESSOR_AFTER[name]) % {
        "date": f"{day:%d-%m-%Y}", "other_date": f"{later:%d-%m-%Y}", "id": successor_id}}  # fmt: skip


def previous_referral_errors(previous_id: str, client, previous_client, own_id: str = "",
                             successor_id: str | None = None, *, dates=(None, None),
                             previous_dates=(None, None), chain=()) -> dict[str, str]:  # fmt: skip
    """A successor (TRANSITION.md) has the same client as the referral it follows, is not that
    referral itself, and a referral has at most one successor. `client` and `previous_client`
    are anything comparable that identifies the client (a pk or a key); `successor_id` is the
    external id of the referral that already follows `previous_id`, if any.

    A successor also follows its predecessor in time: `dates` and `previous_dates` are each
    (referral date, start date); the successor's referral date is not before the predecessor's,
    nor its start date when both started. And no chain of successors runs in a circle: `chain`
    is the external ids that (by the data after this change) precede `previous_id`, nearest
    first; `own_id` among them would make this referral the predecessor of its own
    predecessor."""
    if own_id and previous_id == own_id:
        return {"previous": gettext("Een verwijzing kan niet haar eigen vorige verwijzing zijn.")}
    if client != previous_client:
        return {
            "previous": gettext("De vorige verwijzing %(id)s hoort bij een andere cliënt.")
            % {"id": previous_id}
        }
    if successor_id and successor_id != own_id:
        return {"previous": gettext("De vorige verwijzing %(id)s heeft al een opvolger: %(successor)s.")
                            % {"id": previous_id, "successor": successor_id}}  # fmt: skip
    if own_id and own_id in chain:
        return {"previous": gettext(SUCCESSION_CYCLE) % {"id": previous_id, "own": own_id}}
    found = _out_of_order(dates, previous_dates)
    if found:
        name, day, earlier = found
        return {"previous": gettext(SUCCESSOR_BEFORE[name]) % {
            "date": f"{day:%d-%m-%Y}", "other_date": f"{earlier:%d-%m-%Y}", "id": previous_id}}  # fmt: skip
    return {}
