"""A third mark, `withheld`: where a hidden count's breakdowns, read together, still pin it and
nothing above 0 is left to hide beside it (two wijken of 4 and eight voorzieningen of 1 both say
8), every count of one breakdown is shown as `—*` (suppression_audit.Audit.cover). The stored
values are marked again with that rule."""

from django.db import migrations, models

from indicators.suppression_over_time import remark_stored_values


def remark(apps, schema_editor):
    remark_stored_values(apps.get_model("indicators", "IndicatorValue"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0016_remark_complements_at_least_five"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicatorvalue",
            name="suppression",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "getoond"),
                    ("primary", "primair afgeschermd"),
                    ("secondary", "secundair afgeschermd"),
                    ("withheld", "achtergehouden met de uitsplitsing"),
                ],
                default="",
                max_length=9,
                verbose_name="afscherming",
            ),
        ),
        migrations.RunPython(remark, migrations.RunPython.noop),
    ]
