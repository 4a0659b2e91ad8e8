"""After 0008 moved the data: scores belong to an award criterion only, and a principle carries
no weight (its text is the letter's)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("procurement", "0008_principles_apart_from_award_criteria")]

    operations = [
        migrations.RemoveField(model_name="evaluationscore", name="principle"),
        migrations.AlterField(
            model_name="evaluationscore",
            name="criterion",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scores",
                to="procurement.awardcriterion",
                verbose_name="gunningscriterium",
            ),
        ),  # fmt: skip
        migrations.AlterModelOptions(
            name="evaluationscore",
            options={
                "ordering": ["candidate", "criterion__number"],
                "verbose_name": "beoordeling",
                "verbose_name_plural": "beoordelingen",
            },
        ),  # fmt: skip
        migrations.AddConstraint(
            model_name="evaluationscore",
            constraint=models.UniqueConstraint(
                fields=("candidate", "criterion"),
                name="procurement_one_score_per_criterion",
                violation_error_message="Voor dit gunningscriterium is al een score ingevoerd.",
            ),
        ),  # fmt: skip
        migrations.RemoveField(model_name="principle", name="weight"),
        migrations.AlterField(
            model_name="principle",
            name="title",
            field=models.CharField(
                help_text="Letterlijk zoals in de collegebrief.",
                max_length=200,
                verbose_name="uitgangspunt",
            ),
        ),  # fmt: skip
    ]
