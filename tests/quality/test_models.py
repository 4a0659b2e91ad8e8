"""The model rules, with their Dutch messages, as the admin, importer and API run them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from wmo.quality.models import (
    ANSWER_MESSAGE,
    BUURTTEAM_NAMES_NO_CARE,
    CARE_NEEDS_PROVIDER,
    CARE_NEEDS_SERVICE,
    FUTURE_MESSAGE,
    RESOLVED_BEFORE_RECEIVED,
    TEAM_ONLY_FOR_BUURTTEAM,
    Complaint,
    SurveyResponse,
)
from wmo.quality.services import validate

pytestmark = pytest.mark.django_db

TOMORROW = datetime.date.today() + datetime.timedelta(days=2)


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        validate(instance)
    return caught.value.message_dict


@pytest.mark.parametrize("value", [0, 6, 99])
@pytest.mark.parametrize("field", ["q_solution", "q_self_reliance"])
def test_answers_outside_1_to_5_are_refused(survey_response, field, value):
    setattr(survey_response, field, value)
    assert errors_of(survey_response) == {field: [ANSWER_MESSAGE]}


@pytest.mark.parametrize("value", [None, 1, 3, 5])
def test_answers_1_to_5_or_empty_are_fine(survey_response, value):
    survey_response.q_solution = value
    survey_response.q_self_reliance = value
    validate(survey_response)


def test_survey_date_not_in_future(survey_response):
    survey_response.date = TOMORROW
    assert errors_of(survey_response) == {"date": [FUTURE_MESSAGE]}


def test_complaint_resolved_before_received(complaint):
    complaint.resolved_date = complaint.received_date - datetime.timedelta(days=1)
    assert errors_of(complaint) == {"resolved_date": [RESOLVED_BEFORE_RECEIVED]}
    complaint.resolved_date = complaint.received_date
    validate(complaint)
    complaint.resolved_date = None
    validate(complaint)


@pytest.mark.parametrize("field", ["received_date", "resolved_date"])
def test_complaint_dates_not_in_future(complaint, field):
    setattr(complaint, field, TOMORROW)
    assert errors_of(complaint)[field] == [FUTURE_MESSAGE]


def test_ids_are_unique_with_a_dutch_message(survey_response, complaint):
    copy = SurveyResponse(**{f.attname: getattr(survey_response, f.attname)
                             for f in SurveyResponse._meta.concrete_fields if f.name != "id"})  # fmt: skip
    assert errors_of(copy) == {"external_id": ["Er bestaat al een respons met dit id."]}
    copy = Complaint(**{f.attname: getattr(complaint, f.attname)
                        for f in Complaint._meta.concrete_fields if f.name != "id"})  # fmt: skip
    assert errors_of(copy) == {"external_id": ["Er bestaat al een klacht met dit id."]}


def test_days_to_resolve(complaint):
    assert complaint.days_to_resolve == 19
    complaint.resolved_date = None
    assert complaint.days_to_resolve is None


def test_admin_pages_for_both_models(admin_client, survey_response, complaint):
    for url in ["/beheer/quality/surveyresponse/", "/beheer/quality/complaint/",
                f"/beheer/quality/surveyresponse/{survey_response.pk}/change/",
                f"/beheer/quality/complaint/{complaint.pk}/change/"]:  # fmt: skip
        assert admin_client.get(url).status_code == 200, url


def test_admin_form_shows_the_model_rule(admin_client, complaint):
    data = {"external_id": complaint.external_id, "provider": complaint.provider_id,
            "service_type": complaint.service_type_id, "district": complaint.district_id,
            "received_date": "2025-05-01", "resolved_date": "2025-04-01"}  # fmt: skip
    response = admin_client.post(f"/beheer/quality/complaint/{complaint.pk}/change/", data)
    assert response.status_code == 200
    assert RESOLVED_BEFORE_RECEIVED in response.content.decode()


def test_a_response_is_about_the_buurtteam_or_about_a_provider(survey_response):
    from django.db import IntegrityError, transaction

    from districts.models import Buurtteam

    team = Buurtteam.objects.get(code="BT01")
    survey_response.team = team
    assert errors_of(survey_response) == {"team": [TEAM_ONLY_FOR_BUURTTEAM]}
    survey_response.about_buurtteam = True
    assert errors_of(survey_response) == {"service_type": [BUURTTEAM_NAMES_NO_CARE],
                                          "provider": [BUURTTEAM_NAMES_NO_CARE]}  # fmt: skip
    survey_response.service_type = survey_response.provider = None
    validate(survey_response)
    survey_response.save()
    survey_response.about_buurtteam = False
    survey_response.team = None
    assert errors_of(survey_response) == {"service_type": [CARE_NEEDS_SERVICE],
                                          "provider": [CARE_NEEDS_PROVIDER]}  # fmt: skip
    # The database holds the same rule for writers that skip the model (COPY, plain SQL).
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.filter(pk=survey_response.pk).update(about_buurtteam=False)
