"""survey.csv and complaints.csv (domain/INTERCHANGE.md), through the one importer framework."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from districts.models import Buurtteam, District
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.imports.framework import Importer
from wmo.imports.parsing import parse_date, parse_int, require
from wmo.imports.problems import RowErrors
from wmo.imports.reading import DATE, IDENTIFIER, Column

from .models import BUURTTEAM_SERVICE, Complaint, SurveyResponse
from .services import validate

AGB = Column("provider_agb", kind=IDENTIFIER, digits=8)
BUURTTEAM_WITH_PROVIDER = (
    "Laat provider_agb leeg bij service_type buurtteam: een respons over het buurtteam noemt "
    "geen aanbieder."
)
CARE_WITHOUT_PROVIDER = (
    "provider_agb is verplicht: alleen een respons over het buurtteam (service_type buurtteam) "
    "noemt geen aanbieder."
)
TEAM_WITHOUT_BUURTTEAM = "Vul team alleen in bij service_type buurtteam."


class QualityImporter(Importer):
    """Shared: code tables, lookups of the three codes, the model's rules per row, and the
    quarters a written row counts in (`dates`), so the import recomputes those indicators."""

    dates: tuple[str, ...] = ()
    """The date attributes whose quarter a record counts in (INDICATORS.md, Kwaliteit)."""

    def written(self, created, updated):
        """Each date's own quarter, before and after a change (Importer.touch): a complaint
        counts in the quarter it was received and the one it was resolved, not those between."""
        for values in self.before_and_after(created, updated):
            for name in self.dates:
                if name in values:
                    self.touch(values[name], values[name])

    def prepare(self):
        self.districts = self.code_table(District, "code")
        self.service_types = self.code_table(ServiceType, "code")
        self.providers = self.code_table(Provider, "agb_code")

    def relations(self, errors: RowErrors, row: dict) -> dict:
        return {
            "district": errors.lookup(self.districts, row, "district", "Onbekende wijkcode."),
            "service_type": errors.lookup(self.service_types, row, "service_type",
                                          "Onbekende voorziening."),
            "provider": errors.lookup(self.providers, row, "provider_agb", "Onbekende AGB-code."),
        }  # fmt: skip

    def check_model(self, errors: RowErrors, values: dict) -> None:
        """The model's validators and clean() on the values that could be parsed (a column
        already in error is not checked twice). Uniqueness is the upsert key: not checked."""
        failed = {error.column for error in errors.errors}
        exclude = [name for name, column in self.field_columns.items() if column in failed]
        try:
            validate(self.model(**values), check_unique=False, exclude=exclude)
        except ValidationError as exc:
            errors.errors.extend(e for e in self.model_errors(exc).errors if e.column not in failed)


class SurveyImporter(QualityImporter):
    title = _("Ervaringen (Ervaringwijzer) importeren")
    kind = "survey"
    model = SurveyResponse
    id_column = "response_id"
    id_field = "external_id"
    dates = ("date",)
    columns = ["response_id", Column("date", kind=DATE), "district", "service_type", AGB,
               "q_solution", "q_self_reliance", Column("team", required=False)]  # fmt: skip
    field_columns = {"external_id": "response_id", "date": "date", "q_solution": "q_solution",
                     "q_self_reliance": "q_self_reliance", "service_type": "service_type",
                     "provider": "provider_agb", "team": "team"}  # fmt: skip

    def prepare(self):
        super().prepare()
        self.teams = self.code_table(Buurtteam, "code")

    def subject(self, errors: RowErrors, row: dict) -> dict:
        """About the buurtteam (service_type `buurtteam`, no provider, optional team) or about
        aanvullende zorg (a voorziening and its provider, no team). Every row gets the same keys
        in the same order, as the upsert wants."""
        district = errors.lookup(self.districts, row, "district", "Onbekende wijkcode.")
        if row.get("service_type", "") == BUURTTEAM_SERVICE:
            if row.get("provider_agb", ""):
                errors.add("provider_agb", BUURTTEAM_WITH_PROVIDER)
            team = errors.lookup(self.teams, row, "team", "Onbekende buurtteamcode.",
                                 required=False)  # fmt: skip
            return {"district": district, "about_buurtteam": True, "service_type": None,
                    "provider": None, "team": team}  # fmt: skip
        service_type = errors.lookup(self.service_types, row, "service_type",
                                     "Onbekende voorziening.")  # fmt: skip
        provider = None
        if row.get("provider_agb", ""):
            provider = errors.lookup(self.providers, row, "provider_agb", "Onbekende AGB-code.")
        else:
            errors.add("provider_agb", CARE_WITHOUT_PROVIDER)
        if row.get("team", ""):
            errors.add("team", TEAM_WITHOUT_BUURTTEAM)
        return {"district": district, "about_buurtteam": False, "service_type": service_type,
                "provider": provider, "team": None}  # fmt: skip

    def decided_without_column(self, values: dict) -> set[str]:
        # A response about a voorziening has no team, with or without the team column: one
        # stored about the buurtteam keeps none when a later file corrects it.
        return set() if values["about_buurtteam"] else {"team"}

    def validate_row(self, row):
        errors = RowErrors()
        external_id = errors.call(require, row, "response_id")
        subject = self.subject(errors, row)
        date = errors.call(parse_date, row, "date", required=True)
        answers = {name: errors.call(parse_int, row, name)
                   for name in ("q_solution", "q_self_reliance")}  # fmt: skip
        values = {"external_id": external_id, "date": date, **subject, **answers}
        self.check_model(errors, values)
        errors.raise_if_any()
        return values


class ComplaintImporter(QualityImporter):
    title = _("Klachten importeren")
    kind = "complaints"
    model = Complaint
    id_column = "complaint_id"
    id_field = "external_id"
    dates = ("received_date", "resolved_date")
    columns = ["complaint_id", AGB, "service_type", "district",
               Column("received_date", kind=DATE),
               Column("resolved_date", kind=DATE)]  # fmt: skip
    field_columns = {"external_id": "complaint_id", "received_date": "received_date",
                     "resolved_date": "resolved_date"}  # fmt: skip

    def validate_row(self, row):
        errors = RowErrors()
        external_id = errors.call(require, row, "complaint_id")
        relations = self.relations(errors, row)
        dates = {"received_date": errors.call(parse_date, row, "received_date", required=True),
                 "resolved_date": errors.call(parse_date, row, "resolved_date")}  # fmt: skip
        values = {"external_id": external_id, **relations, **dates}
        self.check_model(errors, values)
        errors.raise_if_any()
        return values
