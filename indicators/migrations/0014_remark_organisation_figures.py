"""The stored values marked again with the suppression rules as they now are: counts of active
providers take part in no breakdown, and neither does the share of small organisations per
provider or contractor (indicators/suppression.py, NOT_ADDITIVE and BY_CLASS), so the city-wide
figures those rows used to hide are shown to the council again; and each objective's pool of
voorzieningen is protected as a total (OBJECTIVE_TOTAL), so the council overview can show it.
One period at a time; only the rows whose mark changes are written."""

from django.db import migrations

from indicators.suppression import marks

BATCH = 2000


def remark_stored_values(apps, schema_editor):
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    periods = IndicatorValue.objects.order_by().values_list("quarter", flat=True).distinct()
    for period in list(periods):
        rows = list(
            IndicatorValue.objects.filter(quarter=period).only(
                "id", "level", "level_key", "indicator", "value", "numerator", "denominator",
                "suppression",
            )
        )  # fmt: skip
        marked = marks(rows)
        changed = []
        for row in rows:
            mark = marked.get((row.level, row.level_key, row.indicator), "")
            if mark != row.suppression:
                row.suppression = mark
                changed.append(row)
        IndicatorValue.objects.bulk_update(changed, ["suppression"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0013_drop_quarter_referral_staging"),
    ]

    operations = [
        migrations.RunPython(remark_stored_values, migrations.RunPython.noop),
    ]
