"""Periods in URLs, query parameters and command options.

URL converters (registered by the URL modules that use them, e.g. `<quarter:quarter>`) give the
view a Period; text that is no period of the kind does not match, so the URL answers 404.
`period_from_query` reads a parameter such as `?kwartaal=2026Q3` with a default and the Dutch
error text a page shows beside its period choice."""

from .period import HalfYear, Period, PeriodError, Quarter, Year


class PeriodConverter:
    """Any period: `2026Q3`, `2026H1` or `2026` (a letter in either case)."""

    regex = r"[1-9][0-9]{3}(?:[QqHh][0-9])?"
    kind: type[Period] = Period

    def to_python(self, value: str) -> Period:
        try:
            return self.kind.parse(value)
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc  # the URL does not match

    def to_url(self, value) -> str:
        return str(self.kind.parse(value))


class QuarterConverter(PeriodConverter):
    regex = r"[1-9][0-9]{3}[Qq][1-4]"
    kind = Quarter


class HalfYearConverter(PeriodConverter):
    regex = r"[1-9][0-9]{3}[Hh][12]"
    kind = HalfYear


class YearConverter(PeriodConverter):
    regex = r"[1-9][0-9]{3}"
    kind = Year


def period_from_query(query, name: str, kind: type[Period] = Period, default=None):
    """(period, error) for the GET/POST parameter `name`: the parsed period and "", or `default`
    and the Dutch error ("Kwartaal: '2026Q9' is geen kwartaal; …") when the text is no period
    of the kind; `default` and "" when the parameter is missing or empty."""
    text = (query.get(name) or "").strip()
    if not text:
        return default, ""
    try:
        return kind.parse(text), ""
    except PeriodError as error:
        return default, f"{name[:1].upper()}{name[1:]}: {error}"


def period_argument(kind: type[Period] = Period):
    """An argparse `type` for a management command's period option: the Period, or the Dutch
    error as the command's usage error."""
    import argparse

    def parse(text: str) -> Period:
        try:
            return kind.parse(text)
        except PeriodError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    parse.__name__ = kind.NOUN  # argparse names the type in some messages
    return parse
