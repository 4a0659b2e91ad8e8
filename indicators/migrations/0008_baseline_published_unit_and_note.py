"""The baseline as published: the buurtteam's mean wait is headed "Gemiddelde wachttijd per jaar
in dagen" while the text compares 7.2 (2022) with the norm of 5 werkdagen. The figure keeps the
published unit (days, not the working_days it was silently given) and carries a note on the
ambiguity, shown wherever the figure is. Unit and note of every row are read again from
indicators/data/baseline_2020_2022.csv; values are untouched."""

import csv
from pathlib import Path

from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data" / "baseline_2020_2022.csv"


def _rows():
    with open(DATA, encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def forwards(apps, schema_editor):
    BaselineFigure = apps.get_model("indicators", "BaselineFigure")
    for row in _rows():
        BaselineFigure.objects.filter(
            year=int(row["year"]), service=row["service_type"], indicator=row["indicator"]
        ).update(unit=row["unit"], note=row["note"])


def backwards(apps, schema_editor):
    BaselineFigure = apps.get_model("indicators", "BaselineFigure")
    BaselineFigure.objects.filter(service="buurtteam", indicator="mean_wait").update(
        unit="working_days"
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0007_period_verbose_names")]

    operations = [
        migrations.AddField(
            model_name="baselinefigure",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="Wat bij het cijfer gezegd moet worden, zoals een eenheid die de bron "
                "niet eenduidig geeft.",
                verbose_name="noot",
            ),
        ),
        migrations.AlterField(
            model_name="baselinefigure",
            name="unit",
            field=models.CharField(
                blank=True,
                help_text="Zoals gepubliceerd (days, working_days).",
                max_length=20,
                verbose_name="eenheid",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
