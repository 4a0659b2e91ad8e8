"""An upload in the browser: the file goes in, the job page shows progress (a labelled
<progress> and a live status, moved by static/js/import-job.js) and then the report in place,
all without accessibility violations."""

import pytest

from wmo.imports.models import ImportJob

pytestmark = pytest.mark.django_db(transaction=True)

PROVIDERS = (
    "agb_code,name,kvk,kind,size\n"
    "63003158,Voorbeeldaanbieder 1,13818675,care_provider,large\n"
    "1234,Kapotte code,,welfare,\n"
)


def test_an_upload_leads_to_its_report(page, login, assert_accessible):
    login("contract_manager")
    page.goto("/aanbieders/importeren/")
    assert_accessible()
    page.get_by_label("Bestand").set_input_files(
        {"name": "aanbieders.csv", "mimeType": "text/csv", "buffer": PROVIDERS.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()
    job = ImportJob.objects.get()
    assert page.url.endswith(f"/importen/{job.pk}/")
    report = page.locator("#importverslag")
    assert "Import afgebroken: 1 probleem gevonden in 2 rijen." in report.inner_text()
    row = page.locator("#importproblemen tbody tr").first
    assert row.locator("td").all_inner_texts() == [
        "3", "agb_code", "1234", "Een AGB-code bestaat uit precies 8 cijfers."]  # fmt: skip
    assert page.get_by_role("link", name="Problemen downloaden (CSV)").is_visible()
    assert_accessible()


def test_the_progress_bar_follows_the_job_and_the_report_appears_in_place(
    page, login, assert_accessible
):
    user = login("contract_manager")
    job = ImportJob.objects.create(
        kind="referrals", title="Verwijzingen importeren", importer="x.Importer",
        file_name="verwijzingen.csv", file_size=2_000_000, sha256="a" * 64, user=user,
        status="running", stage="check", progress=20, rows_processed=12_000,
    )  # fmt: skip
    page.goto(f"/importen/{job.pk}/")
    bar = page.get_by_label("Voortgang van de import")
    assert bar.evaluate("el => el.tagName") == "PROGRESS" and bar.get_attribute("value") == "20"
    status = page.locator("#importstatus")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == "Bezig met controleren: 12.000 rijen gecontroleerd (20 %)."
    assert page.get_by_role("link", name="Status vernieuwen").is_visible()  # works without JS
    assert_accessible()
    page.evaluate("window.zelfdePagina = true")
    ImportJob.objects.filter(pk=job.pk).update(stage="save", progress=70, rows_processed=9_000)
    page.wait_for_function("document.getElementById('importvoortgang').value === 70")
    assert status.inner_text() == "Bezig met opslaan: 9.000 rijen verwerkt (70 %)."
    summary = "Import geslaagd: 18.000 rijen gelezen; 17.990 nieuw, 10 gewijzigd, 0 ongewijzigd."
    ImportJob.objects.filter(pk=job.pk).update(
        status="done", stage="", progress=100, rows=18_000, rows_processed=18_000,
        new_rows=17_990, changed_rows=10, summary=summary,
    )  # fmt: skip
    page.wait_for_selector("#importverslag")
    assert status.inner_text() == summary
    assert bar.get_attribute("value") == "100"
    assert summary in page.locator("#importverslag").inner_text()
    assert page.evaluate("window.zelfdePagina === true")  # put in place, not reloaded
    assert page.get_by_role("link", name="Status vernieuwen").count() == 0
    assert_accessible()
