"""ServiceType now lives in `wmo.catalogue` (catalogue 0001). State only: the table and the
foreign key column stay as they are; catalogue 0002 renames the table afterwards."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_referral_fk_indexes_covered_by_composites"),
        ("catalogue", "0001_initial"),
        # Every other state reference moves first, so deleting the model here leaves none behind.
        ("providers", "0005_service_types_from_catalogue"),
        ("quality", "0002_service_types_from_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="referral",
                    name="service_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="referrals",
                        to="catalogue.servicetype",
                        verbose_name="voorziening",
                    ),
                ),
                migrations.DeleteModel(name="ServiceType"),
            ],
            database_operations=[],
        ),
    ]
