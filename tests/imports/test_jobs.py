"""An upload's job: stored privately, run in-process (the embedded default) or by the real Celery
worker, idempotent when its message comes twice, progress and report pages, a dry run that
counts, and a broker that is down."""

import csv
import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.celery_conf import broker_at
from tests.referrals.conftest import CASES_CSV, REFERRALS_CSV, providers  # noqa: F401
from wmo.imports import jobs
from wmo.imports.framework import SAVE
from wmo.imports.models import ImportJob
from wmo.imports.tasks import QUEUE_DOWN, send_job
from wmo.referrals.imports import ReferralImporter
from wmo.referrals.models import Client, Referral, ReferralEvent

from .hostile import HEADER, workbook_bytes

pytestmark = pytest.mark.django_db
UNREACHABLE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
CORRECTED = REFERRALS_CSV.replace(
    "28073946,,2025-05-03,,,,,nee", "28073946,,2025-05-03,2025-06-02,,,,nee"
)


def new_job(text=REFERRALS_CSV, user=None, dry_run=False, name="verwijzingen.csv"):
    upload = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
    return jobs.create_job(ReferralImporter, upload, user=user, dry_run=dry_run)


def post(client, text, capture, url="/verwijzingen/importeren/", **data):
    upload = SimpleUploadedFile("verwijzingen.csv", text.encode())
    with capture(execute=True):
        response = client.post(url, {"file": upload, **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportJob.objects.get(pk=response["Location"].split("/")[2]), response["Location"]


def test_an_upload_is_stored_privately_imported_and_its_file_removed(
    providers,  # noqa: F811
    contract_manager_client,
    django_capture_on_commit_callbacks,
):
    import hashlib

    job, page = post(contract_manager_client, REFERRALS_CSV, django_capture_on_commit_callbacks)
    assert page == f"/importen/{job.pk}/"
    assert (job.kind, job.status, job.progress, job.dry_run) == ("referrals", "done", 100, False)
    assert (job.rows, job.new_rows, job.changed_rows, job.unchanged_rows) == (6, 6, 0, 0)
    assert (job.file_name, job.file_size) == ("verwijzingen.csv", len(REFERRALS_CSV.encode()))
    assert job.sha256 == hashlib.sha256(REFERRALS_CSV.encode()).hexdigest()
    assert job.user.groups.get().name == "contract_manager" and job.attempts == 1
    assert job.stored_name == "" and job.sent_at and job.finished_at
    assert Referral.objects.count() == 6
    # The events of the import name the uploading contract manager.
    assert set(ReferralEvent.objects.values_list("user", flat=True)) == {job.user.pk}
    html = contract_manager_client.get(page).content.decode()
    assert "Import geslaagd: 6 rijen gelezen; 6 nieuw, 0 gewijzigd, 0 ongewijzigd." in html
    assert 'value="100"' in html and "Status vernieuwen" not in html
    status = contract_manager_client.get(f"{page}status/").json()
    assert status == {"status": "done", "statusLabel": "Klaar", "progress": 100,
                      "rowsProcessed": 6, "finished": True,
                      "text": "Import geslaagd: 6 rijen gelezen; 6 nieuw, 0 gewijzigd, "
                              "0 ongewijzigd."}  # fmt: skip
    again, _ = post(contract_manager_client, REFERRALS_CSV, django_capture_on_commit_callbacks)
    assert (again.new_rows, again.changed_rows, again.unchanged_rows) == (0, 0, 6)
    listed = contract_manager_client.get("/importen/").content.decode()
    assert listed.count(f'href="/importen/{job.pk}/"') == 1
    assert listed.count(f'href="/importen/{again.pk}/"') == 1


def test_a_workbook_upload_is_checked_in_the_request_and_imported_by_the_job(
    providers,  # noqa: F811
    contract_manager_client,
    django_capture_on_commit_callbacks,
):
    lines = REFERRALS_CSV.strip().splitlines()
    bad = SimpleUploadedFile("v.xlsx", workbook_bytes(lines[1:], header=HEADER.replace(",bsn", "")))
    response = contract_manager_client.post("/verwijzingen/importeren/", {"file": bad})
    assert "De kopregel mist de kolom &#x27;bsn&#x27;." in response.content.decode()
    assert not ImportJob.objects.exists()
    good = SimpleUploadedFile("v.xlsx", workbook_bytes(lines[1:]))
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/verwijzingen/importeren/", {"file": good})
    assert ImportJob.objects.get().summary.startswith("Import geslaagd: 6 rijen gelezen; 6 nieuw")


def test_a_dry_run_counts_like_an_import_and_writes_nothing(providers, tmp_path, capsys):  # noqa: F811
    path = tmp_path / "verwijzingen.csv"
    path.write_text(REFERRALS_CSV)
    call_command("import_referrals", str(path), "--dry-run")
    assert capsys.readouterr().out.strip() == (
        "Controle geslaagd (niets opgeslagen): 6 rijen gelezen; 6 nieuw, 0 gewijzigd, 0 ongewijzigd."
    )
    assert (Referral.objects.count(), Client.objects.count(), ReferralEvent.objects.count()) == (
        0,
        0,
        0,
    )
    call_command("import_referrals", str(path))
    before = list(Referral.objects.order_by("pk").values_list("external_id", "start_date"))
    counts = (Client.objects.count(), ReferralEvent.objects.count())
    path.write_text(CORRECTED.replace("R00004", "R00009"))  # one changed, one new (new client key)
    call_command("import_referrals", str(path), "--dry-run")
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith("6 rijen gelezen; 1 nieuw, 1 gewijzigd, 4 ongewijzigd.")
    )
    assert list(Referral.objects.order_by("pk").values_list("external_id", "start_date")) == before
    assert (Client.objects.count(), ReferralEvent.objects.count()) == counts
    result = ReferralImporter().run(
        CORRECTED.replace("251377908,WK034405", "111222333,WK034405").encode(), dry_run=True
    )  # a referral moved to a client not yet stored
    assert (result.created, result.updated, result.unchanged) == (0, 2, 4), result.report
    assert Client.objects.count() == counts[0]


def test_a_dry_run_upload_reports_its_counts(providers, contract_manager_client,  # noqa: F811
                                             django_capture_on_commit_callbacks):  # fmt: skip
    job, page = post(contract_manager_client, CASES_CSV, django_capture_on_commit_callbacks,
                     url="/verwijzingen/casussen/importeren/", dry_run="on")  # fmt: skip
    assert (job.dry_run, job.status, job.new_rows, job.stored_name) == (True, "done", 4, "")
    html = contract_manager_client.get(page).content.decode()
    assert "(alleen controleren)" in html
    assert "Controle geslaagd (niets opgeslagen): 4 rijen gelezen; 4 nieuw" in html


def test_a_redelivered_message_does_not_import_twice(providers):  # noqa: F811
    job = new_job()
    assert jobs.execute_job(job.pk)["status"] == "done"
    events = ReferralEvent.objects.count()
    Referral.objects.filter(external_id="R00007").update(start_date=datetime.date(2025, 5, 4))
    assert jobs.execute_job(job.pk) == {"job": job.pk, "status": "done", "skipped": "ended"}
    assert ReferralEvent.objects.count() == events
    # Had it run again, the file would have reset this start date.
    assert Referral.objects.get(external_id="R00007").start_date == datetime.date(2025, 5, 4)
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_running_job_is_left_to_its_worker_until_it_goes_silent(providers, settings):  # noqa: F811
    job = new_job()
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=1,
                                               heartbeat_at=timezone.now())  # fmt: skip
    assert jobs.execute_job(job.pk)["skipped"] == "alive"
    assert Referral.objects.count() == 0
    silent = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_HEARTBEAT_TIMEOUT + 1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=silent)
    assert list(jobs.pending_jobs()) == [job]
    assert jobs.execute_job(job.pk)["status"] == "done"
    job.refresh_from_db()
    assert (job.attempts, job.status) == (2, "done")
    assert job.message == "Poging 1 is afgebroken (de worker verdween); de import begint opnieuw."
    assert Referral.objects.count() == 6 and list(jobs.pending_jobs()) == []


def test_a_delivery_that_finds_the_job_alive_looks_again_after_the_heartbeat_timeout(
    providers,  # noqa: F811
    settings,
    monkeypatch,
):
    from wmo.imports.tasks import run_import_job

    settings.IMPORT_HEARTBEAT_TIMEOUT = 90
    job = new_job()
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=1,
                                               heartbeat_at=timezone.now())  # fmt: skip
    # As a worker gets it (apply, not delay), so the look-again it sends is caught here.
    sent = []
    monkeypatch.setattr(run_import_job, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    assert run_import_job.apply((job.pk,)).get()["skipped"] == "alive"
    assert sent == [(((job.pk,),), {"countdown": 90, "queue": None})]
    assert Referral.objects.count() == 0


def test_an_attempt_that_was_taken_over_writes_nothing(providers):  # noqa: F811
    job = new_job()
    job, action = jobs.claim(job.pk)
    assert action == "claimed"
    ImportJob.objects.filter(pk=job.pk).update(attempts=2)  # another delivery took it meanwhile
    with pytest.raises(jobs.JobTakenOver):
        ReferralImporter().run(jobs.stored_path(job), before_commit=lambda r: jobs.finish(job, r))
    assert Referral.objects.count() == 0 and Client.objects.count() == 0


def test_a_fault_fails_the_job_writes_nothing_and_removes_the_file(providers, monkeypatch):  # noqa: F811
    job = new_job()
    path = jobs.stored_path(job)

    original = ReferralImporter.save

    def broken(self, rows):  # the rows are written, then something breaks before the commit
        original(self, rows)
        raise RuntimeError("kapot")

    monkeypatch.setattr(ReferralImporter, "save", broken)
    assert jobs.execute_job(job.pk)["status"] == "failed"
    job.refresh_from_db()
    assert job.error == ("De import is door een fout in de toepassing gestopt (RuntimeError); er "
                         "is niets opgeslagen.")  # fmt: skip
    assert Referral.objects.count() == 0 and not path.exists() and job.stored_name == ""


@pytest.mark.parametrize("broken", [False, True], ids=["done", "failed"])
def test_a_job_that_ends_has_forgotten_its_file_before_the_file_goes(
    providers,  # noqa: F811
    monkeypatch,
    broken,
):
    """A page polling the job must never see it ended while its file is still named: the final
    status and the forgetting are one update; the file is unlinked after it."""
    job = new_job()
    path = jobs.stored_path(job)
    seen = []

    def unlink(upload):
        seen.append(ImportJob.objects.values_list("status", "stored_name").get(pk=job.pk))
        assert upload == path and upload.exists()
        upload.unlink()

    monkeypatch.setattr(jobs, "unlink_upload", unlink)
    if broken:
        monkeypatch.setattr(ReferralImporter, "save", lambda self, rows: 1 / 0)
    jobs.execute_job(job.pk)
    assert seen == [("failed" if broken else "done", "")] and not path.exists()


def test_a_missing_file_fails_the_job(providers):  # noqa: F811
    job = new_job()
    jobs.stored_path(job).unlink()
    jobs.execute_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "Het geüploade bestand is niet meer aanwezig; "
                                                 "upload het opnieuw.")  # fmt: skip


def test_with_the_broker_down_the_job_waits_with_a_dutch_message(
    providers,  # noqa: F811
    contract_manager_client,
    django_capture_on_commit_callbacks,
):
    began = time.monotonic()
    with broker_at(UNREACHABLE):
        job, page = post(contract_manager_client, REFERRALS_CSV, django_capture_on_commit_callbacks)
    assert time.monotonic() - began < 15  # no long reconnect loop in the request
    assert (job.status, job.sent_at, job.message) == ("queued", None, QUEUE_DOWN)
    assert job.stored_name and jobs.stored_path(job).exists()
    html = contract_manager_client.get(page).content.decode()
    assert "start zodra de wachtrij weer bereikbaar is" in html and "Status vernieuwen" in html
    assert list(jobs.pending_jobs()) == [job]
    # The queue is back (here: in-process): whoever re-sends pending work sends it once more.
    assert send_job(job) is True
    job.refresh_from_db()
    assert (job.status, job.message, job.new_rows) == ("done", "", 6)
    assert list(jobs.pending_jobs()) == [] and Referral.objects.count() == 6


def test_the_problems_download_neutralises_formulas(providers, contract_manager_client,  # noqa: F811
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    bad = REFERRALS_CSV.replace("WK034408,dagbegeleiding", '"=HYPERLINK(""x"")",dagbegeleiding')
    job, page = post(contract_manager_client, bad, django_capture_on_commit_callbacks)
    response = contract_manager_client.get(f"{page}problemen.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["regel", "kolom", "waarde", "melding"],
                    ["2", "district", "'=HYPERLINK(\"x\")", "Onbekende wijkcode."]]  # fmt: skip


def test_many_problems_are_counted_but_only_the_first_kept(providers):  # noqa: F811
    rows = "\n".join(f"R{i},123,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,,nee"
                     for i in range(1_200))  # fmt: skip
    job = new_job(HEADER + "\n" + rows + "\n")
    jobs.execute_job(job.pk)
    job.refresh_from_db()
    assert (job.problem_count, len(job.problems)) == (1_200, 1_000)
    assert job.summary.startswith("Import afgebroken: 1.200 problemen gevonden in 1.200 rijen.")


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_beside_the_import_transaction(providers):  # noqa: F811
    """While the import's transaction is open, the page must still see progress: on PostgreSQL
    it goes over a connection of its own."""
    if connection.vendor != "postgresql":
        pytest.skip("a second writer during a transaction needs PostgreSQL")
    job, _ = jobs.claim(new_job().pk)
    progress = jobs.JobProgress(job)
    outside = connections.create_connection("default")
    try:
        with transaction.atomic():
            progress(SAVE, 3, 0.5)
            with outside.cursor() as cursor:
                cursor.execute("SELECT progress, stage, rows_processed FROM imports_importjob "
                               "WHERE id = %s", [job.pk])  # fmt: skip
                assert cursor.fetchone() == (75, "save", 3)
    finally:
        progress.close()
        outside.close()
        jobs.unlink_upload(jobs.stored_path(job))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_imports_an_upload_with_progress(celery_worker, client_for):
    """Through the broker to the real worker: the request only stores and queues; the page's
    status moves while the worker checks and saves 20,000 rows."""
    from providers.models import Provider
    from tests.referrals.conftest import SAMPLE_AGB
    from wmo.referrals.demo import demo_bsn

    for agb in SAMPLE_AGB:
        Provider.objects.create(agb_code=agb, name=f"Aanbieder {agb}", kind="care_provider")
    lines = [HEADER] + [
        f"W{i:05d},{demo_bsn(i)},WK034403,dagbegeleiding,13063077,,2026-03-02,2026-03-16,,,,nee"
        for i in range(20_000)
    ]  # fmt: skip
    client = client_for("contract_manager")
    upload = SimpleUploadedFile("verwijzingen.csv", ("\n".join(lines) + "\n").encode())
    response = client.post("/verwijzingen/importeren/", {"file": upload})
    job = ImportJob.objects.get()
    assert response["Location"] == f"/importen/{job.pk}/"
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/importen/{job.pk}/status/").json()
        seen.add((status["status"], status["progress"]))
        if status["finished"]:
            break
        time.sleep(0.05)
    job.refresh_from_db()
    assert (job.status, job.new_rows, job.task_id != "") == ("done", 20_000, True), job.error
    assert Referral.objects.count() == 20_000 and job.stored_name == ""
    assert any(state == "running" and 0 < progress < 100 for state, progress in seen), seen


def test_the_task_is_acknowledged_late_and_registered():
    from wmo.celery import app
    from wmo.imports.tasks import run_import_job

    assert app.tasks["imports.run_import_job"].run == run_import_job.run
    assert (run_import_job.acks_late, run_import_job.reject_on_worker_lost) == (True, True)


class _Clock:
    """time.monotonic and time.sleep of wmo.imports.jobs: work advances it by hand, a pause by
    its own length."""

    def __init__(self):
        self.now, self.pauses = 1000.0, []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(round(seconds, 3))
        self.now += seconds


@pytest.mark.parametrize(("duty_cycle", "pauses"), [(0.5, [0.3, 0.2]), (0.25, [0.9, 0.6]),
                                                    (1.0, [])])  # fmt: skip
def test_an_upload_job_pauses_between_batches_to_work_its_share_of_the_time(
    providers,  # noqa: F811
    monkeypatch,
    duty_cycle,
    pauses,
):
    """With IMPORT_DUTY_CYCLE 0.5 a job pauses as long as it worked, once it has worked a slice
    (0.2 s): the web tier keeps a core while large files come in. 1 never pauses."""
    clock = _Clock()
    monkeypatch.setattr(jobs, "time", clock)
    progress = jobs.JobProgress(new_job(), duty_cycle=duty_cycle)
    clock.now += 0.1
    progress(SAVE, 1000, 0.1)  # less than a slice of work: no pause yet
    clock.now += 0.2
    progress(SAVE, 2000, 0.2)  # 0.3 s of work
    clock.now += 0.2
    progress(SAVE, 3000, 0.3)  # 0.2 s more since the pause
    assert clock.pauses == pauses
    if pauses:
        assert progress.paused == pytest.approx(sum(pauses))


def test_the_share_of_the_time_comes_from_the_settings(providers, settings):  # noqa: F811
    settings.IMPORT_DUTY_CYCLE = 0.4
    assert jobs.JobProgress(new_job()).duty_cycle == 0.4
