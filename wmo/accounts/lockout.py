"""Login throttling with django-axes: who the client is, and what a locked-out user sees.

The rules (limit, cool-off, keyed on username + address, reset on success) are settings in
wmo/settings/base.py; this module only answers axes' two questions."""

import math

from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

LOGIN_TEMPLATE = "accounts/login.html"


def client_ip(request) -> str:
    """The client's address by the audit trail's rule (audit.client_address), so a lockout and
    the trail name the same address."""
    from .audit import client_address

    return client_address(request) or ""


def lockout_message(request=None) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0
    if not minutes:  # no cool-off configured: only an administrator can lift the lockout
        return gettext(
            "Te veel mislukte inlogpogingen. Neem contact op met de functioneel beheerder."
        )
    return ngettext(
        "Te veel mislukte inlogpogingen. U kunt over %(minutes)d minuut opnieuw inloggen.",
        "Te veel mislukte inlogpogingen. U kunt over %(minutes)d minuten opnieuw inloggen.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout explained and status 429 (Too Many Requests).

    Each further attempt while locked out starts the cool-off anew (axes' default), so "over N
    minuten" counts from this answer."""
    username = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
        "lockout_message": lockout_message(request),
    }
    return render(request, LOGIN_TEMPLATE, context, status=429)
