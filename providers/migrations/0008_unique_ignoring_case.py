import django.db.models.functions.text
from django.db import migrations, models


def refuse_duplicates_ignoring_case(apps, schema_editor):
    """The constraints below fail on rows that differ only in case; name them, so that whoever
    migrates knows which to rename, instead of an IntegrityError without names."""
    found = []
    for model_name, field in (("Consortium", "name"), ("Contract", "reference")):
        seen: dict[str, list[str]] = {}
        for value in apps.get_model("providers", model_name).objects.values_list(field, flat=True):
            seen.setdefault(value.lower(), []).append(value)
        found += [f"{model_name}.{field}: {', '.join(v)}" for v in seen.values() if len(v) > 1]
    if found:
        raise RuntimeError(
            "These differ only in upper and lower case; rename all but one, then migrate again: "
            + "; ".join(found)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0007_codes_in_ascii_digits"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates_ignoring_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="consortium",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="consortium_name_unique_ignoring_case",
                violation_error_message="Er bestaat al een samenwerkingsverband met deze naam.",
            ),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("reference"),
                name="contract_reference_unique_ignoring_case",
                violation_error_message="Er bestaat al een contract met dit kenmerk.",
            ),
        ),
    ]
