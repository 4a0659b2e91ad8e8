"""An import that changes a versioned record counts its version up and stamps who and when, as a
form save does: an edit page opened before the import then gets the version conflict instead of
saving its stale values over the import (wmo.imports.database.stamp_versions)."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from indicators.models import BudgetLine
from providers.forms import ProviderForm
from providers.imports import ProviderImporter
from providers.models import Provider
from tests.factories import make_user
from tests.providers.factories import ProviderFactory
from tests.providers.test_versions import form_data, hidden_version
from wmo.imports.framework import Importer

pytestmark = pytest.mark.django_db


def manager(first_name: str):
    user = make_user("contract_manager", username=first_name.lower())
    user.first_name, user.last_name = first_name, "de Vries"
    user.save()
    client = Client()
    client.force_login(user)
    return user, client


def test_a_form_opened_before_an_import_gets_the_version_conflict(
    django_capture_on_commit_callbacks,
):
    provider = ProviderFactory(agb_code="63003158", name="Zorg Oost", kvk_number="13818675")
    page = f"/aanbieders/{provider.agb_code}/wijzigen/"
    _, anna = manager("Anna")
    _, bram = manager("Bram")
    # Bram opens the edit page of version 1 and leaves it open.
    assert hidden_version(bram.get(page).content.decode()) == "1"
    loaded = form_data(ProviderForm(instance=provider))
    # Anna uploads a file that renames the provider.
    upload = SimpleUploadedFile(
        "aanbieders.csv",
        b"agb_code,name,kvk,kind,size\n63003158,Zorg Oost-West,13818675,care_provider,\n",
        "text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = anna.post("/aanbieders/importeren/", {"file": upload})
    report = anna.get(response["Location"]).content.decode()
    assert "Import geslaagd: 1 rij gelezen; 0 nieuw, 1 gewijzigd, 0 ongewijzigd." in report
    provider.refresh_from_db()
    assert (provider.name, provider.version, provider.changed_by.username) == (
        "Zorg Oost-West", 2, "anna"
    )  # fmt: skip
    assert provider.changed_at is not None
    # Bram saves his stale form: refused, and the import's name stands.
    refused = bram.post(page, {**loaded, "active": "on"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert re.search(r"Aanbieder Zorg Oost-West is intussen gewijzigd door Anna de Vries op .*"
                     r"\(u bewerkte versie 1, nu is het versie 2\)", html)  # fmt: skip
    assert hidden_version(html) == "2"
    provider.refresh_from_db()
    assert (provider.name, provider.version) == ("Zorg Oost-West", 2)


def test_unchanged_rows_keep_their_version_and_new_rows_are_stamped():
    anna, _ = manager("Anna")
    csv = (b"agb_code,name,kvk,kind,size\n63003158,Zorg Oost,13818675,care_provider,\n"
           b"75039087,Buurt Noord,,resident_org,small\n")  # fmt: skip
    assert ProviderImporter(user=anna).run(csv).created == 2
    assert ProviderImporter().run(csv).unchanged == 2
    assert ProviderImporter().run(csv.replace(b"Buurt Noord", b"Buurt Noordoost")).updated == 1
    stamps = {p.agb_code: (p.version, p.changed_by_id) for p in Provider.objects.all()}
    # The command line imports without a user: the change is counted, by nobody named.
    assert stamps == {"63003158": (1, anna.pk), "75039087": (2, None)}


class BudgetCellImporter(Importer):
    model = BudgetLine
    id_field = "id"


def test_the_upsert_counts_up_the_version_of_any_versioned_model():
    """No importer writes budget cells yet; the framework's upsert stamps them all the same
    (a versioned model without who and when)."""
    cell = BudgetLine.objects.create(objective="IX", line="budget", year=2030, amount_keur=10)
    other = BudgetLine.objects.create(objective="IX", line="budget", year=2031, amount_keur=20)
    counts = BudgetCellImporter().upsert([{"id": cell.pk, "amount_keur": Decimal(11)},
                                          {"id": other.pk, "amount_keur": Decimal(20)}])  # fmt: skip
    assert counts == (0, 1, 1)
    cell.refresh_from_db()
    other.refresh_from_db()
    assert (cell.amount_keur, cell.version, other.version) == (11, 2, 1)
