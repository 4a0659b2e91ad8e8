from django.db import migrations

# Frozen copy: a migration must keep loading the same data when reference_data.py changes later.
DISTRICTS = [
    ("WK034401", "West"),
    ("WK034402", "Noordwest"),
    ("WK034403", "Overvecht"),
    ("WK034404", "Noordoost"),
    ("WK034405", "Oost"),
    ("WK034406", "Binnenstad"),
    ("WK034407", "Zuid"),
    ("WK034408", "Zuidwest"),
    ("WK034409", "Leidsche Rijn"),
    ("WK034410", "Vleuten-De Meern"),
]
BUURTTEAMS = [
    ("BT01", "Buurtteam West 1", "WK034401"), ("BT02", "Buurtteam West 2", "WK034401"),
    ("BT03", "Buurtteam Noordwest 1", "WK034402"), ("BT04", "Buurtteam Noordwest 2", "WK034402"),
    ("BT05", "Buurtteam Overvecht 1", "WK034403"), ("BT06", "Buurtteam Overvecht 2", "WK034403"),
    ("BT07", "Buurtteam Noordoost", "WK034404"),
    ("BT08", "Buurtteam Oost 1", "WK034405"), ("BT09", "Buurtteam Oost 2", "WK034405"),
    ("BT10", "Buurtteam Binnenstad", "WK034406"),
    ("BT11", "Buurtteam Zuid 1", "WK034407"), ("BT12", "Buurtteam Zuid 2", "WK034407"),
    ("BT13", "Buurtteam Zuidwest 1", "WK034408"), ("BT14", "Buurtteam Zuidwest 2", "WK034408"),
    ("BT15", "Buurtteam Leidsche Rijn 1", "WK034409"), ("BT16", "Buurtteam Leidsche Rijn 2", "WK034409"),
    ("BT17", "Buurtteam Vleuten-De Meern 1", "WK034410"), ("BT18", "Buurtteam Vleuten-De Meern 2", "WK034410"),
]  # fmt: skip


def load(apps, schema_editor):
    District = apps.get_model("districts", "District")
    Buurtteam = apps.get_model("districts", "Buurtteam")
    by_code = {}
    for code, name in DISTRICTS:
        by_code[code], _ = District.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, district in BUURTTEAMS:
        Buurtteam.objects.get_or_create(
            code=code, defaults={"name": name, "district": by_code[district]}
        )


def unload(apps, schema_editor):
    apps.get_model("districts", "Buurtteam").objects.filter(
        code__in=[b[0] for b in BUURTTEAMS]
    ).delete()
    apps.get_model("districts", "District").objects.filter(
        code__in=[d[0] for d in DISTRICTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
