"""The embedded default (`make run`: no broker) runs an upload's import beside the request, not in
it (wmo/background.py; INTERCHANGE.md: "never inside the request"): the upload answers at once,
the job's page shows it running, and it ends done by itself."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.referrals.conftest import REFERRALS_CSV, providers  # noqa: F401
from wmo.imports.models import ImportJob
from wmo.referrals.imports import ReferralImporter
from wmo.referrals.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def _finished(job: ImportJob, seconds: float = 30) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status not in ImportJob.ACTIVE:
            return job
        time.sleep(0.05)
    raise AssertionError(f"import {job.pk} still {job.status}")


def test_an_upload_answers_before_its_import_which_runs_beside_it(
    providers,  # noqa: F811
    contract_manager_client,
    settings,
    monkeypatch,
):
    settings.WMO_TASKS_IN_BACKGROUND = True
    started, release = threading.Event(), threading.Event()
    real_run = ReferralImporter.run

    def held(self, *args, **kwargs):
        started.set()
        assert release.wait(30)
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(ReferralImporter, "run", held)
    upload = SimpleUploadedFile("verwijzingen.csv", REFERRALS_CSV.encode())
    response = contract_manager_client.post("/verwijzingen/importeren/", {"file": upload})
    assert response.status_code == 302
    page = response["Location"]
    job = ImportJob.objects.get(pk=page.split("/")[2])
    # The request is over while the import is still held in its thread.
    assert started.wait(30)
    status = contract_manager_client.get(f"{page}status/").json()
    assert (status["status"], status["finished"]) == ("running", False)
    assert Referral.objects.count() == 0
    release.set()
    job = _finished(job)
    assert (job.status, job.new_rows, job.task_id != "") == ("done", 6, True)
    assert Referral.objects.count() == 6
    assert contract_manager_client.get(f"{page}status/").json()["finished"] is True


def test_without_the_setting_the_tests_run_the_import_in_the_request(
    providers,  # noqa: F811
    contract_manager_client,
    django_capture_on_commit_callbacks,
):
    upload = SimpleUploadedFile("verwijzingen.csv", REFERRALS_CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/verwijzingen/importeren/", {"file": upload})
    job = ImportJob.objects.get(pk=response["Location"].split("/")[2])
    assert (job.status, job.new_rows) == ("done", 6)


SCRIPT = """
import pathlib, sys, time
from django.conf import settings
settings.configure(CELERY_TASK_ALWAYS_EAGER=True, WMO_TASKS_IN_BACKGROUND=True, DATABASES={})
from wmo import background

class Task:
    name = "written"
    def apply(self, args, kwargs, task_id):
        time.sleep(0.3)
        with open(sys.argv[1], "a") as out:
            out.write(args[0])
    def AsyncResult(self, task_id):
        return task_id

for letter in "abc":
    background.send(Task(), (letter,))
"""


def test_the_process_finishes_its_background_tasks_in_turn_before_it_exits(tmp_path):
    """A command line import's recomputation was left 'running' for good: its thread died with
    the command."""
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "written.txt"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", SCRIPT, str(out)], cwd=root, check=True, timeout=30)
    assert out.read_text() == "abc"
