"""Upload and list pages for contract managers."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from districts.models import District
from wmo.catalogue.models import ServiceType
from wmo.quality.imports import ComplaintImporter, SurveyImporter
from wmo.quality.models import ANSWER_MESSAGE, Complaint, SurveyResponse

from .conftest import COMPLAINTS_CSV, COMPLAINTS_NL_CSV, SURVEY_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client_for, sample_providers):
    return client_for("contract_manager")


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """upload(client, url, text) → the page the browser lands on: the form again when the
    upload is refused, else the job's page with its report (the job runs in-process)."""

    def send(client, url, text, name="bestand.csv", **extra):
        data = {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"),
                **extra}  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        if response.status_code != 302:
            return response
        assert response["Location"].startswith("/importen/")
        return client.get(response["Location"])

    return send


def test_survey_upload_shows_the_report_and_saves(manager, upload):
    response = upload(manager, "/kwaliteit/ervaringen/uploaden/", SURVEY_CSV)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import geslaagd: 8 rijen gelezen; 8 nieuw, 0 gewijzigd, 0 ongewijzigd." in html
    assert SurveyResponse.objects.count() == 8


def test_bad_upload_shows_every_problem_and_saves_nothing(manager, upload):
    bad = SURVEY_CSV + "S99,2025-01-01,WK999999,dagbegeleiding,63003158,8,\n"
    response = upload(manager, "/kwaliteit/ervaringen/uploaden/", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import afgebroken: 2 problemen gevonden in 9 rijen." in html
    assert "Onbekende wijkcode." in html and ANSWER_MESSAGE in html
    assert not SurveyResponse.objects.exists()


def test_complaint_upload_dry_run_and_dutch_variant(manager, upload):
    response = upload(manager, "/kwaliteit/klachten/uploaden/", COMPLAINTS_NL_CSV, dry_run="on")
    assert response.status_code == 200
    # A dry run counts what the import would do.
    assert ("Controle geslaagd (niets opgeslagen): 5 rijen gelezen; 5 nieuw, 0 gewijzigd, "
            "0 ongewijzigd.") in response.content.decode()  # fmt: skip
    assert not Complaint.objects.exists()
    response = upload(manager, "/kwaliteit/klachten/uploaden/", COMPLAINTS_NL_CSV)
    assert response.status_code == 200
    assert Complaint.objects.count() == 5


def test_upload_refuses_other_file_types(manager, upload):
    response = upload(manager, "/kwaliteit/klachten/uploaden/", COMPLAINTS_CSV, name="k.pdf")
    assert response.status_code == 200
    assert "Kies een .csv- of .xlsx-bestand." in response.content.decode()


def test_lists_filter_and_stay_within_a_few_queries(manager, django_assert_max_num_queries):
    SurveyImporter().run(SURVEY_CSV.encode())
    ComplaintImporter().run(COMPLAINTS_CSV.encode())
    with django_assert_max_num_queries(12):
        html = manager.get("/kwaliteit/ervaringen/").content.decode()
    assert "S00000" in html and "S00007" in html
    html = manager.get(
        "/kwaliteit/ervaringen/?wijk=WK034403&voorziening=living_lab"
    ).content.decode()
    assert "S00004" in html and "S00001" not in html
    html = manager.get("/kwaliteit/ervaringen/?aanbieder=88017394").content.decode()
    assert "S00003" in html and "S00004" in html and "S00000" not in html
    with django_assert_max_num_queries(12):
        html = manager.get("/kwaliteit/klachten/?aanbieder=10116225").content.decode()
    assert "K0000" in html and "K0004" in html and "K0002" not in html
    assert "63 dagen" in html  # K0000: 10-12-2025 → 11-02-2026


def test_list_is_paginated_newest_first(manager, sample_providers):
    district = District.objects.get(code="WK034401")
    service = ServiceType.objects.get(code="dagbegeleiding")
    SurveyResponse.objects.bulk_create([
        SurveyResponse(external_id=f"P{i:03d}", date=datetime.date(2025, 1, 1)
                       + datetime.timedelta(days=i), district=district, service_type=service,
                       provider=sample_providers[0], q_solution=4)
        for i in range(60)
    ])  # fmt: skip
    first = manager.get("/kwaliteit/ervaringen/").content.decode()
    assert "P059" in first and "P000" not in first and "Pagina 1 van 2" in first
    second = manager.get("/kwaliteit/ervaringen/?page=2").content.decode()
    assert "P000" in second and "P059" not in second


def test_list_names_the_buurtteam_for_its_own_responses(manager):
    SurveyImporter().run(
        f"{SURVEY_CSV.splitlines()[0]},team\nB1,2025-03-02,WK034403,buurtteam,,5,4,BT05\n".encode()
    )
    html = manager.get("/kwaliteit/ervaringen/").content.decode()
    row = html[html.index("B1</th>") :].split("</tr>")[0]
    assert "Buurtteam Overvecht 1" in row  # BT05's name, in the voorziening's column
