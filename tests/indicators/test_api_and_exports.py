import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators.models import IndicatorRun, IndicatorValue
from tests.access import Access, call, expand

from .scenario import build


@pytest.fixture
def computed(db):
    build()
    call_command("compute_indicators", "--quarter", "2026Q3", "--sync", stdout=io.StringIO())


def test_compute_command_prints_what_it_wrote(db):
    build()
    out = io.StringIO()
    call_command("compute_indicators", "--quarter", "2026Q3", "--sync", stdout=out)
    written = IndicatorValue.objects.filter(quarter="2026Q3").count()
    assert f"Kwartaal 2026Q3: {written} waarden geschreven" in out.getvalue()
    assert IndicatorRun.objects.get().status == "done"
    assert IndicatorRun.objects.get().rows_written == written


def test_compute_command_rejects_a_bad_quarter(db):
    with pytest.raises(CommandError, match="'2026Q7' is geen periode; gebruik de vorm 2026Q3"):
        call_command("compute_indicators", "--quarter", "2026Q7", "--sync")


def test_export_csv_format(computed):
    out = io.StringIO()
    call_command("export_indicators", "--quarter", "2026Q3", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "period",
        "level",
        "level_key",
        "indicator",
        "value",
        "numerator",
        "denominator",
        "norm",
    ]
    body = rows[1:]
    assert len(body) == IndicatorValue.objects.filter(quarter="2026Q3").count()
    assert body == sorted(body, key=lambda r: (r[1], r[2], r[3]))
    by_key = {(r[1], r[2], r[3]): r for r in body}
    assert by_key[("system", "all", "mean_wait_days")] == [
        "2026Q3",
        "system",
        "all",
        "mean_wait_days",
        "17.7",
        "53",
        "3",
        "",
    ]
    assert by_key[("system", "all", "clients_in_care")][4:] == ["3", "", "", ""]
    # A mean of people waiting: one decimal like the other means, also when it is whole.
    assert by_key[("system", "all", "mean_waiting_per_month")][4:] == ["2.0", "6", "3", ""]
    assert by_key[("district", "WK034401", "mean_days_waiting_at_end")][4:] == ["", "0", "0", ""]
    assert by_key[("service_type", "dagbegeleiding", "mean_wait_days")][7] == "14"


def test_export_xlsx_matches_csv(computed, tmp_path):
    path = tmp_path / "q3.xlsx"
    call_command("export_indicators", "--quarter", "2026Q3", "--format", "xlsx", "--output", str(path),
                 stderr=io.StringIO())  # fmt: skip
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("period", "level", "level_key", "indicator")
    lookup = {(r[1], r[2], r[3]): r for r in rows[1:]}
    assert lookup[("system", "all", "mean_wait_days")][4:7] == (17.7, 53, 3)


def test_export_suppressed_for_the_public(computed):
    out = io.StringIO()
    call_command("export_indicators", "--quarter", "2026Q3", "--suppressed", stdout=out)
    by_key = {(r[1], r[2], r[3]): r for r in csv.reader(io.StringIO(out.getvalue()))}
    assert by_key[("system", "all", "clients_in_care")][4] == "<5"
    assert by_key[("system", "all", "mean_wait_days")][4:7] == ["—", "", ""]
    # 2.0 people waiting per month is a handful of people: `<5`, not `—` for "3 month-ends".
    assert by_key[("system", "all", "mean_waiting_per_month")][4:7] == ["<5", "", ""]
    assert by_key[("district", "WK034407", "mean_waiting_per_month")][4:7] == ["0.0", "", ""]


def test_export_of_an_uncomputed_quarter_fails_clearly(db):
    with pytest.raises(CommandError, match="Voor 2025Q1 zijn nog geen indicatoren berekend"):
        call_command("export_indicators", "--quarter", "2025Q1")


URL = "/api/v1/indicatoren?kwartaal=2026Q3&niveau=system&niveauSleutel=all&indicator={}"


def test_api_exact_for_staff(computed, contract_manager_client):
    body = contract_manager_client.get(URL.format("mean_wait_days")).json()
    assert body["resultaten"] == [
        {"periode": "2026Q3", "kwartaal": "2026Q3", "niveau": "system", "niveauSleutel": "all",
         "indicator": "mean_wait_days", "waarde": 17.7, "teller": 53, "noemer": 3, "norm": None, "toelichting": None}
    ]  # fmt: skip


def test_api_suppressed_for_council(computed, council_client):
    clients = council_client.get(URL.format("clients_in_care")).json()["resultaten"][0]
    assert clients["waarde"] == "<5"
    mean = council_client.get(URL.format("mean_wait_days")).json()["resultaten"][0]
    assert (mean["waarde"], mean["teller"], mean["noemer"]) == ("—", None, None)


def test_api_rejects_a_bad_quarter_in_dutch(db, contract_manager_client):
    response = contract_manager_client.get("/api/v1/indicatoren?kwartaal=2026Q9")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "kwartaal"


def test_posting_a_run_queues_it_and_a_second_trigger_joins_it(
    db, contract_manager_client, django_capture_on_commit_callbacks
):
    build()
    post = lambda: contract_manager_client.post(  # noqa: E731
        "/api/v1/indicatorberekeningen", {"kwartaal": "2026Q3"}, content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = post()
        second = post()
    assert first.status_code == 201, first.json()
    assert (first.json()["kwartaal"], first.json()["status"]) == ("2026Q3", "queued")
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert len(callbacks) == 1  # one task queued
    run = IndicatorRun.objects.get()
    assert (run.status, run.progress, run.trigger) == ("done", 100, "API")
    assert run.rows_written == IndicatorValue.objects.filter(quarter="2026Q3").count() > 0


def test_two_triggers_for_one_quarter_give_one_active_run(db):
    from indicators.services import request_run
    from wmo.periods import Quarter

    first, created_first = request_run(Quarter(2026, 3))
    second, created_second = request_run(Quarter(2026, 3))
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert IndicatorRun.objects.count() == 1


ANY = {"anonymous": 401, "buurtteam_worker": 200, "contract_manager": 200, "council_member": 200}
STAFF = {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 200, "council_member": 403}
MATRIX = [
    Access("GET", "/api/v1/indicatoren", ANY),
    Access("GET", "/api/v1/indicatoren?kwartaal=2026Q3&niveau=system", ANY),
    Access("GET", "/api/v1/indicatorberekeningen", STAFF),
    Access(
        "POST",
        "/api/v1/indicatorberekeningen",
        {**STAFF, "contract_manager": 201},
        {"kwartaal": "2026Q2"},
    ),
    Access("POST", "/api/v1/indicatoren", {**STAFF, "contract_manager": 405}, {}),
    Access("GET", "/api/v1/indicatoren/{value}", ANY),
    Access("GET", "/api/v1/indicatorberekeningen/{run}", STAFF),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "expected"), expand(MATRIX), ids=str)
def test_permissions(client_for, row, role, expected):
    value = IndicatorValue.objects.create(quarter="2026Q3", level="system", level_key="all",
                                          indicator="clients_in_care", value=120)  # fmt: skip
    run = IndicatorRun.objects.create(quarter="2026Q1")  # not the quarter the POST row asks
    row = row.format(value=value.pk, run=run.pk)
    assert call(client_for(role), row).status_code == expected


def test_beat_schedule_tasks_exist_and_import():
    from django.conf import settings

    from wmo.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "indicators.compute_closed_quarter",
        "indicators.compute_running_quarter",
        "accounts.purge_audit_trail",
        "wmo.dispatch_pending",
        "referrals.warn_transition",
    }
    assert schedule["wmo-dispatch-pending"]["schedule"] == 60.0
    for entry in schedule.values():
        assert entry["task"] in app.tasks
    closed = schedule["indicators-closed-quarter"]["schedule"]
    assert closed.month_of_year == {1, 4, 7, 10} and closed.day_of_month == {1}


def test_compute_indicators_since_computes_every_closed_quarter(db):
    from django.utils import timezone

    from wmo.periods import Quarter

    last = Quarter.last_completed(timezone.localdate())
    first = last.previous().previous()
    call_command("compute_indicators", "--since", str(first), "--sync", stdout=io.StringIO())
    done = IndicatorRun.objects.filter(status="done").values_list("quarter", flat=True)
    assert sorted(done) == [first, first.next(), last]
    with pytest.raises(CommandError, match="nog niet afgesloten"):
        call_command("compute_indicators", "--since", str(last.next()), "--sync")
