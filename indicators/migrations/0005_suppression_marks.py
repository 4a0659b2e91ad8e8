"""Every stored value gets the council's suppression mark (INDICATORS.md, "Rounding and
suppression"): the values already stored are marked with the same function the indicator job
uses for new ones, one period at a time."""

from django.db import migrations, models

from indicators.suppression import marks

BATCH = 2000


def mark_stored_values(apps, schema_editor):
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    periods = IndicatorValue.objects.order_by().values_list("quarter", flat=True).distinct()
    for period in list(periods):
        rows = list(
            IndicatorValue.objects.filter(quarter=period).only(
                "id", "level", "level_key", "indicator", "value", "numerator", "denominator"
            )
        )
        marked = marks(rows)
        changed = []
        for row in rows:
            row.suppression = marked.get((row.level, row.level_key, row.indicator), "")
            if row.suppression:
                changed.append(row)
        IndicatorValue.objects.bulk_update(changed, ["suppression"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_run_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorvalue",
            name="suppression",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "getoond"),
                    ("primary", "primair afgeschermd"),
                    ("secondary", "secundair afgeschermd"),
                ],
                default="",
                max_length=9,
                verbose_name="afscherming",
            ),
        ),
        migrations.RunPython(mark_stored_values, migrations.RunPython.noop),
    ]
