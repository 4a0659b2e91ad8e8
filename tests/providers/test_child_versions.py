"""A contract's values, options and wijkteams under the same optimistic locking as the contract
(wmo.versions.save_versioned): of two contract managers who opened the same edit page, the
second to save is refused, and the first one's edit stays."""

import datetime
from decimal import Decimal

import pytest

from providers.forms import ContractOptionForm, ContractValueForm, DistrictTeamForm
from providers.models import ContractOption, ContractValue

from .factories import ContractFactory, DistrictTeamFactory
from .test_versions import form_data, hidden_version, manager

pytestmark = pytest.mark.django_db


def a_value():
    contract = ContractFactory(reference="OOST-3")
    return ContractValue.objects.create(contract=contract, year=2026, amount=Decimal("1000"))


def an_option():
    return ContractOption.objects.create(contract=ContractFactory(reference="OOST-4"),
                                         name="Pilots", decision_date=datetime.date(2025, 1, 1))  # fmt: skip


# kind: (make, form, page URL part, field, Anna's value, Bram's value, start of the refusal)
RECORDS = {
    "jaarwaarde": (a_value, ContractValueForm, "jaarwaarden", "amount", "2000.00", "3000.00",
                   "Jaarwaarde OOST-3 2026: € 2.000,00 is intussen gewijzigd door Anna de Vries op "),
    "contractoptie": (an_option, ContractOptionForm, "opties", "name", "Van Anna", "Van Bram",
                      "Contractoptie Van Anna is intussen gewijzigd door Anna de Vries op "),
    "wijkteam": (lambda: DistrictTeamFactory(name="Team Oost"), DistrictTeamForm, "wijkteams",
                 "name", "Van Anna", "Van Bram",
                 "Wijkteam Van Anna is intussen gewijzigd door Anna de Vries op "),
}  # fmt: skip


@pytest.mark.parametrize("kind", RECORDS)
def test_the_second_of_two_managers_is_refused_and_the_first_edit_stays(kind):
    make, form_class, part, field, by_anna, by_bram, refusal = RECORDS[kind]
    record = make()
    url = f"/contracten/{record.contract_id}/{part}/{record.pk}/"
    anna, bram = manager("Anna"), manager("Bram")
    # Both open the edit page of version 1.
    assert hidden_version(anna.get(url).content.decode()) == "1"
    assert hidden_version(bram.get(url).content.decode()) == "1"
    loaded = form_data(form_class(instance=record))
    assert anna.post(url, {**loaded, field: by_anna}).status_code == 302
    refused = bram.post(url, {**loaded, field: by_bram})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'id="versieconflict"' in html
    assert refusal in html
    assert ("(u bewerkte versie 1, nu is het versie 2). Uw wijzigingen zijn niet opgeslagen, "
            "zodat die van de ander niet verloren gaan.") in html  # fmt: skip
    # Bram's input stays in the form, now carrying version 2 to save it on purpose.
    assert f'value="{by_bram}"' in html and hidden_version(html) == "2"
    record.refresh_from_db()
    assert (str(getattr(record, field)), record.version, record.changed_by.username) == (
        by_anna, 2, "anna"
    )  # fmt: skip


def test_a_new_value_starts_at_version_1_stamped_with_its_author():
    contract = ContractFactory()
    response = manager("Anna").post(f"/contracten/{contract.pk}/jaarwaarden/nieuw/",
                                    {"year": "2026", "amount": "500"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    value = contract.values.get(year=2026)
    assert (value.version, value.changed_by.username) == (1, "anna")
