"""Work recorded in PostgreSQL before it goes to the Celery broker (a transactional outbox).

A request, command or job first writes its work as a row (an indicator run, an import job) and
only then hands a message to the broker. When the broker is away the row simply stays pending:
nothing is lost and nothing is marked failed. `dispatch_pending` sends every source's pending
rows; Celery beat runs it every minute and every worker runs it when it starts (wmo.celery), so
work recorded during an outage starts by itself once the broker is back.

A source registers once, from its app's ready()::

    dispatch.register("importtaken", pending=pending_import_jobs, send=send_import_job)

`pending()` lists the items whose message has not reached the broker; `send(item)` hands one
over and marks it sent, or raises QueueUnavailable (or the broker's own error) when the broker
is away. A message sent twice (by the request and by the dispatcher, or redelivered) must be
harmless: the row's state in PostgreSQL decides whether a delivered message does any work.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)

# What publishing raises when the broker cannot be reached (kombu wraps redis' own errors).
BROKER_ERRORS = (BrokerError, ConnectionError)


class QueueUnavailable(Exception):
    """The broker did not take the message. The work stays pending in the database and is sent
    by the dispatcher once the broker is back; the text says so in Dutch."""


@dataclass(frozen=True)
class Source:
    name: str
    pending: Callable[[], Iterable]
    send: Callable[[object], object]


_SOURCES: dict[str, Source] = {}


def register(name: str, pending: Callable[[], Iterable], send: Callable[[object], object]):
    """Add (or replace: ready() may run more than once) a source of pending work."""
    _SOURCES[name] = Source(name, pending, send)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def dispatch_pending() -> dict[str, int]:
    """Send every source's pending work; returns how many items each source sent. The round
    stops at the first sign that the broker is still away (the next round tries again); an
    item that fails for another reason is logged and skipped, so it cannot block the rest."""
    sent: dict[str, int] = {}
    for source in sources():
        sent[source.name] = 0
        for item in source.pending():
            try:
                source.send(item)
            except (QueueUnavailable, *BROKER_ERRORS) as exc:
                log.warning("dispatch: broker still unreachable (%s: %s)", source.name, exc)
                return sent
            except Exception:
                log.exception("dispatch: %s could not send %r", source.name, item)
                continue
            sent[source.name] += 1
    if any(sent.values()):
        log.info("dispatch: sent %s", sent)
    return sent
