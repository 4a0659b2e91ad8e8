"""Two contract managers saving the same record: the second save, based on an outdated version,
is refused with who changed it and when; nothing is lost (optimistic locking,
wmo.versions.save_versioned)."""

import datetime
import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from providers.forms import ConsortiumForm, ContractForm, ProviderForm, SubcontractForm
from providers.models import Contract
from tests.factories import make_user
from wmo.catalogue.models import ServiceType
from wmo.versions import StaleVersion, save_versioned

from .factories import ConsortiumFactory, ContractFactory, ProviderFactory, SubcontractFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def manager(first_name: str) -> Client:
    """A signed-in contract manager named `first_name` de Vries."""
    user = make_user("contract_manager", username=first_name.lower())
    user.first_name, user.last_name = first_name, "de Vries"
    user.save()
    client = Client()
    client.force_login(user)
    return client


def form_data(form) -> dict:
    """What the browser posts for an unchanged form (the values its fields show)."""
    data = {}
    for field in form:
        value = field.value()
        if field.field.disabled:
            continue
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = "" if value is None else str(value)
    return data


def hidden_version(html: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="(\d+)"', html).group(1)


def with_member(consortium):
    """A consortium as the rules want it: a member besides its main contractor."""
    consortium.members.add(ProviderFactory())
    return consortium


def buying(contract):
    """A contract as the rules want it: a voorziening, in a wijk or city-wide."""
    contract.service_types.add(ServiceType.objects.get(code="dagbegeleiding"))
    contract.city_wide = True
    contract.save(update_fields=["city_wide"])
    return contract


def test_the_second_of_two_managers_is_refused_with_who_and_when_and_keeps_their_input():
    contract = buying(ContractFactory(reference="DB-2026", name="Dagbesteding", notes=""))
    url = f"/contracten/{contract.pk}/wijzigen/"
    anna, bram = manager("Anna"), manager("Bram")
    # Both open the edit page of version 1.
    assert hidden_version(anna.get(url).content.decode()) == "1"
    assert hidden_version(bram.get(url).content.decode()) == "1"
    loaded = form_data(ContractForm(instance=contract))
    assert loaded["version"] == "1"
    saved = anna.post(url, {**loaded, "end_date": "2027-12-31"})
    assert saved.status_code == 302
    refused = bram.post(url, {**loaded, "notes": "Verlengd na evaluatie."})
    assert refused.status_code == 409
    html = refused.content.decode()
    contract.refresh_from_db()
    local = timezone.localtime(contract.changed_at)
    message = re.search(r'id="versieconflict".*?<p[^>]*>(.*?)</p>', html, re.S).group(1)
    assert message == (
        f"Contract DB-2026 Dagbesteding is intussen gewijzigd door Anna de Vries op "
        f"{date_format(local, 'j F Y')} om {local:%H:%M} (u bewerkte versie 1, nu is het versie "
        "2). Uw wijzigingen zijn niet opgeslagen, zodat die van de ander niet verloren gaan."
    )
    assert re.fullmatch(r"\d{1,2} [a-z]+ \d{4}", date_format(local, "j F Y"))  # in words
    # What Anna stored where Bram's input differs: the end date she changed.
    assert '<li class="utrecht-unordered-list__item">Einddatum: 31 december 2027</li>' in html
    # Bram's input is still in the form, now carrying version 2 to save it on purpose.
    assert "Verlengd na evaluatie.</textarea>" in html
    assert hidden_version(html) == "2"
    # Nothing of Bram's was written; Anna's change stands.
    assert (contract.version, contract.end_date, contract.notes) == (
        2, datetime.date(2027, 12, 31), ""
    )  # fmt: skip
    assert contract.changed_by.username == "anna"
    # Bram takes Anna's end date over and saves again: both changes are kept.
    again = bram.post(url, {**loaded, "version": "2", "end_date": "2027-12-31",
                            "notes": "Verlengd na evaluatie."})  # fmt: skip
    assert again.status_code == 302
    contract.refresh_from_db()
    assert (contract.version, contract.end_date, contract.notes, contract.changed_by.username) == (
        3, datetime.date(2027, 12, 31), "Verlengd na evaluatie.", "bram"
    )  # fmt: skip


def test_a_form_without_its_version_is_refused_in_dutch(contract_manager_client):
    contract = ContractFactory(notes="")
    data = form_data(ContractForm(instance=contract))
    del data["version"]
    response = contract_manager_client.post(f"/contracten/{contract.pk}/wijzigen/",
                                            {**data, "notes": "x"})  # fmt: skip
    assert response.status_code == 200
    assert ("De versie van het formulier ontbreekt of is ongeldig; open de pagina opnieuw en "
            "breng uw wijzigingen opnieuw aan.") in response.content.decode()  # fmt: skip
    contract.refresh_from_db()
    assert (contract.notes, contract.version) == ("", 1)


def test_a_new_record_starts_at_version_1_stamped_with_its_author():
    provider = ProviderFactory()
    response = manager("Anna").post("/contracten/nieuw/", {
        "reference": "NIEUW-1", "name": "Nieuw", "contractor": provider.pk,
        "instrument": "subsidy", "financing": "lump_sum", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "extension_count": "0", "extensions_exercised": "0",
        "city_wide": "on", "service_types": [ServiceType.objects.get(code="dagbegeleiding").pk],
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    contract = Contract.objects.get(reference="NIEUW-1")
    assert (contract.version, contract.changed_by.username) == (1, "anna")
    assert contract.changed_at is not None


# --- the same check for providers, consortia and subcontracts (page and API) --------------------


# kind: (make, form, page URL, model field, API URL, API attribute, start of the refusal, which
# names the record as it is stored now: after Anna's save)
RECORDS = {
    "aanbieder": (lambda: ProviderFactory(name="Zorg Oost"), ProviderForm,
                  lambda r: f"/aanbieders/{r.agb_code}/wijzigen/", "name",
                  lambda r: f"/api/v1/aanbieders/{r.agb_code}", "naam",
                  "Aanbieder Van Anna is intussen gewijzigd door Anna de Vries op "),
    "samenwerkingsverband": (lambda: with_member(ConsortiumFactory(name="Samen Oost")),
                             ConsortiumForm,
                             lambda r: f"/consortia/{r.pk}/wijzigen/", "name",
                             lambda r: f"/api/v1/consortia/{r.pk}", "naam",
                             "Samenwerkingsverband Van Anna is intussen gewijzigd door Anna de "
                             "Vries op "),
    "contract": (lambda: buying(ContractFactory(reference="OOST-1", name="Oost")), ContractForm,
                 lambda r: f"/contracten/{r.pk}/wijzigen/", "name",
                 lambda r: f"/api/v1/contracten/{r.pk}", "omschrijving",
                 "Contract OOST-1 Van Anna is intussen gewijzigd door Anna de Vries op "),
    "onderaanneming": (lambda: SubcontractFactory(contract__reference="OOST-2",
                                                  subcontractor__name="Klein Oost"),
                       SubcontractForm,
                       lambda r: f"/contracten/{r.contract_id}/onderaannemingen/{r.pk}/",
                       "risk_provisions", lambda r: f"/api/v1/onderaannemingen/{r.pk}",
                       "risicobepalingen",
                       "Onderaanneming Klein Oost in OOST-2 is intussen gewijzigd door Anna de "
                       "Vries op "),
}  # fmt: skip


@pytest.mark.parametrize("kind", RECORDS)
def test_a_stale_page_save_is_refused_for_every_versioned_record(kind):
    make, form_class, page, field, *_ = RECORDS[kind]
    record = make()
    loaded = form_data(form_class(instance=record))
    anna, bram = manager("Anna"), manager("Bram")
    assert anna.post(page(record), {**loaded, field: "Van Anna"}).status_code == 302
    refused = bram.post(page(record), {**loaded, field: "Van Bram"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert RECORDS[kind][6] in html and "(u bewerkte versie 1, nu is het versie 2)" in html
    assert "Van Bram" in html
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == ("Van Anna", 2)


@pytest.mark.parametrize("kind", RECORDS)
def test_the_api_refuses_a_stale_versie_with_409_problem_json(kind):
    make, _, _, field, api, attribute, who = RECORDS[kind]
    record = make()
    anna, bram = manager("Anna"), manager("Bram")
    read = bram.get(api(record)).json()
    assert read["versie"] == 1
    first = anna.patch(api(record), {attribute: "Van Anna", "versie": 1}, content_type=JSON)
    assert (first.status_code, first.json()["versie"], first.json()[attribute]) == (
        200, 2, "Van Anna"
    )  # fmt: skip
    stale = bram.patch(api(record), {attribute: "Van Bram", "versie": read["versie"]},
                       content_type=JSON)  # fmt: skip
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    body = stale.json()
    assert (body["status"], body["title"]) == (409, "Conflict.")
    assert body["detail"].startswith(who)
    assert body["detail"].endswith(
        "(u bewerkte versie 1, nu is het versie 2). Uw wijzigingen zijn niet opgeslagen, zodat die "
        "van de ander niet verloren gaan. Haal het gegeven opnieuw op (GET) en breng uw wijziging "
        "opnieuw aan op de actuele versie."
    )
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == ("Van Anna", 2)
    # A write without `versie` is refused too: it could overwrite unseen changes.
    missing = bram.patch(api(record), {attribute: "Van Bram"}, content_type=JSON)
    assert missing.status_code == 400
    assert missing.json()["invalidParams"] == [{
        "name": "versie", "code": "invalid",
        "reason": "Geef bij wijzigen de versie mee die u het laatst las (veld versie), zodat geen "
                  "wijziging van een ander ongemerkt verloren gaat.",
    }]  # fmt: skip
    # With the version just read, the save goes through.
    again = bram.patch(api(record), {attribute: "Van Bram", "versie": 2}, content_type=JSON)
    assert (again.status_code, again.json()["versie"]) == (200, 3)


def test_a_full_put_carries_the_versie_it_read(contract_manager_client):
    contract = buying(ContractFactory())
    body = contract_manager_client.get(f"/api/v1/contracten/{contract.pk}").json()
    body["omschrijving"] = "Via PUT"
    response = contract_manager_client.put(f"/api/v1/contracten/{contract.pk}", body,
                                           content_type=JSON)  # fmt: skip
    assert (response.status_code, response.json()["versie"]) == (200, 2), response.content
    assert contract_manager_client.put(f"/api/v1/contracten/{contract.pk}", body,
                                       content_type=JSON).status_code == 409  # fmt: skip


def test_a_record_deleted_meanwhile_is_named_so():
    contract = ContractFactory()
    pk = contract.pk
    Contract.objects.filter(pk=pk).delete()
    with pytest.raises(StaleVersion) as refused:
        save_versioned(Contract, pk, 1, None, lambda **stamps: pytest.fail("saved"))
    assert refused.value.current is None
    assert str(refused.value) == (
        f"Contract {pk} bestaat niet meer: iemand heeft het intussen verwijderd. Uw wijzigingen "
        "zijn niet opgeslagen."
    )


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins_the_other_is_refused():
    """On PostgreSQL: the second UPDATE … WHERE version = 1 waits for the first transaction's
    row lock and then matches no row. The first save holds its transaction open a moment, so
    the two really overlap."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks as in production need PostgreSQL (make test)")
    contract = ContractFactory(notes="")
    barrier, outcomes = threading.Barrier(2), {}

    def save(name, hold):
        def write(**stamps):
            record = Contract.objects.get(pk=contract.pk)
            for key, value in {**stamps, "notes": f"Van {name}"}.items():
                setattr(record, key, value)
            time.sleep(hold)  # the first writer keeps its row lock while the other arrives
            record.save()
            return record

        barrier.wait()
        began = time.monotonic()
        try:
            if not hold:
                time.sleep(0.1)  # arrive second, while the first holds the lock
            save_versioned(Contract, contract.pk, 1, None, write)
            outcomes[name] = "opgeslagen"
        except StaleVersion as exc:
            outcomes[name] = str(exc)
        finally:
            outcomes[f"{name} duurde"] = time.monotonic() - began
            connection.close()

    threads = [threading.Thread(target=save, args=("Anna", 0.5)),
               threading.Thread(target=save, args=("Bram", 0))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcomes["Anna"] == "opgeslagen"
    assert "(u bewerkte versie 1, nu is het versie 2)" in outcomes["Bram"]
    assert outcomes["Bram duurde"] > 0.4  # his UPDATE waited for Anna's commit
    contract.refresh_from_db()
    assert (contract.notes, contract.version) == ("Van Anna", 2)
