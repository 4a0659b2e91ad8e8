"""The baseline as published (POLICY.md, baseline figures): the buurtteam's mean wait is headed
"Gemiddelde wachttijd per jaar in dagen" while the text compares 7.2 (2022) with the norm of
5 werkdagen. The figure keeps the published unit and its note travels with it to every place
that shows it: the trend chart's summary and table on the dashboards and in the quarterly
report. A data migration corrects a database loaded with the old unit."""

import html

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from indicators import selectors as data
from indicators.models import BaselineFigure
from indicators.reports import quarterly
from indicators.selectors import Filters
from wmo.periods import Quarter

from .test_dashboard import COUNCIL_URL, STAFF_URL, stored  # noqa: F401 - fixture

PUBLISHED_HEADING = '"Gemiddelde wachttijd per jaar in dagen"'
NORM_IN_THE_TEXT = "5 werkdagen"


def _check_note(note: str):
    assert PUBLISHED_HEADING in note and NORM_IN_THE_TEXT in note and "7,2 (2022)" in note


@pytest.mark.django_db
def test_the_buurtteam_wait_keeps_its_published_unit_and_a_note():
    rows = BaselineFigure.objects.filter(service="buurtteam", indicator="mean_wait")
    assert [(r.year, float(r.value), r.unit) for r in rows] == [
        (2020, 6.4, "days"), (2021, 7.6, "days"), (2022, 7.2, "days"),
    ]  # fmt: skip
    for row in rows:
        _check_note(row.note)
    assert not BaselineFigure.objects.exclude(pk__in=rows).exclude(note="").exists()


def test_the_trend_shows_the_published_unit_and_the_note(stored):  # noqa: F811
    # The yearly series carries the baseline (the quarterly one never does).
    charts = {c["indicator"]: c for c in data.trends(Quarter(2026, 3), Filters())
              if c["series"] == "jaar"}  # fmt: skip
    wait = charts["bt_mean_wait_workdays"]
    _check_note(wait["baseline_note"])
    assert wait["summary"].endswith(wait["baseline_note"])
    labels = [row["label"] for row in wait["table"]["rows"]][:3]
    assert labels == [f"{y} (nulmeting, gepubliceerd in dagen)" for y in (2020, 2021, 2022)]
    clients = charts["bt_clients"]
    assert clients["baseline_note"] == ""
    assert clients["table"]["rows"][0]["label"] == "2020 (nulmeting)"


@pytest.mark.parametrize(("role", "url"), [("contract_manager", STAFF_URL),
                                           ("council_member", COUNCIL_URL)])  # fmt: skip
def test_both_dashboards_and_the_report_show_the_note(stored, client_for, role, url):  # noqa: F811
    note = BaselineFigure.objects.filter(service="buurtteam", indicator="mean_wait")[0].note
    page = html.unescape(client_for(role).get(url).content.decode())
    assert note in page
    assert "2022 (nulmeting, gepubliceerd in dagen)" in page
    context = quarterly.report_context(Quarter(2026, 3), suppressed=role == "council_member")
    summaries = [block["summary"] for block in context["trends"]]
    assert any(summary.endswith(note) for summary in summaries)


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_the_data_migration_restores_the_published_unit():
    before = [("indicators", "0007_period_verbose_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("indicators", "BaselineFigure")
    assert set(
        old.objects.filter(service="buurtteam", indicator="mean_wait").values_list(
            "unit", flat=True
        )
    ) == {"working_days"}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = BaselineFigure.objects.filter(service="buurtteam", indicator="mean_wait")
    assert {r.unit for r in rows} == {"days"}
    for row in rows:
        _check_note(row.note)
