"""The hand-typed yearly realisations (indicators.RealisedSpend, k€ per objective and year)
become spend bookings, so nothing is lost when the entry form goes.

Choice: one booking per realisation, booking_id `HANDMATIG-<objective>-<year>`, in the year's
fourth quarter (a yearly total known at the year's end: the year then counts 4 quarters realised
and its run-rate forecast equals the total), amount_eur = amount_keur × 1000, without service
type or contractor (the form never asked for them; the import requires them for IV and V, the
model allows their absence). Objectives outside III–V (the budget's I and II, which the form also
accepted) keep their code. The note and who entered it stay in the audit trail of the form's
records. Reversible: the bookings are removed again (the realisations come back through the
reverse of indicators' removal migration, which runs first)."""

from django.db import migrations

PREFIX = "HANDMATIG-"


def forward(apps, schema_editor):
    RealisedSpend = apps.get_model("indicators", "RealisedSpend")
    SpendBooking = apps.get_model("finance", "SpendBooking")
    SpendBooking.objects.bulk_create([
        SpendBooking(booking_id=f"{PREFIX}{row.objective}-{row.year}", quarter=f"{row.year}Q4",
                     objective=row.objective, amount_eur=row.amount_keur * 1000)
        for row in RealisedSpend.objects.all()
    ])  # fmt: skip


def backward(apps, schema_editor):
    RealisedSpend = apps.get_model("indicators", "RealisedSpend")
    SpendBooking = apps.get_model("finance", "SpendBooking")
    for booking in SpendBooking.objects.filter(booking_id__startswith=PREFIX):
        objective, year = booking.booking_id.removeprefix(PREFIX).rsplit("-", 1)
        RealisedSpend.objects.update_or_create(
            objective=objective, year=int(year),
            defaults={"amount_keur": booking.amount_eur / 1000},
        )  # fmt: skip
    SpendBooking.objects.filter(booking_id__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_spend_bookings"),
        ("indicators", "0008_baseline_published_unit_and_note"),
    ]

    operations = [migrations.RunPython(forward, backward)]
