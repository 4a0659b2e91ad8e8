"""ServiceType moved to `wmo.catalogue` (catalogue 0001): the relations follow in the state only;
the foreign key columns stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_initial"),
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="complaint",
                    name="service_type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaints",
                        to="catalogue.servicetype",
                        verbose_name="voorziening",
                    ),
                ),
                migrations.AlterField(
                    model_name="surveyresponse",
                    name="service_type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="survey_responses",
                        to="catalogue.servicetype",
                        verbose_name="voorziening",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
