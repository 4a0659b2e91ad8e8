"""The suppression rules read an objective's pool as shown only for the figures the overview
pools (suppression.POOLED_ON_OVERVIEW): complaints and survey counts were hidden to protect pools
that no page shows; those pools are read as unknown totals now. The audit reads a shown pool as
the overview shows it (hidden, too, while the city's or wijk's figure it adds up to is hidden),
and the pools of all objectives as adding up to that figure. Where a sum still pins a hidden
count with every member withheld, its total is withheld too (Audit._withhold_totals). The
stored values are marked again with these rules."""

from django.db import migrations

from indicators.suppression_over_time import remark_stored_values


def remark(apps, schema_editor):
    remark_stored_values(apps.get_model("indicators", "IndicatorValue"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0017_withheld_breakdowns"),
    ]

    operations = [migrations.RunPython(remark, migrations.RunPython.noop)]
