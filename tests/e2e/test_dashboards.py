"""Both dashboards in a real browser: htmx filters that keep the URL, charts with their table
alternative, the recompute progress bar on a real Celery worker, WCAG 2.1 AA."""

import re
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from tests.celery_conf import set_celery_conf
from tests.conftest import _require_worker_services, start_worker, stop_worker
from tests.indicators.test_dashboard import OVERVECHT, WEST, store_rows

from .conftest import CONTEXT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored(db):
    store_rows()


def tile_value(page, indicator):
    return page.locator(f'article[data-indicator="{indicator}"] .dash-tile__value').inner_text()


def test_staff_dashboard_filters_without_reload_and_keeps_the_url(
    page, login, assert_accessible, stored
):
    login("contract_manager")
    page.get_by_label("Hoofdmenu").get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_load_state()
    page.goto("/dashboard/?kwartaal=2026Q3")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard stelselindicatoren"
    # The page opens on the three objectives; the family view follows as their drill-down.
    objectives = page.locator("section.dash-objective h4")
    assert objectives.all_inner_texts() == [
        "III — laagdrempelige basiszorg (buurtteams)", "IV — passende aanvullende zorg",
        "V — opvang en verblijf (U16)"]  # fmt: skip
    assert (
        page.locator('#tabel-doel-iv tr[data-sleutel="dagbegeleiding"] td').nth(1).inner_text()
        == "88"
    )
    row = page.locator('#tabel-doel-iii tr[data-sleutel="bt_mean_wait_workdays"] td')
    assert row.nth(0).inner_text() == "6,1" and row.nth(2).inner_text() == "Boven de norm (5)"
    assert tile_value(page, "clients_in_care") == "1.234 cliënten"
    # Charts are drawn from the JSON data island.
    page.wait_for_selector('canvas[data-chart-id="trend-clients_in_care"][data-drawn="true"]')
    page.evaluate("window.__noReload = true")

    page.locator("select[name=wijk]").select_option(WEST)
    page.wait_for_timeout(300)
    assert "wijk=" not in page.url  # choosing alone loads nothing (WCAG 3.2.2)
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"wijk=WK034401"))
    page.wait_for_function(
        "document.querySelector('#kwartaal-kop').textContent.includes('Wijk West')"
    )
    assert tile_value(page, "clients_in_care") == "456 cliënten"
    assert page.evaluate("window.__noReload") is True  # swapped by htmx, not reloaded
    assert page.url.endswith(f"/dashboard/?kwartaal=2026Q3&wijk={WEST}")  # no empty filters
    # The new figures' charts are drawn again after the swap.
    page.wait_for_selector('canvas[data-chart-id="trend-clients_in_care"][data-drawn="true"]')
    drill = page.locator('article[data-indicator="waiting_at_end"]').get_by_role(
        "link", name=re.compile("Naar de actuele wachtlijst")
    )  # fmt: skip
    assert drill.get_attribute("href") == f"/verwijzingen/?wijk={WEST}"
    wait = page.locator('article[data-indicator="mean_wait_days"]').get_by_role(
        "link", name=re.compile("Naar de actuele wachtlijst")
    )  # fmt: skip
    assert wait.get_attribute("href") == f"/verwijzingen/?wijk={WEST}"

    # Back restores the city-wide figures, charts drawn again.
    page.go_back()
    page.wait_for_url(re.compile(r"kwartaal=2026Q3$"))
    page.wait_for_function(
        'document.querySelector(\'article[data-indicator="clients_in_care"] '
        ".dash-tile__value').textContent.trim() === '1.234 cliënten'"
    )
    page.wait_for_selector('canvas[data-chart-id="trend-clients_in_care"][data-drawn="true"]')
    page.go_forward()
    page.wait_for_url(re.compile(r"wijk=WK034401"))

    # The shared URL opens the same view.
    page.goto(page.url)
    assert tile_value(page, "clients_in_care") == "456 cliënten"
    assert page.locator("select[name=wijk]").input_value() == WEST

    # The chart's table alternative opens on demand.
    page.goto("/dashboard/?kwartaal=2026Q3")
    figure = page.locator("figure", has=page.locator('canvas[data-chart-id="wijk-wachttijd"]'))
    table = figure.locator("table")
    assert not table.is_visible()
    figure.locator("summary", has_text="Tabel bij deze grafiek").click()
    assert table.is_visible()
    assert "Overvecht" in table.inner_text() and "31,0" in table.inner_text()
    summary = figure.locator(".dash-chart__summary").inner_text()
    assert (
        summary
        == "Gemiddelde wachttijd: hoogst in Overvecht (31,0 dagen), laagst in West (9,0 dagen)."
    )
    assert_accessible()


def test_council_dashboard_is_suppressed_and_accessible(page, login, assert_accessible, stored):
    login("council_member")
    page.get_by_label("Hoofdmenu").get_by_role("link", name="Raadsdashboard").click()
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard/raad/overzicht/")  # the menu opens the overview
    page.goto("/dashboard/raad/?kwartaal=2026Q3")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard voor de gemeenteraad"
    # The objectives first, suppressed as everywhere: 9 waiting for dagbegeleiding, 3 city-wide.
    assert page.locator("section.dash-objective").count() == 3
    assert (
        page.locator('#tabel-doel-iv tr[data-sleutel="dagbegeleiding"] td').nth(6).inner_text()
        == "9"
    )
    assert tile_value(page, "waiting_at_end") == "<5 verwijzingen"
    assert tile_value(page, "pct_within_norm") == "—"  # too few observations, no unit
    row = page.locator(f'#tabel-per-wijk tr[data-sleutel="{OVERVECHT}"]')
    assert row.locator("td").nth(0).inner_text() == "<5"
    assert page.locator('a[href^="/verwijzingen/"]').count() == 0
    assert page.get_by_role("link", name="tijdlijn van de aanbesteding").count() == 1
    assert page.locator("select[name=aanbieder]").count() == 0
    page.locator("select[name=voorziening]").select_option("dagbegeleiding")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"voorziening=dagbegeleiding"))
    page.wait_for_function(
        "document.querySelector('#kwartaal-kop').textContent.includes('Dagbegeleiding')"
    )
    assert tile_value(page, "clients_in_care") == "88 cliënten"
    page.wait_for_selector('canvas[data-chart-id="wijk-wachttijd"][data-drawn="true"]')
    assert_accessible()


def test_period_choice_for_a_year_with_the_yearly_trend_apart(page, login, assert_accessible,
                                                              stored):  # fmt: skip
    IndicatorValue.objects.bulk_create([
        IndicatorValue(quarter="2025", level="system", level_key="all",
                       indicator="clients_in_care", value=Decimal(3120)),
        IndicatorValue(quarter="2025", level="system", level_key="all",
                       indicator="bt_clients", value=Decimal(10450)),
    ])  # fmt: skip
    login("contract_manager")
    page.goto("/dashboard/?kwartaal=2026Q3")
    page.locator("select[name=periode]").select_option("2025")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"periode=2025$"))
    page.wait_for_function(
        "document.querySelector('#kwartaal-kop').textContent.includes('Jaar 2025')"
    )
    assert tile_value(page, "clients_in_care") == "3.120 cliënten"
    figure = page.locator(
        "figure", has=page.locator('canvas[data-chart-id="jaartrend-bt_clients"]')
    )
    figure.locator("summary", has_text="Tabel bij deze grafiek").click()
    rows = figure.locator("tbody th").all_inner_texts()
    assert rows == ["2020 (nulmeting)", "2021 (nulmeting)", "2022 (nulmeting)", "2025"]
    page.wait_for_selector('canvas[data-chart-id="jaartrend-bt_clients"][data-drawn="true"]')
    assert_accessible()


# A real Celery worker: with the worker tests beside the xdist processes (tests/harness/suite.sh).
@pytest.mark.celery_worker
def test_recompute_shows_progress_until_done_and_reloads_the_figures(
    page, login, assert_accessible, test_database_name
):
    from tests.indicators.scenario import build

    _require_worker_services()
    build()
    IndicatorValue.objects.create(quarter="2026Q3", level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(1234))  # fmt: skip
    # A queue of its own, so only this slowed-down worker takes the job.
    previous = set_celery_conf(task_always_eager=False, task_default_queue="dashboard-e2e")
    worker = start_worker(test_database_name, "dashboard", queue="dashboard-e2e",
                          INDICATORS_STEP_DELAY="0.5")  # fmt: skip
    try:
        login("contract_manager")
        page.goto("/dashboard/?kwartaal=2026Q3")
        assert tile_value(page, "clients_in_care") == "1.234 cliënten"
        page.get_by_role("button", name="2026Q3 opnieuw berekenen").click()
        progress = page.locator("#herberekening progress")
        progress.wait_for()
        assert progress.get_attribute("max") == "100"
        label = page.locator("#herberekening label").inner_text()
        assert label.startswith("Berekening 2026Q3:")
        seen = set()
        for _ in range(150):
            status = page.locator("#herberekening .dash-run").get_attribute("data-status")
            seen.add((status, progress.get_attribute("value")))
            if status == "done":
                break
            page.wait_for_timeout(100)
        assert ("done", "100") in seen, seen
        assert any(s in ("queued", "running") for s, _ in seen), seen
        # The figures reload by themselves: the scenario has 3 clients in care in 2026Q3.
        page.wait_for_function(
            'document.querySelector(\'article[data-indicator="clients_in_care"] '
            ".dash-tile__value').textContent.trim() === '3 cliënten'"
        )
        assert "Klaar op" in page.locator("#herberekening").inner_text()
        assert_accessible()
    finally:
        stop_worker(worker)
        set_celery_conf(**previous)


def test_filters_work_without_javascript(browser, live_server, user_for, stored):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **CONTEXT)
    page = context.new_page()
    try:
        user = user_for("contract_manager")
        page.goto("/account/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill("Geheim-wachtwoord-1")
        page.get_by_role("button", name="Inloggen").click()
        page.goto("/dashboard/?kwartaal=2026Q3")
        page.locator("select[name=wijk]").select_option(WEST)
        page.get_by_role("button", name="Tonen").click()
        page.wait_for_url(re.compile(r"wijk=WK034401"))
        assert tile_value(page, "clients_in_care") == "456 cliënten"
        # Every chart's data is on the page as a table and a sentence, also without scripts.
        assert page.locator("canvas[data-chart-id]").count() == page.locator(
            ".dash-chart__summary"
        ).count()  # fmt: skip
    finally:
        context.close()
