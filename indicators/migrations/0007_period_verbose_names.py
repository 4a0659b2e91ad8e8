"""The period columns hold half-years and years as well as quarters: their names in the admin say
"periode". Only a label changes; no table is touched."""

from django.db import migrations

import wmo.periods.fields


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_period_field"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicatorrun",
            name="quarter",
            field=wmo.periods.fields.PeriodField(db_index=True, verbose_name="periode"),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="quarter",
            field=wmo.periods.fields.PeriodField(verbose_name="periode"),
        ),
    ]
