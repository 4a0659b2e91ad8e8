"""The attacker (attacker.py) on every council figure of one stored year, as the API and the
public export show them (suppression.council_view): the check to run on a full data set, which
the suite's hand-made ones cannot replace. It reads the marks (`<5*` at least 5) and what
INDICATORS.md says of the region (objective V's wijken add up to at most the city's figure;
distinct clients not at all), and checks each hidden count it claims against the stored value:
a claim from a sum that does not hold is no disclosure.

    DJANGO_SETTINGS_MODULE=wmo.settings.dev .venv/bin/python -m tests.indicators.attack_stored 2025

on a database seeded with `manage.py seed_demo --direct alle`. Exits 1 when it recovers a hidden
figure. It reads neither the pages nor the objective pools of the overview
(tests/indicators/test_suppression_council.py does, on a small data set)."""

import re
import sys
import time

import django


def main(year: int) -> int:
    from indicators.models import IndicatorValue
    from indicators.suppression import council_sees, council_view
    from indicators.suppression_over_time import year_periods
    from wmo.catalogue.models import Objective, ServiceType

    from .attacker import Seen, attack

    periods = [str(period) for period in year_periods(year)]
    seen, stored = [], {}
    for row in IndicatorValue.objects.filter(quarter__in=periods).iterator():
        stored[(str(row.quarter), row.level, row.level_key, row.indicator)] = row.value
        if council_sees(row.level, row.indicator):
            view = council_view(row)
            seen.append(Seen("API", str(row.quarter), row.level, row.level_key, row.indicator,
                             view.value, noted=bool(view.note)))  # fmt: skip
    regional = set(ServiceType.objects.filter(objective=Objective.V).values_list("code", flat=True))
    started = time.monotonic()
    findings = attack(seen, complete=periods, reads_marks=True, regional=regional)
    took = time.monotonic() - started
    recovered = []
    for finding in findings:
        claim = re.match(r"\(c\) .*: hidden count (\(.*\)) is (\d+)$", finding)
        if claim:
            cell = tuple(re.findall(r"'([^']*)'", claim.group(1)))
            if stored.get(cell) != int(claim.group(2)):
                print(f"not so (stored {stored.get(cell)}): {finding}")
                continue
        recovered.append(finding)
        print(finding)
    hidden = sum(isinstance(s.value, str) for s in seen)
    print(f"{year}: {len(seen)} figures, {hidden} hidden, {len(recovered)} recovered "
          f"({len(findings) - len(recovered)} claims not so) in {took:.1f} s")  # fmt: skip
    return 1 if recovered else 0


if __name__ == "__main__":
    django.setup()
    sys.exit(main(int(sys.argv[1])))
