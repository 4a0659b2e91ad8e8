"""A survey or complaints import recomputes the indicators of the quarters its rows count in,
as a referrals or cases import does (INDICATORS.md, Kwaliteit: a response in the quarter of its
date; a complaint in the quarter it was received and the quarter it was resolved)."""

import pytest

from indicators.models import IndicatorRun, IndicatorValue
from wmo.periods import Period
from wmo.quality.imports import ComplaintImporter, SurveyImporter

from .conftest import COMPLAINTS_CSV

pytestmark = pytest.mark.django_db

STORED = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2025H1", "2025H2",
          "2026H1", "2025", "2026"]  # fmt: skip
SURVEY = (
    "response_id,date,district,service_type,provider_agb,q_solution,q_self_reliance\n"
    "S1,2025-05-06,WK034405,living_lab,51025507,4,3\n"
)
COMPLAINT = (
    "complaint_id,provider_agb,service_type,district,received_date,resolved_date\n"
    "K1,25083808,ambulante_begeleiding,WK034410,2025-12-06,2026-01-27\n"
)


@pytest.fixture
def stored_periods(sample_providers, monkeypatch):
    monkeypatch.setattr("indicators.tasks.compute_quarter.apply_async", lambda *a, **k: None)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=Period.parse(text), level="system", level_key="all",
                       indicator="complaints", value=0)
        for text in STORED
    )  # fmt: skip


def queued() -> list[str]:
    return sorted(str(run.quarter) for run in IndicatorRun.objects.filter(status="queued"))


def test_a_survey_import_recomputes_the_quarter_of_each_response_date(stored_periods):
    result = SurveyImporter().run(SURVEY.encode())
    assert result.ok, result.report
    assert [str(q) for q in result.touched] == ["2025Q2"]
    assert queued() == ["2025", "2025H1", "2025Q2"]
    assert "De indicatoren van 2025Q2, 2025H1 en 2025 worden opnieuw berekend" in result.summary
    IndicatorRun.objects.update(status="done")
    again = SurveyImporter().run(SURVEY.encode())
    assert (again.touched, again.notes) == ([], [])
    # A corrected date counts in the quarter it left and the one it moved to.
    moved = SurveyImporter().run(SURVEY.replace("2025-05-06", "2025-08-01").encode())
    assert [str(q) for q in moved.touched] == ["2025Q2", "2025Q3"]


def test_a_complaints_import_recomputes_the_received_and_resolved_quarters(stored_periods):
    result = ComplaintImporter().run(COMPLAINT.encode())
    assert result.ok, result.report
    # Received in 2025Q4 (complaints), resolved in 2026Q1 (median_complaint_days): not the
    # quarters between.
    assert [str(q) for q in result.touched] == ["2025Q4", "2026Q1"]
    assert queued() == ["2025", "2025H2", "2025Q4", "2026", "2026H1", "2026Q1"]
    IndicatorRun.objects.update(status="done")
    resolved_later = ComplaintImporter().run(COMPLAINT.replace("2026-01-27", "2026-04-02").encode())
    assert [str(q) for q in resolved_later.touched] == ["2025Q4", "2026Q1", "2026Q2"]


def test_the_sample_complaints_file_recomputes_its_quarters(stored_periods):
    result = ComplaintImporter().run(COMPLAINTS_CSV.encode())
    assert result.ok and result.touched
    assert "2026Q1" in [str(q) for q in result.touched]
    assert "worden opnieuw berekend" in result.summary


def test_a_dry_run_recomputes_nothing(stored_periods):
    result = ComplaintImporter().run(COMPLAINT.encode(), dry_run=True)
    assert (result.created, result.touched, queued()) == (1, [], [])
