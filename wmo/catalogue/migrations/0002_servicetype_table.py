"""The table takes the catalogue's name once nothing in the state points at `referrals` for it.
PostgreSQL and SQLite (≥ 3.26) carry the foreign keys of other tables along with the rename."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("referrals", "0006_service_type_to_catalogue"),
    ]

    operations = [migrations.AlterModelTable(name="servicetype", table=None)]
