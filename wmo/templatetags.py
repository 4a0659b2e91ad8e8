"""Filters every template has without loading them (settings TEMPLATES "builtins")."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.translation import gettext, pgettext

from .empty import empty_marker, is_empty

register = template.Library()


@register.filter(is_safe=True)
def or_empty(value):
    """The value, or the one "no value" marker (wmo.empty) when it is None or blank:
    `{{ referral.end_date|date:"d-m-Y"|or_empty }}`."""
    # Localised as the template would show the value itself (14,0 and 1.234 in Dutch): a filter's
    # result is rendered as it is returned.
    return empty_marker() if is_empty(value) else conditional_escape(localize(value))


@register.filter
def and_list(words):
    """Words joined as a sentence lists them, each in the active language: `["wijk",
    "voorziening"]` -> "wijk en voorziening" ("district and service" in English)."""
    conjunction = pgettext("opsomming", "en")
    return f" {conjunction} ".join(gettext(word) for word in words)


@register.simple_tag
def no_value():
    """The "no value" marker on its own: `{% for … %}…{% empty %}{% no_value %}{% endfor %}`."""
    return empty_marker()
