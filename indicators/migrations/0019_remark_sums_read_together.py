"""The audit also reads the sums together (suppression_exact): in the demo's 2023Q1 two
voorzieningen' columns of waiting counts and three wijken's objective pools on the overview
pinned eleven `<5` counts that no single sum pinned; and a count can be pinned inside its
range by the equations alone (an unknown that counts once each way). The stored values are
marked again with these rules."""

from django.db import migrations

from indicators.suppression_over_time import remark_stored_values


def remark(apps, schema_editor):
    remark_stored_values(apps.get_model("indicators", "IndicatorValue"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0018_remark_unseen_pools"),
    ]

    operations = [migrations.RunPython(remark, migrations.RunPython.noop)]
