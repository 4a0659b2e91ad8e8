from django.db import migrations

TARGET_GROUPS = [
    ("ouderen", "Ouderen"),
    ("lvb", "Licht verstandelijke beperking (LVB)"),
    ("ggz", "Psychische problematiek (GGZ)"),
    ("jongvolwassenen", "Jongvolwassenen"),
    ("nah", "Niet-aangeboren hersenletsel (NAH)"),
    ("verslaving", "Verslaving"),
    ("dak_en_thuislozen", "Dak- en thuislozen"),
    ("migranten", "Bewoners met een migratieachtergrond"),
    ("turks_marokkaans", "Turkse en Marokkaanse gemeenschap"),
    ("lhbtiq", "LHBTIQ+"),
    ("mantelzorgers", "Mantelzorgers"),
]


def add_target_groups(apps, schema_editor):
    TargetGroup = apps.get_model("providers", "TargetGroup")
    for code, name in TARGET_GROUPS:
        TargetGroup.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]

    operations = [migrations.RunPython(add_target_groups, migrations.RunPython.noop)]
