"""Award criteria of their own (AwardCriterion), for scores to move to from the principles;
the data moves in 0008 and the principle's weight goes in 0009. Schema and data changes are
separate migrations: PostgreSQL refuses to alter a table with pending trigger events in the
same transaction."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("procurement", "0006_heroverwegingsclausule_and_motion_requests")]

    operations = [
        migrations.CreateModel(
            name="AwardCriterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1, "Een nummer is minstens 1.")
                        ],
                        verbose_name="nummer",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="gunningscriterium")),
                (
                    "weight",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(
                                Decimal("0"), "Een weging kan niet negatief zijn."
                            ),
                            django.core.validators.MaxValueValidator(
                                Decimal("100"), "Een weging is hoogstens 100 %%."
                            ),
                        ],
                        verbose_name="weging (%)",
                    ),
                ),
                (
                    "tender",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criteria",
                        to="procurement.tender",
                        verbose_name="aanbesteding",
                    ),
                ),
            ],
            options={
                "verbose_name": "gunningscriterium",
                "verbose_name_plural": "gunningscriteria",
                "ordering": ["tender", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tender", "number"),
                        name="procurement_criterion_number_unique",
                        violation_error_message="Dit nummer heeft al een gunningscriterium.",
                    )
                ],
            },
        ),  # fmt: skip
        migrations.RemoveConstraint(
            model_name="evaluationscore", name="procurement_one_score_per_principle"
        ),
        migrations.AlterModelOptions(
            name="evaluationscore",
            options={
                "ordering": ["candidate", "id"],
                "verbose_name": "beoordeling",
                "verbose_name_plural": "beoordelingen",
            },
        ),  # fmt: skip
        migrations.AlterField(
            model_name="evaluationscore",
            name="principle",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scores",
                to="procurement.principle",
                verbose_name="uitgangspunt",
            ),
        ),  # fmt: skip
        migrations.AddField(
            model_name="evaluationscore",
            name="criterion",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scores",
                to="procurement.awardcriterion",
                verbose_name="gunningscriterium",
            ),
        ),  # fmt: skip
    ]
