"""The private calendar feeds of the tender timeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A user's personal subscription link to the tender calendar, for calendar apps that cannot
    sign in.

    The link's token is `key` (random, `secrets.token_urlsafe`) followed by an HMAC of it under
    the site's SECRET_KEY, checked with `hmac.compare_digest`. The database alone therefore holds
    nothing that opens the feed, yet the page can show the link again on every visit. A new link
    replaces the key (the old link stops working); revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), related_name="procurement_feed",
        on_delete=models.CASCADE,
    )  # fmt: skip
    key = models.CharField(_("sleutel"), max_length=32, unique=True, editable=False)
    issued_at = models.DateTimeField(_("link gemaakt op"), auto_now=True)
    last_used_at = models.DateTimeField(
        _("laatst opgehaald"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self):
        return gettext("Agenda-abonnement van %(user)s") % {"user": self.user}
