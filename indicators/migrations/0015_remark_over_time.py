"""The stored values marked again with the suppression rules as they now are: figures that add
up over time are protected across the periods of each year (suppression_over_time.py: a quarter
hidden on its own followed from its half-year), and the providers' referrals in care against the
two totals the city-wide share of small organisations gives (suppression.CLASS_TOTAL). One year
at a time; only the rows whose mark changes are written."""

from django.db import migrations

from indicators.suppression_over_time import changed_marks, marks_for_year, year_periods

BATCH = 2000


def remark_stored_values(apps, schema_editor):
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    periods = IndicatorValue.objects.order_by().values_list("quarter", flat=True).distinct()
    for year in sorted({period.year for period in periods}):
        stored: dict = {}
        rows = IndicatorValue.objects.filter(quarter__in=year_periods(year)).only(
            "id", "quarter", "level", "level_key", "indicator", "value", "numerator",
            "denominator", "suppression",
        )  # fmt: skip
        for row in rows:
            stored.setdefault(row.quarter, []).append(row)
        changed = changed_marks(stored, marks_for_year(year, stored))
        for mark, ids in changed.items():
            for start in range(0, len(ids), BATCH):
                IndicatorValue.objects.filter(id__in=ids[start : start + BATCH]).update(
                    suppression=mark
                )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0014_remark_organisation_figures"),
    ]

    operations = [
        migrations.RunPython(remark_stored_values, migrations.RunPython.noop),
    ]
