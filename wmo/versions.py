"""Optimistic locking for the records contract managers edit (providers, consortia, contracts and
their values, options, subcontracts and wijkteams; procurement's milestones and motions): the
`Versioned` fields, the one way a version is counted up and stamped with who and when, and the
one way such a record is deleted (`delete_versioned`).

Three writers count versions: pages and the API (`save_versioned`, checked against the version
the user loaded), imports (`count_up` on the rows they changed) and the award and candidate
saves writing a milestone's decision date (`count_up` on one step). All three go through
`stamps` and `count_up`, so a record changed by any of them shows the next editor the conflict.
It sits on the ground floor because the importer framework and procurement both need it."""

from collections import Counter

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import F, ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector, get_candidate_relations_to_delete
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy


class Versioned(models.Model):
    """A record that two contract managers may edit at once. Pages and the API save it through
    `save_versioned`, which refuses a save based on an outdated version and counts the version
    up; who saved last, and when, go in the refusal."""

    version = models.PositiveIntegerField(gettext_lazy("versie"), default=1, editable=False)
    changed_at = models.DateTimeField(gettext_lazy("laatst gewijzigd op"), null=True, blank=True,
                                      editable=False)  # fmt: skip
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("laatst gewijzigd door"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        abstract = True

    def removal_refusal(self) -> str | None:
        """Why this record may not be deleted now (a sentence for the user), or None. A model
        whose removal would break another record's rule says so here, for pages and API alike."""
        return None


class StaleVersion(Exception):
    """The record was saved by someone else (or deleted) after this user loaded it: nothing was
    written. `current` is the record as it is stored now (None when deleted)."""

    def __init__(self, model, pk, loaded_version: int):
        self.current = model._base_manager.select_related("changed_by").filter(pk=pk).first()
        self.loaded_version = loaded_version
        name = capfirst(model._meta.verbose_name)
        if self.current is None:
            text = gettext("%(record)s bestaat niet meer: iemand heeft het intussen verwijderd. "
                           "Uw wijzigingen zijn niet opgeslagen.") % {"record": f"{name} {pk}"}  # fmt: skip
        else:
            text = gettext(
                "%(record)s is intussen gewijzigd%(by)s%(when)s (u bewerkte versie %(loaded)s, nu "
                "is het versie %(now)s). Uw wijzigingen zijn niet opgeslagen, zodat die van de "
                "ander niet verloren gaan."
            ) % {
                "record": f"{name} {self.current}",
                "by": _changed_by(self.current.changed_by),
                "when": _changed_at(self.current.changed_at),
                "loaded": loaded_version,
                "now": self.current.version,
            }
        super().__init__(text)


def _changed_by(user) -> str:
    if user is None:
        return ""
    return gettext(" door %(name)s") % {"name": user.get_full_name() or user.get_username()}


def _changed_at(moment) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return gettext(" op %(day)s om %(time)s") % {
        "day": date_format(local, "j F Y"), "time": date_format(local, "H:i"),
    }  # fmt: skip


def stamps(model, user) -> dict:
    """Who and when, for the stamp fields `model` has (a Versioned model has both; other models
    with a `version`, such as budget cells, may keep neither). Anonymous or no user: no one."""
    names = {f.name for f in model._meta.concrete_fields}
    found = {}
    if "changed_at" in names:
        found["changed_at"] = timezone.now()
    if "changed_by" in names:
        found["changed_by"] = user if getattr(user, "is_authenticated", False) else None
    return found


def count_up(rows, user, **values) -> int:
    """Count the version of `rows` (a queryset) up by one and stamp them, with `values` written
    in the same UPDATE (they may set the stamps themselves); the number of rows changed. Checked
    only as far as `rows` is filtered: save_versioned filters on the version the user loaded,
    imports and a decision date written from another page hold none."""
    return rows.update(version=F("version") + 1, **{**stamps(rows.model, user), **values})


def save_versioned(model, pk, version: int | None, user, save):
    """The one way pages and the API save a Versioned record.

    For a new record (pk None) `save` creates it as version 1. For an existing one, the version
    the user loaded is checked and counted up in a single `UPDATE … WHERE id = pk AND version =
    version`: of two users who loaded the same version, the first to save wins and the second
    gets StaleVersion (their UPDATE waits for the first to commit and then matches no row).
    Only then does `save(**stamps)` write the new values (a ModelForm or serializer save, so the
    model's own save, its many-to-many fields and any signal listeners run as usual), in the
    same transaction. `stamps` are the version, changed_at and changed_by to set."""
    stamped = stamps(model, user)
    with transaction.atomic():
        if pk is None:
            return save(version=1, **stamped)
        if version is None:
            raise TypeError("save_versioned: the version the user loaded is required")
        # The same stamps as the save below: one moment, one author.
        claimed = count_up(model._base_manager.filter(pk=pk, version=version), user, **stamped)
        if not claimed:
            raise StaleVersion(model, pk, version)
        return save(version=version + 1, **stamped)


class RemovalRefused(Exception):
    """The record's own rules keep it (Versioned.removal_refusal): nothing was deleted."""


def delete_versioned(model, pk, version: int | None):
    """The one way pages and the API delete a Versioned record. Refused with StaleVersion when
    someone saved (or deleted) it after the user loaded `version`, so no one removes a record
    whose current content they have not seen, and with RemovalRefused when its own rules keep
    it. The row stays locked until the transaction ends, so a save cannot slip in between the
    checks and the delete. `version` None (the API's DELETE, which has no body to carry one)
    deletes whatever the version. Returns the deleted record."""
    with transaction.atomic():
        rows = model._base_manager.select_for_update().filter(pk=pk)
        record = (rows if version is None else rows.filter(version=version)).first()
        if record is None:
            raise StaleVersion(model, pk, version)
        refusal = why_kept(record)
        if refusal:
            raise RemovalRefused(refusal)
        try:
            collector = _collected(record)
        except (ProtectedError, RestrictedError) as exc:
            raise RemovalRefused(_referred_to(record, exc)) from exc
        collector.delete()  # what Model.delete does, without collecting a second time
        return record


def why_kept(record) -> str | None:
    """Why `record` may not be deleted now, as a sentence, or None: its own rules
    (Versioned.removal_refusal), or other records that refer to it and would keep it
    (on_delete PROTECT), counted per kind in the database (a busy provider has some 150,000
    referrals, which Django's deletion collector would load one by one). What keeps the
    records that would go with it is found by the collection that follows (delete_versioned,
    removal_outlook)."""
    refusal = record.removal_refusal()
    if refusal:
        return refusal
    counts = _kept_by(record)
    return _refusal(record, counts) if counts else None


def removal_outlook(record) -> tuple[str | None, str | None]:
    """What a removal page says before its button, from one collection: why the record is
    kept (why_kept, or what keeps the records that would go with it), or else what goes with
    it (None when nothing does)."""
    refusal = why_kept(record)
    if refusal:
        return refusal, None
    try:
        collector = _collected(record)
    except (ProtectedError, RestrictedError) as exc:
        return _referred_to(record, exc), None
    return None, _removed_with(record, collector)


def _kept_by(record) -> Counter:
    """How many records of each kind refer to `record` with on_delete PROTECT (a record that
    refers to it twice, as a referral's provider and contractor, counted once), found as
    Django's deletion collector finds them."""
    conditions: dict = {}
    for relation in get_candidate_relations_to_delete(record._meta):
        if relation.on_delete is models.PROTECT:
            condition = Q(**{relation.field.name: record})
            model = relation.related_model
            conditions[model] = conditions[model] | condition if model in conditions else condition
    counts = Counter()
    for model, condition in conditions.items():
        number = model._base_manager.filter(condition).count()
        if number:
            counts[model._meta] = number
    return counts


def _collected(record) -> Collector:
    """Everything deleting `record` deletes with it (on_delete CASCADE), as Model.delete collects
    it; raises ProtectedError or RestrictedError when another record keeps it."""
    collector = Collector(using=router.db_for_write(type(record)), origin=record)
    collector.collect([record])
    return collector


def _counted(counts: Counter) -> str:
    """`{model meta: n}` as "2 contracten, 1 onderaanneming", the most first."""
    return ", ".join(f"{number_format(n, force_grouping=True)} "
                     f"{meta.verbose_name if n == 1 else meta.verbose_name_plural}"
                     for meta, n in sorted(counts.items(), key=lambda item: -item[1]))  # fmt: skip


def _referred_to(record, exc) -> str:
    """Why other records keep this one (on_delete PROTECT or RESTRICT): how many of each."""
    found = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    return _refusal(record, Counter(type(other)._meta for other in found))


def _refusal(record, counts: Counter) -> str:
    return gettext("%(record)s kan niet worden verwijderd: andere gegevens verwijzen ernaar "
                   "(%(parts)s).") % {
        "record": f"{capfirst(record._meta.verbose_name)} {record}", "parts": _counted(counts)}  # fmt: skip


def _removed_with(record, collector) -> str | None:
    """What deleting `record` deletes with it (on_delete CASCADE: a contract's values,
    options, subcontracts and wijkteams), counted per kind, as a sentence; None when nothing
    goes with it. Links between records (a many-to-many row) are not counted: nothing the
    user keeps."""
    counts = Counter()
    for model, instances in collector.data.items():
        others = [i for i in instances if not (model is type(record) and i.pk == record.pk)]
        if others and not model._meta.auto_created:
            counts[model._meta] += len(others)
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            counts[queryset.model._meta] += queryset.count()
    counts = Counter({meta: n for meta, n in counts.items() if n})
    if not counts:
        return None
    return gettext("Daarmee worden ook verwijderd: %(parts)s.") % {"parts": _counted(counts)}
