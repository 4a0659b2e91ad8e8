"""Norms and targets become dated records (Norm). Today's values — each service's waiting norm
and the programme's norm and targets, until now constants in wmo/catalogue/norms.py — are
seeded valid from 1 January 2015 (the Wmo 2015), so every period computed so far, the baseline
years 2020–2022 included, is judged against the same values as before (a service that starts
later, ambulante begeleiding in 2027, too: its records were judged against 14 days whatever
their date). Then ServiceType.waiting_norm_days goes."""

import datetime
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SOURCE = "Beleidsnota Samen leven, samen zorgen (2024)"
NOTE = (
    "Vastgesteld door de raad op 28 maart 2024; hier geldig vanaf 1 januari 2015, zodat ook "
    "eerdere perioden en de nulmeting 2020–2022 tegen dezelfde waarde staan."
)
ESTIMATE = "Eerste inschatting, te toetsen in de praktijk. " + NOTE
EARLIEST = datetime.date(2015, 1, 1)

# The programme's norm and targets, as wmo/catalogue/norms.py held them (POLICY.md).
PROGRAMME = [
    ("bt_first_contact_workdays", Decimal(5), NOTE),
    ("bt_referral_pct", Decimal(20), "Verhouding buurtteam/aanvullende zorg 80/20. " + ESTIMATE),
    ("bt_group_pct", Decimal(50), "Groepsgericht/individueel bij het buurtteam 50/50. " + ESTIMATE),
    ("group_pct", Decimal(15), "Groepsgericht/individueel in aanvullende zorg 15/85. " + ESTIMATE),
]


def seed(apps, schema_editor):
    Norm = apps.get_model("catalogue", "Norm")
    ServiceType = apps.get_model("catalogue", "ServiceType")
    for service in ServiceType.objects.exclude(waiting_norm_days=None):
        Norm.objects.create(
            kind="waiting_days", service_type=service, value=Decimal(service.waiting_norm_days),
            valid_from=EARLIEST, source=SOURCE, note=NOTE,
        )  # fmt: skip
    for kind, value, note in PROGRAMME:
        Norm.objects.create(kind=kind, value=value, valid_from=EARLIEST, source=SOURCE, note=note)


def unseed(apps, schema_editor):
    """Back to one undated norm per service: the latest value it has."""
    Norm = apps.get_model("catalogue", "Norm")
    ServiceType = apps.get_model("catalogue", "ServiceType")
    for norm in Norm.objects.filter(kind="waiting_days").order_by("valid_from"):
        ServiceType.objects.filter(pk=norm.service_type_id).update(
            waiting_norm_days=int(norm.value)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_service_types"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Norm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("waiting_days", "Wachttijdnorm voorziening"),
                            ("bt_first_contact_workdays", "Eerste contact buurtteam"),
                            (
                                "bt_referral_pct",
                                "Doel doorverwijzing buurtteam naar aanvullende zorg (80/20)",
                            ),
                            ("bt_group_pct", "Doel groepsgericht bij het buurtteam (50/50)"),
                            ("group_pct", "Doel groepsgericht in aanvullende zorg (15/85)"),
                        ],
                        max_length=40,
                        verbose_name="soort",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=5,
                        verbose_name="waarde",
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="geldig vanaf")),
                ("source", models.CharField(max_length=200, verbose_name="bron")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="toelichting")),
                (
                    "recorded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="vastgelegd op"),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="vastgelegd door",
                    ),
                ),
                (
                    "service_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="norms",
                        to="catalogue.servicetype",
                        verbose_name="voorziening",
                    ),
                ),
            ],
            options={
                "verbose_name": "norm of doel",
                "verbose_name_plural": "normen en doelen",
                "ordering": ["kind", "service_type__code", "valid_from"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("service_type__isnull", False)),
                        fields=("kind", "service_type", "valid_from"),
                        name="norm_unique_per_service_and_date",
                        violation_error_message="Voor deze norm bestaat al een waarde met deze datum.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("service_type__isnull", True)),
                        fields=("kind", "valid_from"),
                        name="norm_unique_per_date",
                        violation_error_message="Voor deze norm bestaat al een waarde met deze datum.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "waiting_days"), ("service_type__isnull", False)),
                            models.Q(
                                models.Q(("kind", "waiting_days"), _negated=True),
                                ("service_type__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="norm_service_for_waiting_only",
                        violation_error_message="Alleen een wachttijdnorm hoort bij een voorziening.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("value__gt", 0)),
                        name="norm_value_positive",
                        violation_error_message="De waarde moet groter zijn dan 0.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("valid_from__gte", datetime.date(2015, 1, 1))),
                        name="norm_valid_from_wmo_2015",
                        violation_error_message="Een norm geldt niet vóór 1 januari 2015.",
                    ),
                ],
            },
        ),
        migrations.RunPython(seed, unseed),
        migrations.RemoveField(
            model_name="servicetype",
            name="waiting_norm_days",
        ),
    ]
