"""Spend indicators (domain/BUDGET.md): `spend_eur` has cents, and `cost_per_client_eur` has the
spend as its numerator. Every stored value and numerator keeps its number; they read back as
before (StoredFigure)."""

from django.db import migrations

import indicators.models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_retire_hand_entered_realisations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicatorvalue",
            name="numerator",
            field=indicators.models.StoredFigure(
                blank=True,
                decimal_places=2,
                max_digits=18,
                null=True,
                verbose_name="teller",
                whole_as_int=True,
            ),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="value",
            field=indicators.models.StoredFigure(
                blank=True, decimal_places=2, max_digits=16, null=True, verbose_name="waarde"
            ),
        ),
    ]
