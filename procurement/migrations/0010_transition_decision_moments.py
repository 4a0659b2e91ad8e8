"""The contract's later moments as dated steps of the timeline (TRANSITION.md, "Decision
moments after 2027"), each with its own status (derived from its dates, procurement/status.py):
the Beschermd Thuis pilots with new inflow (2027–2028), the decision with the U16 on Beschermd
Thuis from 2029, and the heroverwegingsclausule for hulp bij het huishouden (aim: 2031, earlier
if evaluations call for it). The contract's options (TenderOption, 0002) stay as they are: a
step is when it happens, an option is what may be decided."""

import datetime

from django.db import migrations

D = datetime.date
REFERENCE = "30209886"
# code, order, title, planned_start, planned_end, planned_label, is_period
STEPS = [
    ("bt_pilots", 90, "Pilots Beschermd Thuis met nieuwe instroom", D(2027, 1, 1),
     D(2028, 12, 31), "2027–2028", True),
    ("u16_decision_2029", 100, "Besluit met de U16 over Beschermd Thuis vanaf 2029",
     D(2028, 1, 1), D(2028, 12, 31), "vóór 2029 (koers vanaf 2029)", False),
    ("hbh_review_2031", 110, "Heroverwegingsclausule hulp bij het huishouden", D(2031, 1, 1),
     D(2031, 12, 31), "gericht op 2031, eerder als evaluaties daartoe aanleiding geven", False),
]  # fmt: skip


def load(apps, schema_editor):
    Tender = apps.get_model("procurement", "Tender")
    Milestone = apps.get_model("procurement", "Milestone")
    tender = Tender.objects.filter(reference=REFERENCE).first()
    if tender is None:
        return
    for code, order, title, start, end, label, is_period in STEPS:
        Milestone.objects.get_or_create(
            tender=tender, code=code,
            defaults={"kind": "step", "order": order, "title": title, "planned_start": start,
                      "planned_end": end, "planned_label": label, "is_period": is_period},
        )  # fmt: skip


def unload(apps, schema_editor):
    Milestone = apps.get_model("procurement", "Milestone")
    Milestone.objects.filter(tender__reference=REFERENCE,
                             code__in=[step[0] for step in STEPS]).delete()  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("procurement", "0009_principle_without_weight")]
    operations = [migrations.RunPython(load, unload)]
