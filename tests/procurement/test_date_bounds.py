"""The bounds of the tender's dates and a motion entered twice, on the pages and through the API
alike (procurement.status.early_date_errors, procurement.motions.motion_errors)."""

import datetime

import pytest
from django.utils import timezone

from procurement.models import Milestone, Motion, TenderOption

from .test_motions import API, new_motion_form, new_motion_json

pytestmark = pytest.mark.django_db
NEW_MOTION = "/aanbesteding/30209886/moties/nieuw/"
TOO_EARLY = "Deze datum ligt vóór 01-01-2015, de start van de Wmo 2015; controleer het jaar."
COPY = ("Deze motie is al vastgelegd: een motie met dezelfde titel, datum, partij en indiener "
        "staat al bij deze aanbesteding.")  # fmt: skip


def with_request(**overrides):
    return new_motion_form(**{"verzoeken-0-text": "Cliëntenraden te betrekken.", **overrides})


def test_a_milestone_date_before_2015_is_refused(contract_manager_client):
    step = Milestone.objects.get(tender__reference="30209886", code="selection")
    response = contract_manager_client.post(
        f"/aanbesteding/mijlpalen/{step.pk}/wijzigen/",
        {"actual_start": "01-01-1900", "actual_end": "", "notes": ""},
    )
    assert response.status_code == 200
    assert f"Werkelijke datum: {TOO_EARLY}" in response.content.decode()
    step.refresh_from_db()
    assert step.actual_start is None
    # 1 January 2015 itself is allowed.
    step.actual_start = datetime.date(2015, 1, 1)
    step.full_clean()


def test_every_date_of_the_tender_has_the_lower_bound():
    option = TenderOption.objects.filter(tender__reference="30209886").first()
    option.period_start = datetime.date(2014, 12, 31)
    with pytest.raises(Exception) as refused:
        option.full_clean()
    assert refused.value.message_dict["period_start"] == [TOO_EARLY]


def test_a_motion_dated_in_the_future_is_refused_on_the_page_and_in_the_api(
    contract_manager_client,
):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    before = Motion.objects.count()
    response = contract_manager_client.post(NEW_MOTION, with_request(date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert (f"Datum: Deze datum ligt in de toekomst (vandaag is het {today:%d-%m-%Y})."
            in response.content.decode())  # fmt: skip
    response = contract_manager_client.post(NEW_MOTION, with_request(date="2014-06-30"))
    assert f"Datum: {TOO_EARLY}" in response.content.decode()
    response = contract_manager_client.post(
        API, new_motion_json(datum=tomorrow.isoformat()), content_type="application/json"
    )
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["invalidParams"]] == ["datum"]
    assert Motion.objects.count() == before


def test_an_exact_copy_of_a_motion_is_refused_on_the_page_and_in_the_api(
    contract_manager_client,
):
    first = contract_manager_client.post(NEW_MOTION, with_request())
    assert first.status_code == 302
    before = Motion.objects.count()
    again = contract_manager_client.post(NEW_MOTION, with_request(party="groenlinks"))
    assert again.status_code == 200
    assert f"Titel: {COPY}" in again.content.decode()
    response = contract_manager_client.post(API, new_motion_json(), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "titel", "code": "invalid", "reason": COPY}
    ]
    assert Motion.objects.count() == before
    # Another party's motion of the same title and day is its own motion; the motion itself
    # can be saved again (it is no copy of itself).
    other = contract_manager_client.post(NEW_MOTION, with_request(party="D66"))
    assert other.status_code == 302
    motion = Motion.objects.get(party="D66")
    response = contract_manager_client.patch(
        f"{API}/{motion.pk}",
        {"samenvatting": "Aangepast.", "versie": motion.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_the_motion_form_labels_its_link_in_dutch(contract_manager_client):
    page = contract_manager_client.get(NEW_MOTION).content.decode()
    assert "Link naar de motie" in page
    assert ">link<" not in page
