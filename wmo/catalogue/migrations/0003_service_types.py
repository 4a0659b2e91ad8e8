"""The voorzieningen of REFERENCE_DATA.md. They were loaded by referrals 0002 before the model
moved here; get_or_create leaves a database that has them as it is, and a fresh one gets them."""

import datetime

from django.db import migrations

MERGE = datetime.date(2027, 1, 1)
BEFORE_MERGE = datetime.date(2026, 12, 31)

# Frozen copy of REFERENCE_DATA.md: (code, name, objective, norm days, iWmo, from, to, notes).
SERVICE_TYPES = [
    ("ambulante_begeleiding", "Ambulante begeleiding", "IV", 14, "02", MERGE, None,
     "Vanaf 2027; vervangt individuele begeleiding, thuisbegeleiding en Beschermd Thuis."),
    ("individuele_begeleiding", "Individuele begeleiding", "IV", 14, "02", None, BEFORE_MERGE,
     "Tot en met 2026."),
    ("thuisbegeleiding", "Thuisbegeleiding", "IV", 14, "02", None, BEFORE_MERGE, "Tot en met 2026."),
    ("arbeidsmatige_activering", "Arbeidsmatige activering", "IV", 14, "07", None, None, ""),
    ("dagbegeleiding", "Dagbegeleiding", "IV", 14, "07", None, None, ""),
    ("hulp_bij_huishouden", "Hulp bij het huishouden", "IV", 14, "01", None, None,
     "Kan via de heroverwegingsclausule aan het stedelijk contract worden toegevoegd (doel 2031)."),
    ("vervoersvoorziening", "Vervoersvoorziening", "IV", None, "08", None, None, "Via het Wmo-loket."),
    ("woonvoorziening", "Woonvoorziening / woningaanpassing", "IV", None, "", None, None,
     "Via het Wmo-loket."),
    ("rolstoelvoorziening", "Rolstoelvoorziening", "IV", None, "", None, None,
     "Via het Wmo-loket (hulpmiddel)."),
    ("beschermd_thuis", "Beschermd Thuis", "V", 91, "15", None, None,
     "24/7 ambulant; pilots binnen het stedelijk contract 2027–2028."),
    ("beschermd_verblijf", "Beschermd Verblijf", "V", 91, "15", None, None, ""),
    ("beschermd_wonen_bovenregionaal", "Beschermd Wonen bovenregionaal", "V", 91, "15", None, None, ""),
    ("living_lab", "Living Lab", "V", None, "18", None, None,
     "De gepubliceerde tabel toont norm 0; behandeld als geen norm."),
    ("maatschappelijke_opvang", "Maatschappelijke opvang", "V", None, "16", None, None,
     "Stadsteam Back Up."),
]  # fmt: skip


def load(apps, schema_editor):
    ServiceType = apps.get_model("catalogue", "ServiceType")
    for code, name, objective, norm, iwmo, valid_from, valid_to, notes in SERVICE_TYPES:
        ServiceType.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "objective": objective, "waiting_norm_days": norm,
                "iwmo_category": iwmo, "valid_from": valid_from, "valid_to": valid_to, "notes": notes,
            },
        )  # fmt: skip


def unload(apps, schema_editor):
    apps.get_model("catalogue", "ServiceType").objects.filter(
        code__in=[row[0] for row in SERVICE_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_servicetype_table")]
    operations = [migrations.RunPython(load, unload)]
