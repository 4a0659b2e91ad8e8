"""The registry the quarterly job walks: one module per family, in dependency order
(kwaliteit and uitgaven divide by bereik's clients_in_care, so bereik comes first)."""

from . import bereik, beschikbaarheid, buurtteam, diversiteit, kwaliteit, uitgaven
from .base import IndicatorDef

FAMILIES = [bereik, beschikbaarheid, diversiteit, buurtteam, kwaliteit, uitgaven]

INDICATORS: dict[str, IndicatorDef] = {
    definition.code: definition for family in FAMILIES for definition in family.INDICATORS
}
