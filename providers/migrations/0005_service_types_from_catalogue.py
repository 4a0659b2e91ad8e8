"""ServiceType moved to `wmo.catalogue` (catalogue 0001): the relations follow in the state only.
The foreign key and join-table columns (`servicetype_id`) and their tables stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0004_share_percent_message"),
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contract",
                    name="service_types",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="contracts",
                        to="catalogue.servicetype",
                        verbose_name="voorzieningen",
                    ),
                ),
                migrations.AlterField(
                    model_name="contractoption",
                    name="service_type",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contract_options",
                        to="catalogue.servicetype",
                        verbose_name="voorziening",
                    ),
                ),
                migrations.AlterField(
                    model_name="subcontract",
                    name="service_types",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="subcontracts",
                        to="catalogue.servicetype",
                        verbose_name="voorzieningen",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
