"""import_providers: the sample file, all-or-nothing, idempotent, XLSX, command and upload page."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from providers.imports import ProviderImporter
from providers.models import Provider
from providers.services import provider_size

pytestmark = pytest.mark.django_db

SAMPLE = Path("/work/shared/domain/samples/providers.csv")
CSV = (
    "agb_code,name,kvk,kind,size\n"
    "63003158,Voorbeeldaanbieder 1,13818675,care_provider,large\n"
    "75039087,Voorbeeldaanbieder 4,13213188,resident_org,small\n"
    "76126508,Voorbeeldaanbieder 13,,welfare,\n"
)


def snapshot():
    return sorted(Provider.objects.values_list("agb_code", "name", "kvk_number", "kind",
                                               "size_override", "active"))  # fmt: skip


def test_import_and_idempotent():
    first = ProviderImporter().run(CSV.encode())
    assert first.ok, first.report
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    before = snapshot()
    second = ProviderImporter().run(CSV.encode())
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert snapshot() == before
    provider = Provider.objects.get(agb_code="76126508")
    assert provider.kvk_number == "" and provider.size_override == ""


def test_semicolon_bom_variant_gives_same_result():
    ProviderImporter().run(CSV.encode())
    before = snapshot()
    variant = "\ufeff" + CSV.replace(",", ";").replace("\n", "\r\n")
    result = ProviderImporter().run(variant.encode("utf-8"))
    assert result.ok, result.report
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_xlsx_import():
    workbook = Workbook()
    sheet = workbook.active
    for line in CSV.strip().split("\n"):
        cells = line.split(",")
        sheet.append([int(c) if c.isdigit() and len(c) == 8 else (c or None) for c in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = ProviderImporter().run(buffer.getvalue(), "aanbieders.xlsx")
    assert result.ok, result.report
    assert result.created == 3
    assert Provider.objects.get(agb_code="63003158").kvk_number == "13818675"


def test_xlsx_number_cells_get_their_leading_zeros_back():
    """Excel drops the leading zero of an AGB code or KvK number typed as a number; the
    importer pads them to their fixed 8 digits (a 7-digit code would otherwise be refused)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["agb_code", "name", "kvk", "kind", "size"])
    sheet.append([1234567, "Nul Voorop", 7654321, "welfare", None])
    sheet.append([12345678.0, "Geen Nul", None, "care_provider", "small"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = ProviderImporter().run(buffer.getvalue(), "aanbieders.xlsx")
    assert result.ok, result.report
    assert snapshot() == [("01234567", "Nul Voorop", "07654321", "welfare", "", True),
                          ("12345678", "Geen Nul", "", "care_provider", "small", True)]  # fmt: skip


def test_all_or_nothing_with_dutch_report():
    bad = CSV + "1234,Kapot,123,bank,groot\n63003158,Dubbel,,welfare,\n"
    result = ProviderImporter().run(bad.encode())
    assert not result.ok
    assert Provider.objects.count() == 0
    lines = [str(p) for p in result.problems]
    assert (
        "Regel 5, kolom 'agb_code' (waarde '1234'): Een AGB-code bestaat uit precies 8 cijfers."
        in lines
    )
    assert (
        "Regel 5, kolom 'kvk' (waarde '123'): Een KvK-nummer bestaat uit precies 8 cijfers."
        in lines
    )
    assert any(line.startswith("Regel 5, kolom 'kind' (waarde 'bank')") for line in lines)
    assert any(line.startswith("Regel 5, kolom 'size' (waarde 'groot')") for line in lines)
    assert any(line.startswith("Regel 6, kolom 'agb_code'") and "regel 2" in line for line in lines)


def test_later_file_corrects_and_size_override():
    ProviderImporter().run(CSV.encode())
    corrected = CSV.replace("Voorbeeldaanbieder 4,13213188,resident_org,small",
                            "Bewonersorganisatie Vier,13213188,resident_org,large")  # fmt: skip
    result = ProviderImporter().run(corrected.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    provider = Provider.objects.get(agb_code="75039087")
    assert provider.name == "Bewonersorganisatie Vier"
    assert provider_size(provider, 2026) == "large"  # the file's size overrides the derived one
    assert provider_size(Provider.objects.get(agb_code="76126508"), 2026) == "small"  # derived


def test_sample_file_imports():
    result = ProviderImporter().run(SAMPLE.read_bytes(), SAMPLE.name)
    assert result.ok, result.report
    assert result.created == 14


def test_command_success_and_failure(tmp_path, capsys):
    good = tmp_path / "aanbieders.csv"
    good.write_text(CSV, encoding="utf-8")
    call_command("import_providers", str(good))
    assert "Import geslaagd: 3 rijen gelezen; 3 nieuw" in capsys.readouterr().out
    bad = tmp_path / "fout.csv"
    bad.write_text(CSV.replace("63003158", "6300315X"), encoding="utf-8")
    with pytest.raises(CommandError, match="Import afgebroken: 1 probleem gevonden"):
        call_command("import_providers", str(bad))
    assert "Regel 2, kolom 'agb_code' (waarde '6300315X')" in capsys.readouterr().err


def test_command_exit_status_is_1(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "fout.csv"
    bad.write_text("agb_code,name\n1,X\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_providers", str(bad)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2],
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "wmo.settings.test"},
    )  # fmt: skip
    assert completed.returncode == 1
    assert "De kopregel mist de kolommen 'kvk', 'kind', 'size'" in completed.stderr


def test_upload_goes_to_the_job_page_with_the_report(contract_manager_client,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    """An upload becomes a job, sent once its row is committed (here: run in-process, as in
    the embedded default) and the browser goes on to the job's page, which shows the report."""
    upload = SimpleUploadedFile("aanbieders.csv", (CSV + "1,X,,welfare,\n").encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/aanbieders/importeren/", {"file": upload})
    assert response.status_code == 302 and response["Location"].startswith("/importen/")
    html = contract_manager_client.get(response["Location"]).content.decode()
    assert "Import afgebroken: 1 probleem gevonden in 4 rijen." in html
    assert "Een AGB-code bestaat uit precies 8 cijfers." in html
    assert Provider.objects.count() == 0
    upload = SimpleUploadedFile("aanbieders.csv", CSV.encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = contract_manager_client.post("/aanbieders/importeren/", {"file": upload})
    assert "Import geslaagd: 3 rijen gelezen; 3 nieuw, 0 gewijzigd, 0 ongewijzigd." in (
        contract_manager_client.get(response["Location"]).content.decode()
    )
    assert Provider.objects.count() == 3


def test_upload_page_rejects_other_files(contract_manager_client):
    upload = SimpleUploadedFile("aanbieders.pdf", b"%PDF", "application/pdf")
    response = contract_manager_client.post("/aanbieders/importeren/", {"file": upload})
    assert "Kies een .csv- of .xlsx-bestand." in response.content.decode()


def test_upload_forbidden_for_council(council_client):
    from wmo.imports.models import ImportJob

    upload = SimpleUploadedFile("aanbieders.csv", CSV.encode(), "text/csv")
    assert council_client.post("/aanbieders/importeren/", {"file": upload}).status_code == 403
    assert Provider.objects.count() == 0
    assert not ImportJob.objects.exists()


def test_queries_do_not_grow_per_row(django_assert_max_num_queries):
    rows = ["agb_code,name,kvk,kind,size"] + [
        f"{10000000 + i},Aanbieder {i},{20000000 + i},care_provider," for i in range(3000)
    ]
    data = "\n".join(rows).encode()
    with django_assert_max_num_queries(50):  # chunked lookups and bulk writes, never per row
        result = ProviderImporter().run(data)
    assert result.created == 3000
    with django_assert_max_num_queries(10):
        assert ProviderImporter().run(data).unchanged == 3000


def test_a_formula_without_a_computed_value_is_named_as_such(db):
    """openpyxl (and other programs that do not calculate) write a formula without its value:
    read as empty it was 'Dit veld kan niet leeg zijn', which sends the user looking elsewhere."""
    from wmo.imports.problems import ImportProblem

    book = Workbook()
    book.active.append(["agb_code", "name", "kvk", "kind", "size"])
    book.active.append(["63003158", "=1+2", "13818675", "care_provider", "large"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = ProviderImporter().run(buffer.getvalue(), "aanbieders.xlsx")
    assert result.problems == [ImportProblem(2, "name", "=1+2", (
        "Deze cel bevat een formule zonder berekende waarde; formules worden niet uitgerekend. "
        "Open het bestand in Excel en sla het op (dan staat de uitkomst erin), of vul de waarde "
        "zelf in."
    ))]  # fmt: skip
