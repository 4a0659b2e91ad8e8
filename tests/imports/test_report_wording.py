"""The import report's wording of a value outside a field's choices and of an empty required
value: the values allowed are listed, and every message ends as a sentence."""

import pytest

from providers.imports import ProviderImporter
from providers.models import Provider
from wmo.catalogue.models import Objective
from wmo.imports.parsing import parse_choice

pytestmark = pytest.mark.django_db
HEADER = "agb_code,name,kvk,kind,size\n"


def test_a_model_choice_error_lists_the_values_allowed():
    result = ProviderImporter().run((HEADER + "12345678,Zorg Oost,,zorg,huge\n").encode())
    assert [(p.line, p.column, p.value, p.message) for p in result.problems] == [
        (2, "kind", "zorg",
         "Waarde 'zorg' is geen geldige keuze. Kies uit: care_provider, resident_org, welfare."),
        (2, "size", "huge", "Waarde 'huge' is geen geldige keuze. Kies uit: large, small."),
    ]  # fmt: skip
    assert not Provider.objects.exists()


def test_an_empty_required_value_is_a_sentence():
    result = ProviderImporter().run((HEADER + "12345678,,,welfare,\n").encode())
    assert [(p.column, p.message) for p in result.problems] == [
        ("name", "Dit veld kan niet leeg zijn.")
    ]
    assert "Regel 2, kolom 'name': Dit veld kan niet leeg zijn.\n" in result.report + "\n"


def test_a_parsed_choice_says_the_same():
    with pytest.raises(ValueError) as refused:
        parse_choice("VI", Objective)
    assert str(refused.value) == "Waarde 'VI' is geen geldige keuze. Kies uit: III, IV, V."
