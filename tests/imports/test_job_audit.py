"""An import's report shows rows of the uploaded file (record ids, a masked BSN): its page and
its problems download are audit-trail lines, as every other view of person-level data."""

import pytest

from tests.referrals.conftest import REFERRALS_CSV, providers  # noqa: F401
from wmo.accounts.audit import RECORD_TYPES
from wmo.accounts.models import AuditEntry

from .test_jobs import post

pytestmark = pytest.mark.django_db
A = AuditEntry.Action


def job_lines():
    return AuditEntry.objects.filter(content_type__model="importjob").order_by("pk")


def test_the_report_and_its_problems_download_are_lines(providers, client_for,  # noqa: F811
                                                        django_capture_on_commit_callbacks):  # fmt: skip
    client = client_for("contract_manager", username="lezer")
    bad = REFERRALS_CSV.replace("WK034408,dagbegeleiding", "WK999999,dagbegeleiding")
    job, page = post(client, bad, django_capture_on_commit_callbacks)
    assert job.problems
    assert client.get(page).status_code == 200
    assert client.get(f"{page}problemen.csv").status_code == 200
    viewed, exported = job_lines()
    assert (viewed.action, viewed.record_ids, viewed.actor_username) == (A.ACCESS, [str(job.pk)],
                                                                         "lezer")  # fmt: skip
    assert (viewed.path, viewed.additional_data["problemen"]) == (page, len(job.problems))
    assert (exported.action, exported.record_ids) == (A.EXPORT, [str(job.pk)])
    assert exported.additional_data["formaat"] == "csv"
    # The trail's filter offers import jobs as a kind of record.
    assert "imports.importjob" in RECORD_TYPES
