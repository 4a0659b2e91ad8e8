"""The stored values marked again with the suppression rules as they now are: figures that add
up over time are protected across the periods of each year (suppression_over_time.py: a quarter
hidden on its own followed from its half-year), and the providers' referrals in care against the
two totals the city-wide share of small organisations gives (suppression.CLASS_TOTAL). One year
at a time; only the rows whose mark changes are written."""

from django.db import migrations

from indicators.suppression_over_time import remark_stored_values as remark


def remark_stored_values(apps, schema_editor):
    remark(apps.get_model("indicators", "IndicatorValue"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0014_remark_organisation_figures"),
    ]

    operations = [
        migrations.RunPython(remark_stored_values, migrations.RunPython.noop),
    ]
