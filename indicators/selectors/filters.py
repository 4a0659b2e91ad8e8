"""The dashboard's selection: which stored level answers a choice of wijk, service and
organisation, and the query strings that carry it."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext_noop

from ..definitions.base import SYSTEM_KEY


@dataclass(frozen=True)
class Filters:
    """The optional dashboard filters: CBS wijk code, service code, provider / contractor AGB."""

    district: str = ""
    service: str = ""
    provider: str = ""
    contractor: str = ""

    @property
    def level(self) -> tuple[str, str]:
        """The stored (level, level_key) that answers this combination of filters."""
        if self.provider:
            return "provider", self.provider
        if self.contractor:
            return "contractor", self.contractor
        if self.district and self.service:
            return "district_service", f"{self.district}:{self.service}"
        if self.district:
            return "district", self.district
        if self.service:
            return "service_type", self.service
        return "system", SYSTEM_KEY

    @property
    def ignored(self) -> list[str]:
        """Filters left out because no value is stored for that combination (e.g. wijk ×
        aanbieder): the page says so instead of silently showing something else."""
        level = self.level[0]
        ignored = []
        if level in ("provider", "contractor"):
            ignored += [name for name, v in ((gettext_noop("wijk"), self.district),
                                             (gettext_noop("voorziening"), self.service)) if v]  # fmt: skip
        if level == "provider" and self.contractor:
            ignored.append(gettext_noop("contractpartij"))
        return ignored

    def as_query(self) -> dict[str, str]:
        """The dashboard's own GET parameters for these filters."""
        pairs = (("wijk", self.district), ("voorziening", self.service),
                 ("aanbieder", self.provider), ("contractpartij", self.contractor))  # fmt: skip
        return {name: value for name, value in pairs if value}

    def waiting_list_query(self) -> str | None:
        """Query string for the waiting list (referrals:waiting-list filters wijk, voorziening,
        aanbieder) showing the people behind a figure at this selection's stored level: exactly
        that level's filters, not the ignored ones (a provider's figure covers every wijk).
        None at contractor level: the list cannot filter on it and would show more."""
        level, key = self.level
        if level == "contractor":
            return None
        if level == "district_service":
            district, service = key.split(":", 1)
            return urlencode({"wijk": district, "voorziening": service})
        names = {"district": "wijk", "service_type": "voorziening", "provider": "aanbieder"}
        return urlencode({names[level]: key}) if level in names else ""
