"""wmo/imports/: reading, parsing helpers, header check, all-or-nothing and upsert."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from wmo.imports.database import copy_rows
from wmo.imports.framework import Importer
from wmo.imports.parsing import parse_bool, parse_date, parse_decimal, parse_int
from wmo.imports.problems import ImportProblem, ImportResult, RowError, RowErrors
from wmo.imports.reading import DATE, IDENTIFIER, Column, read_rows, sniff_delimiter


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("a,b,c") == ","
    assert sniff_delimiter("agb_code;name;kvk") == ";"


@pytest.mark.parametrize("raw", ["2026-03-01", "01-03-2026", "1-3-2026", "01/03/2026",
                                 "2026-03-01T00:00:00", "01.03.2026"])  # fmt: skip
def test_parse_date_formats(raw):
    assert parse_date(raw) == datetime.date(2026, 3, 1)


def test_parse_date_errors_in_dutch():
    assert parse_date("") is None
    with pytest.raises(ValueError, match="Dit veld is verplicht."):
        parse_date("", required=True)
    with pytest.raises(ValueError, match="Ongeldige datum: gebruik JJJJ-MM-DD of DD-MM-JJJJ."):
        parse_date("maart 2026")
    with pytest.raises(ValueError, match="Deze datum bestaat niet."):
        parse_date("31-02-2026")


@pytest.mark.parametrize("raw,expected", [("true", True), ("1", True), ("JA", True),
                                          ("false", False), ("0", False), ("nee", False),
                                          ("", None)])  # fmt: skip
def test_parse_bool(raw, expected):
    assert parse_bool(raw) is expected


def test_parse_bool_error():
    with pytest.raises(ValueError, match="gebruik true/false, 1/0 of ja/nee"):
        parse_bool("misschien")


def test_parse_int_and_decimal():
    assert parse_int("") is None
    assert parse_int("42") == 42
    with pytest.raises(ValueError, match="Geen geheel getal."):
        parse_int("4,2")
    with pytest.raises(ValueError, match="minstens 1"):
        parse_int("0", minimum=1)
    assert parse_decimal("12.345,67") == Decimal("12345.67")
    assert parse_decimal("€ 1000.5") == Decimal("1000.5")
    with pytest.raises(ValueError, match="Geen geldig bedrag"):
        parse_decimal("veel")


def test_read_csv_with_bom_and_semicolons():
    data = "\ufeffA;B\n1;x\n\n2; y \n".encode()
    header, rows = read_rows(data)
    assert header == ["a", "b"]
    assert list(rows) == [(2, ["1", "x"]), (3, []), (4, ["2", "y"])]


def test_read_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "datum", "getal"])
    sheet.append(["X", datetime.date(2026, 1, 2), 12345678])
    buffer = io.BytesIO()
    workbook.save(buffer)
    header, rows = read_rows(buffer.getvalue(), "bestand.xlsx")
    assert header == ["code", "datum", "getal"]
    assert list(rows) == [(2, ["X", "2026-01-02", "12345678"])]


def test_read_xlsx_typed_cells_by_column_kind():
    """Number cells of fixed-length codes get their leading zeros back, other numbers lose only
    the '.0'; a date column takes date cells, datetime cells and Excel day numbers."""
    columns = [Column("bsn", kind=IDENTIFIER, digits=9), Column("agb", kind=IDENTIFIER, digits=8),
               Column("id", kind=IDENTIFIER), Column("datum", kind=DATE), Column("tekst")]  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["bsn", "agb", "id", "datum", "tekst"])
    sheet.append([12345672, 1234567.0, 42.0, 46083, 46083])
    sheet.append(["012345672", "01234567", "0042", datetime.datetime(2026, 3, 2, 14, 5), 1.5])
    sheet.append([123456789012, -5, 7, 0, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    header, rows = read_rows(buffer.getvalue(), "bestand.xlsx", columns)
    assert list(rows) == [
        (2, ["012345672", "01234567", "42", "2026-03-02", "46083"]),
        (3, ["012345672", "01234567", "0042", "2026-03-02", "1.5"]),
        (4, ["123456789012", "-5", "7", "0", ""]),  # no plausible code or day: reported later
    ]


def test_masked_columns_never_echo_the_value():
    assert Column("bsn").mask("111222334") == "*****2334"
    assert Column("bsn").mask("1234") == "****"
    assert Column("bsn").mask("") == ""
    assert Column("code", masked=True).mask("ABCDEFGH") == "****EFGH"
    assert Column("code").mask("111222334") == "111222334"


class GroupImporter(Importer):
    """A toy importer on Django's auth Group model (name is the id column)."""

    from django.contrib.auth.models import Group as model

    id_column = "name"
    id_field = "name"
    columns = ["name", Column("size", required=False), "since"]

    def validate_row(self, row):
        errors = RowErrors()
        errors.call(parse_int, row, "size", minimum=1)
        errors.call(parse_date, row, "since", required=True)
        if row["name"].startswith("x"):
            errors.add("name", "Namen met een x zijn niet toegestaan.")
        errors.raise_if_any()
        if row["name"] == "boom":
            raise RowError("name", "Eén fout.")
        return {"name": row["name"]}


@pytest.mark.django_db
def test_all_or_nothing_collects_every_problem():
    from django.contrib.auth.models import Group

    before = Group.objects.count()
    data = (
        b"name,size,since\nalpha,2,2026-01-01\nxray,nul,\nboom,1,01-01-2026\nalpha,1,2026-01-01\n"
    )
    result = GroupImporter().run(data)
    assert not result.ok
    assert Group.objects.count() == before
    assert result.problems == [
        ImportProblem(3, "size", "nul", "Geen geheel getal."),
        ImportProblem(3, "since", "", "Dit veld is verplicht."),
        ImportProblem(3, "name", "xray", "Namen met een x zijn niet toegestaan."),
        ImportProblem(4, "name", "boom", "Eén fout."),
        ImportProblem(5, "name", "alpha", "Deze waarde staat ook op regel 2; elke name mag maar "
                                          "één keer in het bestand voorkomen."),
    ]  # fmt: skip
    assert result.summary.startswith("Import afgebroken: 5 problemen gevonden in 4 rijen.")
    assert "Regel 3, kolom 'size' (waarde 'nul'): Geen geheel getal." in result.report


@pytest.mark.django_db
def test_missing_columns_named_in_dutch():
    result = GroupImporter().run(b"naam;size\nalpha;1\n")
    assert not result.ok
    assert result.problems[0].message.startswith("De kopregel mist de kolommen 'name', 'since'.")


@pytest.mark.django_db
def test_empty_and_unreadable_files():
    assert GroupImporter().run(b"").problems[0].message == "Het bestand is leeg (0 bytes)."
    assert GroupImporter().run(b"name,since\n").problems[0].message == (
        "Het bestand bevat alleen een kopregel, geen gegevensrijen."
    )
    assert (
        "geen UTF-8" in GroupImporter().run("name,since\né,1".encode("latin-1")).problems[0].message
    )
    assert "kan niet worden gelezen" in GroupImporter().run(b"PK\x03\x04rommel").problems[0].message


@pytest.mark.django_db
def test_upsert_counts_and_dry_run():
    from django.contrib.auth.models import Group

    data = b"name,since\nalpha,2026-01-01\nbeta,2026-01-01\n"
    dry = GroupImporter().run(data, dry_run=True)
    assert dry.ok and dry.summary == (
        "Controle geslaagd (niets opgeslagen): 2 rijen gelezen; 2 nieuw, 0 gewijzigd, 0 ongewijzigd."
    )  # counted as the import would, not 0 / 0 / 0
    assert not Group.objects.filter(name__in=["alpha", "beta"]).exists()
    first = GroupImporter().run(data)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    second = GroupImporter().run(data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    again = GroupImporter().run(data + b"gamma,2026-01-01\n", dry_run=True)
    assert (again.created, again.updated, again.unchanged) == (1, 0, 2)
    assert not Group.objects.filter(name="gamma").exists()
    assert (
        second.summary == "Import geslaagd: 2 rijen gelezen; 0 nieuw, 0 gewijzigd, 2 ongewijzigd."
    )


class SecretImporter(GroupImporter):
    """With a BSN column that is checked, and a rule on the stored records."""

    columns = ["name", Column("bsn", required=False), Column("since", required=False)]

    def validate_row(self, row):
        if row["bsn"] and row["bsn"] != "111222333":
            raise RowError("bsn", "Dit is geen geldig BSN (de elfproef klopt niet).")
        if row["name"] == "dubbel":
            raise RowError("bsn", "Fout.", value=row["bsn"])  # a value given by the importer
        return {"name": row["name"]}

    def check_stored(self, rows):
        from django.contrib.auth.models import Group

        taken = set(Group.objects.filter(name__in=[r["name"] for _, r in rows])
                    .values_list("name", flat=True))  # fmt: skip
        return [(line, RowError("name", "Bestaat al.")) for line, r in rows if r["name"] in taken]


@pytest.mark.django_db
def test_report_masks_bsn_values_everywhere_and_checks_stored_records():
    from django.contrib.auth.models import Group

    Group.objects.create(name="bestaand")
    data = b"name,bsn\nalpha,111222334\nbestaand,\ndubbel,111222333\nbeta,111222333\n"
    result = SecretImporter().run(data)
    assert [(p.line, p.column, p.value, p.message) for p in result.problems] == [
        (2, "bsn", "*****2334", "Dit is geen geldig BSN (de elfproef klopt niet)."),
        (3, "name", "bestaand", "Bestaat al."),
        (4, "bsn", "*****2333", "Fout."),
    ]
    assert "111222334" not in result.report and "111222333" not in result.report
    assert not Group.objects.filter(name="beta").exists()


class RecordingImporter(GroupImporter):
    """Keeps what `written` is told."""

    columns = ["name", "since"]

    def validate_row(self, row):
        return {"name": row["name"]}

    def save(self, cleaned_rows):
        self.calls = []
        return self.upsert(cleaned_rows)

    def written(self, created, updated):
        self.calls.append((created, updated))


@pytest.mark.django_db
def test_written_hook_gets_new_and_changed_rows_with_their_pks():
    from django.contrib.auth.models import Group

    importer = RecordingImporter()
    assert importer.run(b"name,since\nalpha,2026-01-01\nbeta,2026-01-01\n").created == 2
    ((created, updated),) = importer.calls
    pks = dict(Group.objects.values_list("name", "pk"))
    assert created == [(pks["alpha"], {"name": "alpha"}), (pks["beta"], {"name": "beta"})]
    assert updated == []


@pytest.mark.django_db
def test_copy_rows_writes_plain_values():
    from django.contrib.auth.models import Group

    copy_rows(Group, ["name"], [("copy-een",), ("copy-twee",)])
    assert set(Group.objects.filter(name__startswith="copy-").values_list("name", flat=True)) == {
        "copy-een", "copy-twee"}  # fmt: skip


@pytest.mark.django_db
def test_large_create_and_update_go_the_bulk_way_and_count_right():
    """150 new rows (COPY with ids drawn beforehand on PostgreSQL) and then 150 changed rows
    (a joined UPDATE): stored values and counts as for a small file."""
    from providers.models import Provider
    from wmo.quality.imports import ComplaintImporter
    from wmo.quality.models import Complaint

    Provider.objects.create(agb_code="13063077", name="Aanbieder", kind="care_provider")
    header = "complaint_id,provider_agb,service_type,district,received_date,resolved_date\n"
    first = header + "".join(f"K{i:03d},13063077,dagbegeleiding,WK034401,2026-01-05,\n"
                             for i in range(150))  # fmt: skip
    assert ComplaintImporter().run(first.encode()).created == 150
    pks = dict(Complaint.objects.values_list("external_id", "pk"))
    later = header + "".join(
        f"K{i:03d},13063077,dagbegeleiding,WK034401,2026-01-05,{'2026-02-0' + str(i % 9 + 1)}\n"
        for i in range(150)
    )
    result = ComplaintImporter().run(later.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 150, 0)
    assert dict(Complaint.objects.values_list("external_id", "pk")) == pks
    assert str(Complaint.objects.get(external_id="K010").resolved_date) == "2026-02-02"
    assert Complaint.objects.filter(resolved_date__isnull=True).count() == 0
    assert ComplaintImporter().run(later.encode()).unchanged == 150


@pytest.mark.parametrize(
    ("rows", "summary"),
    [
        (1, "Import geslaagd: 1 rij gelezen; 1 nieuw, 0 gewijzigd, 0 ongewijzigd."),
        (2, "Import geslaagd: 2 rijen gelezen; 1 nieuw, 0 gewijzigd, 0 ongewijzigd."),
    ],
)
def test_the_summary_counts_rows_in_dutch(rows, summary):
    assert ImportResult(rows=rows, created=1).summary == summary
    refused = ImportResult(rows=rows)
    refused.add(ImportProblem(2, "bsn", "x", "Dit is geen geldig BSN."))
    noun = "rij" if rows == 1 else "rijen"
    assert refused.summary.startswith(f"Import afgebroken: 1 probleem gevonden in {rows} {noun}.")
