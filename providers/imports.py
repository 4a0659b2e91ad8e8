"""providers.csv (domain/INTERCHANGE.md): `agb_code,name,kvk,kind,size`."""

from django.utils.translation import gettext_lazy as _

from wmo.imports.framework import Importer
from wmo.imports.reading import IDENTIFIER, Column

from .models import Provider


class ProviderImporter(Importer):
    title = _("Aanbieders importeren")
    kind = "providers"
    model = Provider
    id_column = "agb_code"
    id_field = "agb_code"
    # Codes of fixed length: an Excel number cell that dropped a leading zero gets it back.
    columns = [Column("agb_code", kind=IDENTIFIER, digits=8), "name",
               Column("kvk", kind=IDENTIFIER, digits=8), "kind", "size"]  # fmt: skip
    field_columns = {"kvk_number": "kvk", "size_override": "size"}

    def validate_row(self, row):
        values = {
            "agb_code": row["agb_code"],
            "name": row["name"],
            "kvk_number": row["kvk"],
            "kind": row["kind"],
            # Empty size: no manual override, the size follows from the contracts' values.
            "size_override": row["size"].lower(),
        }
        # The model's own validators and clean(): the same rules as the form and the API. A
        # ValidationError is reported on the file's columns by the framework. Uniqueness is the
        # upsert key, so it is not checked per row (no query per row).
        Provider(**values).full_clean(validate_unique=False, validate_constraints=False)
        return values
