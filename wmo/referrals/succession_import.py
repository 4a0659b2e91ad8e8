"""The successions (TRANSITION.md) of a referrals.csv import: which referral each row follows
(`previous_referral_id`), checked by the one rule of rules.previous_referral_errors against the
earlier rows of the file and the stored referrals, and linked once the rows are written.

What counts is the data as the import would leave it: a row's own values and link replace the
stored ones, an empty previous_referral_id keeps the stored link, and a referral the file does
not (yet) name keeps its stored dates and link. The stored referrals are read per batch of
rows, a few bulk queries each, never one per row."""

from wmo.imports.database import LOOKUP_BATCH, fetch_by_keys, update_rows
from wmo.imports.problems import RowError, RowErrors

from .models import Referral
from .rules import previous_referral_errors, previous_unknown, successor_order_errors

UNKNOWN_HINT = " Een vorige verwijzing staat al in de registratie of eerder in het bestand."


def stored_referrals(ids) -> dict[str, tuple | None]:
    """{external id: (client key, referral date, start date, predecessor's external id,
    successor's external id)} of the stored referrals among `ids`; None for an id not stored."""
    ids = sorted(ids)
    found: dict[str, tuple | None] = dict.fromkeys(ids)
    for start in range(0, len(ids), LOOKUP_BATCH):
        for external_id, *values in Referral.objects.filter(
            external_id__in=ids[start : start + LOOKUP_BATCH]
        ).values_list("external_id", "client__key", "referral_date", "start_date",
                      "previous__external_id", "successor__external_id"):  # fmt: skip
            found[external_id] = tuple(values)
    return found


class SuccessionImportMixin:
    """For ReferralImporter: `check_previous` per row (what the file alone decides),
    `check_successions` per batch of valid rows (what needs the stored referrals too), and
    `relinked` / `link_predecessors` when saving."""

    def reset_successions(self):
        """The successions of the rows read so far: each row's client key and dates (one
        shared date object per day: a million rows span a few thousand days), the predecessor
        it names (and whether that was an earlier row of the file) and which row names each
        predecessor. Both passes read the file from the start."""
        self.in_file: dict[str, tuple] = {}
        self.previous_of: dict[str, tuple[str, bool]] = {}
        self.successor_in_file: dict[str, str] = {}
        self._days: dict = {}

    def check_previous(self, errors: RowErrors, external_id: str, key, previous_id: str,
                       referral_date=None, start_date=None):  # fmt: skip
        """The rules that need only the file: not itself, the same client as an earlier row it
        names, no two rows naming the same predecessor. The others: `check_successions`."""
        if key is not None:
            days = self._days
            self.in_file[external_id] = (key, referral_date and days.setdefault(referral_date, referral_date),
                                         start_date and days.setdefault(start_date, start_date))  # fmt: skip
        if not previous_id:
            return
        in_file = previous_id in self.in_file and previous_id != external_id
        self.previous_of[external_id] = (previous_id, in_file)
        other = self.successor_in_file.setdefault(previous_id, external_id)
        message = previous_referral_errors(
            previous_id, key, self.in_file[previous_id][0] if in_file else key, external_id, other,
        ).get("previous")  # fmt: skip
        if message:
            errors.add("previous_referral_id", message)

    def _dates(self, external_id: str, stored: dict):
        """(referral date, start date) of a referral as the file leaves it, or None if unknown."""
        if external_id in self.in_file:
            return self.in_file[external_id][1:]
        values = stored.get(external_id)
        return values[1:3] if values else None

    def _previous(self, external_id: str, stored: dict) -> str | None:
        if external_id in self.previous_of:
            return self.previous_of[external_id][0]
        values = stored.get(external_id)
        return values[3] if values else None

    def _chains(self, starts: dict[str, str], stored: dict) -> dict[str, list[str]]:
        """{row: the external ids from the predecessor it names upwards}, by the links as the
        file leaves them; the stored links one level (one bulk read) at a time. A row's own id
        ends its walk (a circle: what the caller refuses), as does any id seen before."""
        chains = {own: [start] for own, start in starts.items()}
        walking = {own for own, start in starts.items() if start != own}
        while walking:
            missing = {chains[own][-1] for own in walking} - stored.keys() - self.previous_of.keys()
            if missing:
                stored.update(stored_referrals(missing))
            for own in list(walking):
                chain = chains[own]
                above = self._previous(chain[-1], stored)
                if above is None or above in chain:
                    walking.discard(own)
                    continue
                chain.append(above)
                if above == own:
                    walking.discard(own)
        return chains

    def check_successions(self, rows):
        """A named predecessor is an earlier row of the file or a stored referral of the same
        client, with no other successor, that the row follows in time and that does not itself
        follow the row. A row that keeps its stored predecessor still follows it in time, and
        a row still precedes the successors whose own check could not see its new dates (a
        stored one the file does not name, or a row of an earlier batch)."""
        ids = {row["external_id"] for _, row in rows}
        named = {own: self.previous_of[own][0] for own in ids if own in self.previous_of}
        stored = stored_referrals(ids | set(named.values()))
        stored.update(stored_referrals({
            link for own in ids if stored.get(own) for link in stored[own][3:] if link
        } - stored.keys()))  # fmt: skip
        chains = self._chains(named, stored)
        for line, row in rows:
            own = row["external_id"]
            dates = (row["referral_date"], row["start_date"])
            if own in named:
                previous_id, in_file = self.previous_of[own]
                message = self._named_problem(own, row["client_id"], previous_id, in_file, dates,
                                              stored, chains[own][1:])  # fmt: skip
                if message:
                    yield line, RowError("previous_referral_id", message, value=previous_id)
                    continue
            else:
                kept = self._previous(own, stored)
                previous_dates = kept and self._dates(kept, stored)
                message = previous_dates and previous_referral_errors(
                    kept, None, None, own, dates=dates, previous_dates=previous_dates,
                ).get("previous")  # fmt: skip
                if message:
                    name = "referral_date" if dates[0] < previous_dates[0] else "start_date"
                    yield line, RowError(name, message, value=row[name].isoformat())
                    continue
            for successor in self._successors_to_recheck(own, ids, stored):
                for name, message in successor_order_errors(
                    successor, dates, self._dates(successor, stored)
                ).items():  # fmt: skip
                    yield line, RowError(name, message, value=row[name].isoformat())

    def _named_problem(self, own, client, previous_id, in_file, dates, stored, chain):
        if not in_file and not stored.get(previous_id):
            return previous_unknown(previous_id)["previous"] + UNKNOWN_HINT
        values = stored.get(previous_id)
        # An earlier row's client was compared in check_previous, against the file's value.
        key = client if in_file or values is None else values[0]
        successor = values[4] if values else None
        return previous_referral_errors(
            previous_id, client, key, own, successor, dates=dates,
            previous_dates=self._dates(previous_id, stored), chain=chain,
        ).get("previous")  # fmt: skip

    def _successors_to_recheck(self, own: str, ids: set, stored: dict) -> list[str]:
        """The successors of `own` (by the file, or stored and not relinked by it) outside this
        batch: their own check compared them with `own`'s stored dates, or has yet to come."""
        found = []
        values = stored.get(own)
        for successor in (self.successor_in_file.get(own), values[4] if values else None):
            if (successor and successor not in ids and successor not in found
                    and self._previous(successor, stored) == own
                    and self._dates(successor, stored)):  # fmt: skip
                found.append(successor)
        return found

    def relinked(self, cleaned_rows) -> set[str]:
        """The stored referrals among the rows whose predecessor the file changes (a new one,
        not stored yet, always does)."""
        named = {row["external_id"]: self.previous_of[row["external_id"]][0]
                 for row in cleaned_rows if row["external_id"] in self.previous_of}  # fmt: skip
        if not named:
            return set()
        found = {external_id: (pk, previous) for external_id, pk, previous in fetch_by_keys(
            Referral, "external_id", sorted({*named, *named.values()}),
            ["external_id", "pk", "previous_id"])}  # fmt: skip
        return {own for own, previous in named.items()
                if own in found and (previous not in found or found[own][1] != found[previous][0])}  # fmt: skip

    def link_predecessors(self, cleaned_rows):
        """Set each row's predecessor, once the batch is written: it is an earlier row (so in
        this batch or an earlier one) or stored. An empty previous_referral_id keeps what is
        recorded, so a file without the column does not undo a link made in the form."""
        named = {row["external_id"]: self.previous_of[row["external_id"]][0]
                 for row in cleaned_rows if row["external_id"] in self.previous_of}  # fmt: skip
        if not named:
            return
        found = fetch_by_keys(Referral, "external_id", sorted({*named, *named.values()}),
                              ["external_id", "pk", "previous_id"])  # fmt: skip
        pks = {external_id: (pk, previous) for external_id, pk, previous in found}
        changes = [(pks[own][0], pks[previous][0]) for own, previous in named.items()
                   if pks[own][1] != pks[previous][0]]  # fmt: skip
        if changes:
            update_rows(Referral, ["previous_id"], changes)
