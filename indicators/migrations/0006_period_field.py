"""The period columns become PeriodField (wmo.periods): the same varchar(6) holding the same
text (2026Q3), read as Period values in Python. Only the migration state changes; no table is
rebuilt and no row touched."""

from django.db import migrations

import wmo.periods.fields


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_suppression_marks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="indicatorrun",
                    name="quarter",
                    field=wmo.periods.fields.PeriodField(db_index=True, verbose_name="kwartaal"),
                ),
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="quarter",
                    field=wmo.periods.fields.PeriodField(verbose_name="kwartaal"),
                ),
            ],
            database_operations=[],
        ),
    ]
