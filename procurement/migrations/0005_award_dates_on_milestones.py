"""One source of truth for the decision dates: the award decision, the signing and the selection
decision become the actual dates of the steps `provisional_award`, `definitive_award` and
`selection` (see procurement/awards.py); the tender's status is derived from the recorded dates,
with only a withdrawal date stored. Dialogue and implementation become periods.

Moving the data: a date on the tender or a candidate wins over the step's own actual date, since
the standstill was checked against it; a candidate's date fills the selection step only while
that is still empty (the latest date, if candidates differed). A withdrawn tender keeps its
status through a withdrawal date of today, the day nothing else is known."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models
from django.utils import timezone

PERIOD_STEPS = ["dialogue", "implementation"]


def forwards(apps, schema_editor):
    Tender = apps.get_model("procurement", "Tender")
    Milestone = apps.get_model("procurement", "Milestone")
    Candidate = apps.get_model("procurement", "Candidate")
    Milestone.objects.filter(kind="step", code__in=PERIOD_STEPS).update(is_period=True)
    for tender in Tender.objects.all():
        for code, day in (
            ("provisional_award", tender.provisional_award_date),
            ("definitive_award", tender.definitive_award_date),
        ):
            if day:
                Milestone.objects.filter(tender=tender, code=code).update(
                    actual_start=day, actual_end=None
                )
        dates = Candidate.objects.filter(tender=tender, selection_date__isnull=False)
        latest = dates.order_by("-selection_date").values_list("selection_date", flat=True).first()
        if latest:
            Milestone.objects.filter(tender=tender, code="selection", actual_start=None).update(
                actual_start=latest
            )
        if tender.status == "cancelled":
            tender.cancelled_date = timezone.localdate()
            tender.save(update_fields=["cancelled_date"])


def backwards(apps, schema_editor):
    Tender = apps.get_model("procurement", "Tender")
    Milestone = apps.get_model("procurement", "Milestone")
    Candidate = apps.get_model("procurement", "Candidate")
    for tender in Tender.objects.all():
        steps = dict(Milestone.objects.filter(tender=tender).values_list("code", "actual_start"))
        tender.provisional_award_date = steps.get("provisional_award")
        tender.definitive_award_date = steps.get("definitive_award")
        tender.status = "cancelled" if tender.cancelled_date else "preparation"
        tender.save()
        Candidate.objects.filter(tender=tender, status__in=["selected", "not_selected"]).update(
            selection_date=steps.get("selection")
        )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0004_tender_contract_and_calendar_feed")]

    operations = [
        migrations.AddField(
            model_name="milestone",
            name="is_period",
            field=models.BooleanField(
                default=False,
                help_text="Een periode (zoals de dialoog) is pas afgerond als 'werkelijk tot en met' is ingevuld; met alleen een werkelijke begindatum loopt hij nog.",
                verbose_name="periode",
            ),
        ),
        migrations.AddField(
            model_name="tender",
            name="cancelled_date",
            field=models.DateField(
                blank=True,
                help_text="Alleen als de aanbesteding is ingetrokken. De status volgt verder uit de vastgelegde data van de stappen.",
                null=True,
                verbose_name="ingetrokken op",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="candidate", name="selection_date"),
        migrations.RemoveField(model_name="tender", name="definitive_award_date"),
        migrations.RemoveField(model_name="tender", name="provisional_award_date"),
        migrations.RemoveField(model_name="tender", name="status"),
        migrations.AlterField(
            model_name="principle",
            name="weight",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("12.50"),
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
        migrations.AlterField(
            model_name="tender",
            name="standstill_days",
            field=models.PositiveSmallIntegerField(
                default=20,
                help_text="Standaard 20 kalenderdagen (Alcatel-termijn). Eindigt de termijn op een zaterdag, zondag of feestdag, dan loopt hij door tot de eerstvolgende werkdag (Algemene termijnenwet).",
                validators=[
                    django.core.validators.MinValueValidator(
                        1, "De opschortende termijn is minstens 1 kalenderdag."
                    ),
                    django.core.validators.MaxValueValidator(
                        365, "De opschortende termijn is hoogstens 365 kalenderdagen."
                    ),
                ],
                verbose_name="opschortende termijn (kalenderdagen)",
            ),
        ),
    ]
