# A survey response may be about the buurtteam (issue 16): no voorziening, no provider, optional team.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_service_types"),
        ("districts", "0002_reference_data"),
        ("providers", "0005_service_types_from_catalogue"),
        ("quality", "0002_service_types_from_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyresponse",
            name="about_buurtteam",
            field=models.BooleanField(
                default=False,
                help_text="Een respons over het buurtteam noemt geen voorziening en geen aanbieder.",
                verbose_name="over het buurtteam",
            ),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="team",
            field=models.ForeignKey(
                blank=True,
                help_text="Alleen bij een respons over het buurtteam; leeg: team onbekend.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey_responses",
                to="districts.buurtteam",
                verbose_name="buurtteam",
            ),
        ),
        migrations.AlterField(
            model_name="surveyresponse",
            name="provider",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey_responses",
                to="providers.provider",
                verbose_name="aanbieder",
            ),
        ),
        migrations.AlterField(
            model_name="surveyresponse",
            name="service_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey_responses",
                to="catalogue.servicetype",
                verbose_name="voorziening",
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyresponse",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("about_buurtteam", True),
                        ("provider__isnull", True),
                        ("service_type__isnull", True),
                    ),
                    models.Q(
                        ("about_buurtteam", False),
                        ("provider__isnull", False),
                        ("service_type__isnull", False),
                        ("team__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="survey_buurtteam_or_care",
                violation_error_message="Een respons gaat over het buurtteam (zonder voorziening en aanbieder) of over aanvullende zorg (met voorziening en aanbieder, zonder buurtteam).",
            ),
        ),
    ]
