"""One validation entry point for survey responses and complaints: importer, API and demo data
call `validate`, so they report the same Dutch messages as the admin's model form."""

from django.db import models

RELATIONS = ("district", "service_type", "provider")


def validate(instance: models.Model, check_unique: bool = True, exclude=()) -> None:
    """Run the model's field validators and `clean()`; raises a Django ValidationError.

    The relations are looked up by their codes before (importer: code tables; API: slug
    fields), so they are not checked again here (no query per row)."""
    instance.full_clean(exclude=[*RELATIONS, *exclude], validate_unique=check_unique,
                        validate_constraints=False)  # fmt: skip
