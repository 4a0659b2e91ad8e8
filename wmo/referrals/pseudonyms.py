"""A BSN is checked (eleven-test) and replaced by a keyed hash at the door; it is never stored."""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_variables


def _ascii_digits(value: str) -> bool:
    """0-9 only: `str.isdigit` also takes superscripts (which `int` refuses) and other scripts'
    digits (which would make the same person a second client under another hash)."""
    return value.isascii() and value.isdigit()


# A BSN never shows in an error report's local variables, whatever raised.
@sensitive_variables()
def is_valid_bsn(value: str) -> bool:
    """The eleven-test (elfproef): 9 digits, sum(d_i * (9..2)) - last digit divisible by 11."""
    if not isinstance(value, str) or len(value) != 9 or not _ascii_digits(value):
        return False
    if value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def valid_bsn_from(number: int) -> str:
    """The first number at or above an 8-digit `number` that, with its check digit, passes the
    eleven-test: made-up BSNs for demo data and load tests."""
    while True:
        digits = [int(c) for c in f"{number:08d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return f"{number:08d}{check}"
        number += 1


@sensitive_variables()
def bsn_error(value: str) -> str | None:
    """A Dutch message for a bad BSN, or None."""
    value = (value or "").strip()
    if not value:
        return gettext("Dit veld is verplicht.")
    if not _ascii_digits(value) or len(value) != 9:
        return gettext("Een BSN bestaat uit precies 9 cijfers (0-9).")
    if not is_valid_bsn(value):
        return gettext("Dit is geen geldig BSN (de elfproef klopt niet).")
    return None


@sensitive_variables()
def client_key(bsn: str) -> str:
    """HMAC-SHA256 of the BSN with settings.WMO_PSEUDONYM_KEY (hex)."""
    return hmac.new(
        settings.WMO_PSEUDONYM_KEY.encode(), bsn.strip().encode(), hashlib.sha256
    ).hexdigest()
