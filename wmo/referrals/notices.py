"""The weekly warning of the transition (TRANSITION.md): within 60 days before the transition
day, while clients to transfer are unresolved, contract managers get a notice in the app (shown
on the monitor page) and, when e-mail is configured (settings.EMAIL_HOST), an e-mail."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext, ngettext

from wmo.accounts.roles import CM

from . import rules
from .models import TransitionNotice
from .transition import TRANSITION_DAY, unresolved

WARNING_DAYS = 60


def notice_text(day: datetime.date, as_of: datetime.date, count: int) -> str:
    days = (day - as_of).days
    # Stored and e-mailed by the weekly task, in the language active there (the default, Dutch).
    return ngettext(
        "Overgang %(day)s: nog %(count)s cliënt zonder opvolger en zonder reden van beëindiging, "
        "%(days)s dagen voor de overgangsdag. Zie de continuïteitsmonitor.",
        "Overgang %(day)s: nog %(count)s cliënten zonder opvolger en zonder reden van beëindiging, "
        "%(days)s dagen voor de overgangsdag. Zie de continuïteitsmonitor.",
        count,
    ) % {"day": f"{day:%d-%m-%Y}", "count": count, "days": days}


def warn_unresolved(day: datetime.date = TRANSITION_DAY,
                    as_of: datetime.date | None = None) -> TransitionNotice | None:  # fmt: skip
    """The notice of `as_of` (one per day: a second run that day changes nothing), or None when
    outside the 60 days before `day` or when nobody is unresolved."""
    as_of = as_of or rules.today()
    if not day - datetime.timedelta(days=WARNING_DAYS) <= as_of <= day:
        return None
    count = unresolved(day, as_of).count()
    if not count:
        return None
    notice, created = TransitionNotice.objects.get_or_create(
        transition_day=day, as_of=as_of,
        defaults={"unresolved": count, "text": notice_text(day, as_of, count)},
    )  # fmt: skip
    if created and getattr(settings, "EMAIL_HOST", ""):
        recipients = list(
            get_user_model().objects.filter(groups__name=CM, is_active=True)
            .exclude(email="").values_list("email", flat=True).distinct()
        )  # fmt: skip
        if recipients:
            send_mail(gettext("Overgang 2027: onopgeloste cliënten"), notice.text,
                      settings.DEFAULT_FROM_EMAIL, recipients)  # fmt: skip
    return notice
