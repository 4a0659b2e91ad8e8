"""Council motions: create and change a motion with its requests and links, from the pages and
the API alike. `motion_errors` is the one rule set; `save_motion` checks it and writes all or
nothing."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .models import Motion, MotionRequest


@dataclass
class RequestInput:
    """One request as entered. `pk` names an existing request (the page's formset); without it
    an existing request with the same number is updated (the API), else a new one is made."""

    number: int
    text: str
    response: str = ""
    status: str = MotionRequest.Status.OPEN
    pk: int | None = None


@dataclass
class MotionErrors:
    fields: dict = field(default_factory=dict)  # motion field -> [messages]
    requests: dict = field(default_factory=dict)  # index in the list -> {field: [messages]}
    request_list: list = field(default_factory=list)  # about the requests together

    def __bool__(self):
        return bool(self.fields or self.requests or self.request_list)


class MotionInvalid(ValidationError):
    def __init__(self, errors: MotionErrors):
        self.errors = errors
        messages = [m for ms in errors.fields.values() for m in ms] + errors.request_list
        messages += [m for r in errors.requests.values() for ms in r.values() for m in ms]
        super().__init__(messages or [gettext("Ongeldige motie.")])


def _model_errors(instance, exclude=()) -> dict:
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return error.message_dict
    return {}


def _is_copy(motion) -> bool:
    """The same motion entered twice (a double click, the API and the page): the council's
    motions are told apart by title, date, party and submitter, letter case aside."""
    if not (motion.tender_id and motion.title and motion.date):
        return False
    same = Motion.objects.filter(
        tender_id=motion.tender_id, date=motion.date, title__iexact=motion.title.strip(),
        party__iexact=motion.party.strip(), submitter__iexact=motion.submitter.strip(),
    )  # fmt: skip
    return same.exclude(pk=motion.pk).exists() if motion.pk else same.exists()


def motion_errors(motion, requests, milestones, options) -> MotionErrors:
    """Everything that must hold before a motion is saved: its own fields, not a copy of a
    motion already recorded, each request (the college's response when a request is done or
    declined), request numbers unique and at least one request, and links only to milestones
    and options of the motion's own tender.
    `requests` None: the requests stay as they are."""
    errors = MotionErrors(fields=_model_errors(motion))
    tender_id = motion.tender_id
    if "title" not in errors.fields and "date" not in errors.fields and _is_copy(motion):
        errors.fields.setdefault("title", []).append(
            gettext(
                "Deze motie is al vastgelegd: een motie met dezelfde titel, datum, partij en "
                "indiener staat al bij deze aanbesteding."
            )
        )
    if milestones is not None and any(m.tender_id != tender_id for m in milestones):
        errors.fields.setdefault("milestones", []).append(
            gettext("Kies alleen mijlpalen van de aanbesteding van deze motie.")
        )
    if options is not None and any(o.tender_id != tender_id for o in options):
        errors.fields.setdefault("options", []).append(
            gettext("Kies alleen besluiten en contractopties van de aanbesteding van deze motie.")
        )
    if requests is None:
        return errors
    if not requests:
        errors.request_list.append(
            gettext("Een motie heeft ten minste één verzoek aan het college.")
        )
    seen = {}
    for index, item in enumerate(requests):
        request = MotionRequest(
            motion=motion, number=item.number, text=item.text, response=item.response or "",
            status=item.status,
        )  # fmt: skip
        found = _model_errors(request, exclude=["motion"])
        if item.number in seen:
            found.setdefault("number", []).append(
                gettext(
                    "Verzoek %(number)s komt twee keer voor; elk verzoek heeft een eigen nummer."
                )
                % {"number": item.number}
            )
        seen.setdefault(item.number, index)
        if found:
            errors.requests[index] = found
    return errors


def _replace_requests(motion, requests):
    existing = {r.pk: r for r in motion.requests.all()}
    by_number = {r.number: r for r in existing.values()}
    kept, plan = set(), []
    for item in requests:
        current = existing.get(item.pk) if item.pk else None
        if current is None and not item.pk:
            candidate = by_number.get(item.number)
            current = candidate if candidate and candidate.pk not in kept else None
        if current is not None:
            kept.add(current.pk)
        plan.append((current, item))
    MotionRequest.objects.filter(motion=motion).exclude(pk__in=kept).delete()
    # Numbers are unique per motion: park renumbered requests out of the way first, so that
    # swapping two numbers does not collide halfway.
    parked = max([r.number for r in existing.values()] + [i.number for i in requests]) + 1
    for current, item in plan:
        if current is not None and current.number != item.number:
            MotionRequest.objects.filter(pk=current.pk).update(number=parked)
            parked += 1
    for current, item in plan:
        request = current or MotionRequest(motion=motion)
        request.number, request.text = item.number, item.text
        request.response, request.status = item.response or "", item.status
        request.save()


@transaction.atomic
def save_motion(motion: Motion, *, requests=None, milestones=None, options=None) -> Motion:
    """Create or change a motion. `requests` (a list of RequestInput) replaces all requests;
    `milestones` and `options` replace the links; None leaves each as it is."""
    errors = motion_errors(motion, requests, milestones, options)
    if errors:
        raise MotionInvalid(errors)
    motion.save()
    if milestones is not None:
        motion.milestones.set(milestones)
    if options is not None:
        motion.options.set(options)
    if requests is not None:
        _replace_requests(motion, requests)
    return motion
