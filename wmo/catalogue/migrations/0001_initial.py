"""ServiceType moves here from `referrals` without touching its rows: this migration only takes
the model into the catalogue's state (still on the table `referrals_servicetype`), the apps that
point at it follow in their own state-only migrations, and 0002 renames the table."""

import django.core.validators
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the content type row (and with it admin log and audit entries) for the moved model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="referrals", model="servicetype").update(
        app_label="catalogue"
    )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="catalogue", model="servicetype").update(
        app_label="referrals"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("referrals", "0005_referral_fk_indexes_covered_by_composites"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ServiceType",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.SlugField(
                                max_length=60,
                                unique=True,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[a-z][a-z0-9_]*$",
                                        "Gebruik kleine letters, cijfers en '_'.",
                                    )
                                ],
                                verbose_name="code",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="naam")),
                        (
                            "objective",
                            models.CharField(
                                choices=[
                                    ("III", "III — laagdrempelige basiszorg"),
                                    ("IV", "IV — passende aanvullende zorg"),
                                    ("V", "V — opvang en verblijf (U16)"),
                                ],
                                max_length=3,
                                verbose_name="beleidsdoel",
                            ),
                        ),
                        (
                            "waiting_norm_days",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Leeg: deze voorziening heeft geen wachttijdnorm.",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(
                                        1, "Een norm is minstens 1 dag; laat leeg voor geen norm."
                                    )
                                ],
                                verbose_name="wachttijdnorm (dagen)",
                            ),
                        ),
                        (
                            "iwmo_category",
                            models.CharField(
                                blank=True,
                                max_length=2,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^\\d{2}$", "Een productcategorie bestaat uit twee cijfers."
                                    )
                                ],
                                verbose_name="iWmo-productcategorie",
                            ),
                        ),
                        (
                            "valid_from",
                            models.DateField(blank=True, null=True, verbose_name="geldig vanaf"),
                        ),
                        (
                            "valid_to",
                            models.DateField(
                                blank=True, null=True, verbose_name="geldig tot en met"
                            ),
                        ),
                        (
                            "notes",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="toelichting"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "referrals_servicetype",
                        "verbose_name": "voorziening",
                        "verbose_name_plural": "voorzieningen",
                        "ordering": ["objective", "name"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("valid_from__isnull", True),
                                    ("valid_to__isnull", True),
                                    ("valid_to__gte", models.F("valid_from")),
                                    _connector="OR",
                                ),
                                name="service_type_valid_range",
                                violation_error_message="'Geldig tot en met' ligt vóór 'geldig vanaf'.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
