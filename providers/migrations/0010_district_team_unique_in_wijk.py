import django.db.models.functions.text
from django.db import migrations, models


def number_duplicates(apps, schema_editor):
    """Wijkteams stored before the rule that differ only in case from another of the same
    contract and wijk get a number behind their name ("Team Oost (2)"), so the constraint can
    be added; the contract's structure page then shows the wijk with two teams, to remove one."""
    teams = apps.get_model("providers", "DistrictTeam").objects.order_by("pk")
    taken: dict[tuple, set[str]] = {}
    for team in teams:
        names = taken.setdefault((team.contract_id, team.district_id), set())
        name, number = team.name, 1
        while name.lower() in names:
            number += 1
            name = f"{team.name[:190]} ({number})"
        names.add(name.lower())
        if name != team.name:
            team.name = name
            team.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("districts", "0004_codes_in_ascii_digits"),
        ("providers", "0009_versions_of_values_options_and_teams"),
    ]

    operations = [
        migrations.RunPython(number_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="districtteam",
            constraint=models.UniqueConstraint(
                models.F("contract"),
                models.F("district"),
                django.db.models.functions.text.Lower("name"),
                name="district_team_unique_in_wijk",
                violation_error_message="Dit contract heeft in deze wijk al een wijkteam met deze naam.",
            ),
        ),
    ]
