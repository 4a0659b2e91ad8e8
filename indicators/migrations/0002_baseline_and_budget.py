"""Load the published 0-measurement 2020–2022 and the 2024–2027 budget shipped in indicators/data."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    BaselineFigure = apps.get_model("indicators", "BaselineFigure")
    BudgetLine = apps.get_model("indicators", "BudgetLine")
    # The test suite reloads this data on the current models after a flush; only they have the
    # `note` of migration 0007, which fills it when it runs for real.
    has_note = any(f.name == "note" for f in BaselineFigure._meta.get_fields())
    with open(DATA / "baseline_2020_2022.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            defaults = {
                "value": Decimal(row["value"]),
                "norm": Decimal(row["norm"]) if row["norm"] else None,
                "unit": row["unit"],
            }
            if has_note:
                defaults["note"] = row["note"]
            BaselineFigure.objects.update_or_create(
                year=int(row["year"]), service=row["service_type"], indicator=row["indicator"],
                defaults=defaults,
            )  # fmt: skip
    with open(DATA / "budget_2024_2027.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column, amount in row.items():
                if column in ("objective", "line") or amount == "":
                    continue
                year = None if column == "structural" else int(column)
                BudgetLine.objects.update_or_create(
                    objective=row["objective"], line=row["line"], year=year,
                    defaults={"amount_keur": Decimal(amount)},
                )  # fmt: skip


def unload(apps, schema_editor):
    apps.get_model("indicators", "BaselineFigure").objects.all().delete()
    apps.get_model("indicators", "BudgetLine").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
