"""The Normen page: who may read and add norms, the Dutch form errors, and that a change is a
new dated record beside the old ones (the history)."""

import datetime

import pytest

from tests.access import Access, expand
from wmo.catalogue.models import Norm, NormKind, ServiceType
from wmo.catalogue.norms import norm_on

pytestmark = pytest.mark.django_db
D = datetime.date

READ = {"anonymous": 302, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 200}
STAFF = {**READ, "council_member": 403}
# A valid new value posts through to the history page; the others are refused before the form.
ADD = {**STAFF, "contract_manager": 302}
NEW = {"value": "12", "valid_from": "2027-01-01", "source": "Raadsbesluit", "note": ""}

MATRIX = [
    Access("GET", "/normen/", READ),
    Access("GET", "/normen/eerste-contact-buurtteam/", READ),
    Access("GET", "/normen/groepsgericht-aanvullende-zorg/", READ),
    Access("GET", "/normen/wachttijd/dagbegeleiding/", READ),
    Access("GET", "/normen/doorverwijzing-buurtteam/nieuw/", STAFF),
    Access("GET", "/normen/wachttijd/dagbegeleiding/nieuw/", STAFF),
    Access("POST", "/normen/wachttijd/dagbegeleiding/nieuw/", ADD, NEW),
    Access("POST", "/normen/groepsgericht-buurtteam/nieuw/", ADD, {**NEW, "value": "45"}),
]


@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_permission_matrix(client_for, row, role, expected):
    client = client_for(role)
    post = row.method == "POST"
    response = client.post(row.url, data=row.data) if post else client.get(row.url)
    assert response.status_code == expected
    if post:
        added = Norm.objects.filter(valid_from=D(2027, 1, 1)).count()
        assert added == (1 if role == "contract_manager" else 0)


def test_unknown_norm_or_service_is_not_found(client_for):
    manager = client_for("contract_manager")
    assert manager.get("/normen/onbekend/").status_code == 404
    assert manager.get("/normen/wachttijd/onbekend/").status_code == 404


def test_list_shows_current_value_source_note_and_planned_change(client_for):
    service = ServiceType.objects.get(code="dagbegeleiding")
    Norm.objects.create(kind=NormKind.WAITING_DAYS, service_type=service, value=10,
                        valid_from=D(2099, 1, 1), source="Toekomstig besluit")  # fmt: skip
    html = client_for("council_member").get("/normen/").content.decode()
    assert "Beleidsnota Samen leven, samen zorgen (2024)" in html
    assert "Eerste inschatting, te toetsen in de praktijk." in html
    assert "5 werkdagen" in html and "20 %" in html and "15 %" in html and "50 %" in html
    row = html.split('data-norm="waiting_days:dagbegeleiding"', 1)[1].split("</tr>", 1)[0]
    assert "14 dagen" in row and "10 dagen vanaf 1-1-2099" in row
    # Contract managers find the page in the menu; buurtteam workers do not.
    assert 'href="/normen/"' in client_for("contract_manager").get("/").content.decode()
    assert 'href="/normen/"' not in client_for("buurtteam_worker").get("/").content.decode()


def test_a_new_value_keeps_the_old_one_as_history(client_for, user_for):
    manager = client_for("contract_manager")
    response = manager.post("/normen/doorverwijzing-buurtteam/nieuw/", data={
        "value": "25", "valid_from": "2026-07-01", "source": "Raadsbesluit (proef)",
        "note": "Eerste inschatting, te toetsen in de praktijk."})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/normen/doorverwijzing-buurtteam/"
    records = list(Norm.objects.filter(kind=NormKind.BT_REFERRAL_PCT).order_by("valid_from"))
    assert [(r.value, r.valid_from) for r in records] == [(20, D(2015, 1, 1)), (25, D(2026, 7, 1))]
    assert records[1].recorded_by is not None and records[0].recorded_by is None
    assert norm_on(NormKind.BT_REFERRAL_PCT, None, D(2026, 6, 30)) == 20
    assert norm_on(NormKind.BT_REFERRAL_PCT, None, D(2026, 7, 1)) == 25
    history = manager.get("/normen/doorverwijzing-buurtteam/").content.decode()
    assert "25 %" in history and "20 %" in history and "Raadsbesluit (proef)" in history


@pytest.mark.parametrize(("url", "data", "field", "message"), [
    ("/normen/wachttijd/dagbegeleiding/nieuw/", {"value": "0"}, "value",
     "De waarde moet groter zijn dan 0."),
    ("/normen/wachttijd/dagbegeleiding/nieuw/", {"value": "-3"}, "value",
     "De waarde moet groter zijn dan 0."),
    ("/normen/wachttijd/dagbegeleiding/nieuw/", {"value": "14,5"}, "value",
     "Een norm in dagen is een heel aantal dagen."),
    ("/normen/groepsgericht-buurtteam/nieuw/", {"value": "120"}, "value",
     "Een percentage is ten hoogste 100."),
    ("/normen/wachttijd/dagbegeleiding/nieuw/", {"valid_from": "2014-12-31"}, "valid_from",
     "Een norm geldt niet vóór 1 januari 2015 (de Wmo 2015)."),
    ("/normen/wachttijd/dagbegeleiding/nieuw/", {"valid_from": "2015-01-01"}, "valid_from",
     "Voor deze norm bestaat al een waarde met deze datum. Een vastgelegde waarde verandert "
     "niet: kies een andere datum."),
    ("/normen/eerste-contact-buurtteam/nieuw/", {"source": ""}, "source",
     "Noem de bron van de waarde (besluit of document)."),
    ("/normen/eerste-contact-buurtteam/nieuw/", {"valid_from": ""}, "valid_from",
     "Vul de datum in vanaf wanneer de waarde geldt."),
])  # fmt: skip
def test_form_errors_in_dutch_and_nothing_saved(client_for, url, data, field, message):
    before = Norm.objects.count()
    response = client_for("contract_manager").post(url, data={**NEW, **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "Het formulier bevat fouten; er is niets opgeslagen." in response.content.decode()
    assert Norm.objects.count() == before


def test_the_database_refuses_a_second_value_on_one_date():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Norm.objects.create(kind=NormKind.GROUP_PCT, value=20, valid_from=D(2015, 1, 1),
                            source="dubbel")  # fmt: skip
    service = ServiceType.objects.get(code="dagbegeleiding")
    with pytest.raises(IntegrityError), transaction.atomic():
        Norm.objects.create(kind=NormKind.WAITING_DAYS, service_type=service, value=20,
                            valid_from=D(2015, 1, 1), source="dubbel")  # fmt: skip
