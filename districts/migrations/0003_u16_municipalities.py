import django.core.validators
from django.db import migrations, models

# Frozen copy of the U16 region (CBS gemeentecodes as of 2024): a migration must keep loading
# the same data when the reference data changes later.
MUNICIPALITIES = [
    ("GM0312", "Bunnik"), ("GM0310", "De Bilt"), ("GM0736", "De Ronde Venen"),
    ("GM0321", "Houten"), ("GM0353", "IJsselstein"), ("GM0331", "Lopik"),
    ("GM0335", "Montfoort"), ("GM0356", "Nieuwegein"), ("GM0589", "Oudewater"),
    ("GM1904", "Stichtse Vecht"), ("GM0344", "Utrecht"), ("GM1581", "Utrechtse Heuvelrug"),
    ("GM1961", "Vijfheerenlanden"), ("GM0352", "Wijk bij Duurstede"), ("GM0632", "Woerden"),
    ("GM0355", "Zeist"),
]  # fmt: skip


def load(apps, schema_editor):
    Municipality = apps.get_model("districts", "Municipality")
    for code, name in MUNICIPALITIES:
        Municipality.objects.get_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("districts", "Municipality").objects.filter(
        code__in=[code for code, _ in MUNICIPALITIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("districts", "0002_reference_data")]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=6, unique=True, validators=[django.core.validators.RegexValidator("^GM\\d{4}$", "Een CBS-gemeentecode bestaat uit 'GM' en vier cijfers, bijvoorbeeld GM0310.")], verbose_name="CBS-gemeentecode")),
                ("name", models.CharField(max_length=100, verbose_name="naam")),
            ],
            options={"verbose_name": "gemeente", "verbose_name_plural": "gemeenten", "ordering": ["name"]},
        ),
        migrations.RunPython(load, unload),
    ]  # fmt: skip
