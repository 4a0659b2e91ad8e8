"""Incremental recompute (issue 19): an import recomputes only the stored periods its rows count
in — the quarters of each written referral's care interval, before and after, with their
half-years and years — and its summary (the job's page) says which."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import IndicatorRun, IndicatorValue
from indicators.tasks import periods_to_recompute
from tests.referrals.conftest import HEADER, providers  # noqa: F401
from wmo.imports import jobs
from wmo.periods import HalfYear, Period, Quarter, Year
from wmo.referrals.imports import CaseImporter, ReferralImporter

pytestmark = pytest.mark.django_db

# One referral ended within 2025Q2, one cancelled within 2025Q3.
TWO_QUARTERS = (
    HEADER
    + """
N00001,418820028,WK034408,dagbegeleiding,13063077,13063077,2025-04-10,2025-04-20,2025-05-30,31,,nee
N00002,717429246,WK034402,dagbegeleiding,98094829,98094829,2025-07-05,,,,2025-08-01,nee
"""
)
STORED = ["2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2024H2", "2025H1", "2025H2", "2024",
          "2025", "2026Q1"]  # fmt: skip


@pytest.fixture
def stored_periods(providers, monkeypatch):  # noqa: F811
    """Every period in STORED has values; sending a run to the broker is a no-op here."""
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async", lambda *a, **k: None)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=Period.parse(text), level="system", level_key="all",
                       indicator="new_referrals", value=0)
        for text in STORED
    )  # fmt: skip


def queued() -> list[str]:
    return sorted(
        str(run.quarter) for run in IndicatorRun.objects.filter(trigger__startswith="import")
    )


def test_an_import_touching_two_quarters_queues_exactly_those_their_half_years_and_year(
    stored_periods,
):
    result = ReferralImporter().run(TWO_QUARTERS.encode())
    assert result.ok, result.report
    assert [str(q) for q in result.touched] == ["2025Q2", "2025Q3"]
    assert queued() == ["2025", "2025H1", "2025H2", "2025Q2", "2025Q3"]
    assert IndicatorRun.objects.filter(trigger="import referrals", status="queued").count() == 5
    assert result.summary == (
        "Import geslaagd: 2 rijen gelezen; 2 nieuw, 0 gewijzigd, 0 ongewijzigd. De indicatoren "
        "van 2025Q2, 2025Q3, 2025H1, 2025H2 en 2025 worden opnieuw berekend (de perioden waarin "
        "de gewijzigde rijen tellen); de andere perioden blijven staan."
    )


def test_the_same_file_again_touches_nothing_and_a_changed_date_its_old_and_new_quarters(
    stored_periods,
):
    ReferralImporter().run(TWO_QUARTERS.encode())
    IndicatorRun.objects.update(status="done")
    again = ReferralImporter().run(TWO_QUARTERS.encode())
    assert (again.unchanged, again.touched, again.notes) == (2, [], [])
    assert IndicatorRun.objects.filter(status="queued").count() == 0
    # The cancelled referral now ends in 2025Q4 instead: both intervals count (Q3 and Q4).
    moved = ReferralImporter().run(TWO_QUARTERS.replace("2025-08-01", "2025-11-03").encode())
    assert moved.updated == 1
    assert [str(q) for q in moved.touched] == ["2025Q3", "2025Q4"]
    assert sorted(str(r.quarter) for r in IndicatorRun.objects.filter(status="queued")) == [
        "2025", "2025H2", "2025Q3", "2025Q4"
    ]  # fmt: skip


def test_a_referral_also_touches_the_quarter_its_clients_open_case_closed_in(stored_periods):
    cases = ("case_id,bsn,district,team,registration_date,first_contact_date,closed_date,"
             "support_form\nC09001,418820028,WK034408,BT15,2025-03-01,2025-03-04,2025-12-15,"
             "individual\n")  # fmt: skip
    case_import = CaseImporter().run(cases.encode())
    assert [str(q) for q in case_import.touched] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    IndicatorRun.objects.update(status="done")
    result = ReferralImporter().run(TWO_QUARTERS.encode())
    # N00001 (referred 2025-04-10) falls in the case, closed in 2025Q4: bt_referral_rate there.
    assert [str(q) for q in result.touched] == ["2025Q2", "2025Q3", "2025Q4"]


def test_only_stored_and_computable_periods_are_recomputed(db):
    IndicatorValue.objects.create(quarter=Quarter(2025, 2), level="system", level_key="all",
                                  indicator="new_referrals", value=0)  # fmt: skip
    IndicatorValue.objects.create(quarter=Year(2025), level="system", level_key="all",
                                  indicator="new_referrals", value=0)  # fmt: skip
    IndicatorValue.objects.create(quarter=Quarter(2019, 4), level="system", level_key="all",
                                  indicator="new_referrals", value=0)  # fmt: skip
    found = periods_to_recompute([Quarter(2019, 4), Quarter(2025, 2), Quarter(2025, 3)],
                                 today=datetime.date(2026, 1, 10))  # fmt: skip
    # 2025Q3 and 2025H1/H2 were never computed; 2019Q4 lies before the first computable quarter.
    assert found == [Quarter(2025, 2), Year(2025)]
    assert HalfYear(2025, 1) not in found


def test_the_jobs_page_summary_names_the_periods_recomputed(stored_periods):
    upload = SimpleUploadedFile("verwijzingen.csv", TWO_QUARTERS.encode())
    job = jobs.create_job(ReferralImporter, upload)
    assert jobs.execute_job(job.pk)["status"] == "done"
    job.refresh_from_db()
    assert "De indicatoren van 2025Q2, 2025Q3, 2025H1, 2025H2 en 2025 worden opnieuw" in job.summary
    assert jobs.status_text(job) == job.summary


def test_a_dry_run_queues_nothing(stored_periods):
    result = ReferralImporter().run(TWO_QUARTERS.encode(), dry_run=True)
    assert result.ok and result.created == 2
    assert (result.touched, result.notes, queued()) == ([], [], [])


def edit_runs() -> list[str]:
    return sorted(str(run.quarter) for run in IndicatorRun.objects.filter(trigger="wijziging"))


def test_an_edit_in_a_form_or_the_api_queues_its_quarters_once_however_many_edits(
    stored_periods, django_capture_on_commit_callbacks
):
    """The services the form and the API share (wmo.referrals.services) announce the quarters
    a change counts in, before and after, like an import; edits while a run waits share it."""
    from wmo.referrals import services
    from wmo.referrals.models import Referral

    ReferralImporter().run(TWO_QUARTERS.encode())
    IndicatorRun.objects.update(status="done")
    referral = Referral.objects.get(external_id="N00002")  # referred 2025-07-05, cancelled
    referral.cancelled_date = None
    referral.save(update_fields=["cancelled_date"])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(referral, user=None, date=datetime.date(2025, 7, 20))
    # Open until the cancel, then cancelled within 2025Q3: the quarters up to today before.
    assert edit_runs() == ["2025", "2025H2", "2025Q3", "2025Q4", "2026Q1"]
    before = IndicatorRun.objects.count()
    # A second edit in those quarters while their runs still wait adds no run.
    Referral.objects.filter(pk=referral.pk).update(cancelled_date=None)
    referral.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(referral, user=None, date=datetime.date(2025, 8, 1))
    assert IndicatorRun.objects.count() == before
    assert IndicatorRun.objects.filter(trigger="wijziging", status="queued").count() == 5


def test_a_run_already_computing_when_an_import_commits_computes_its_period_again(
    stored_periods, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from indicators.tasks import RERUN_TRIGGER, compute_quarter, follow_change

    running = IndicatorRun.objects.create(quarter=Quarter(2025, 2), status="running",
                                          heartbeat_at=timezone.now(), started_at=timezone.now())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert ReferralImporter().run(TWO_QUARTERS.encode()).ok
    running.refresh_from_db()
    # It may have read the referrals before the import committed: it is marked to go again.
    assert running.status == "running" and running.rerun_requested
    assert queued() == ["2025", "2025H1", "2025H2", "2025Q3"]
    # Once done it queues its period again, so the import's referrals are counted.
    IndicatorRun.objects.filter(pk=running.pk).update(status="queued")
    compute_quarter.apply(args=("2025Q2",), kwargs={"run_id": running.pk})
    running.refresh_from_db()
    assert running.status == "done"
    again = IndicatorRun.objects.get(quarter=Quarter(2025, 2), status="queued")
    assert again.trigger == RERUN_TRIGGER and not again.rerun_requested
    # A run that ended between the change and its commit is followed by a new one.
    IndicatorRun.objects.filter(pk=again.pk).update(status="done")
    follow = follow_change(again, trigger="import referrals")
    assert follow.pk != again.pk and follow.status == "queued"
    # A queued run reads the change anyway: nothing more.
    assert follow_change(follow).pk == follow.pk
    assert IndicatorRun.objects.filter(quarter=Quarter(2025, 2), status="queued").count() == 1


def test_an_edit_sends_its_recompute_after_the_change_delay_and_an_import_at_once(
    stored_periods, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """A burst of registrations shares one run per period: the edit's run waits
    INDICATORS_CHANGE_DELAY seconds in the queue, where later edits find it. An import (one
    batch already) and a manual trigger start at once."""
    from indicators.tasks import queue_run
    from wmo.referrals import services
    from wmo.referrals.models import Referral

    sent = []
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async",
                        lambda args, kwargs, **options: sent.append((args[0], options["countdown"])))  # fmt: skip
    settings.INDICATORS_CHANGE_DELAY = 60.0
    with django_capture_on_commit_callbacks(execute=True):
        assert ReferralImporter().run(TWO_QUARTERS.encode()).ok
    assert sorted(sent) == [("2025", None), ("2025H1", None), ("2025H2", None),
                            ("2025Q2", None), ("2025Q3", None)]  # fmt: skip
    IndicatorRun.objects.update(status="done")
    sent.clear()
    referral = Referral.objects.get(external_id="N00002")
    Referral.objects.filter(pk=referral.pk).update(cancelled_date=None)
    referral.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(referral, user=None, date=datetime.date(2025, 7, 20))
    assert sorted(sent) == [("2025", 60.0), ("2025H2", 60.0), ("2025Q3", 60.0), ("2025Q4", 60.0),
                            ("2026Q1", 60.0)]  # fmt: skip
    sent.clear()
    IndicatorRun.objects.update(status="done")
    with django_capture_on_commit_callbacks(execute=True):
        queue_run(Quarter(2025, 3), trigger="handmatig")
    assert sent == [("2025Q3", None)]
