"""The hand-typed yearly realisation gives way to the spend bookings (domain/BUDGET.md).
finance 0002 has copied every row into bookings first, so nothing is lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_baseline_published_unit_and_note"),
        ("finance", "0002_hand_entered_realisations"),
    ]

    operations = [migrations.DeleteModel(name="RealisedSpend")]
