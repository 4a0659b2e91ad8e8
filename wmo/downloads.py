"""Every file the app hands out goes through here: CSV and XLSX tables, PDF and other files, their
names and their Content-Disposition header.

Formula neutralising (OWASP "CSV injection"). A spreadsheet program runs a cell that starts with
`=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)` in a provider's name becomes a live link), and
a tab or carriage return at the start can smuggle one past a first check. In CSV every text cell
that could start a formula gets a leading `'`: it shows, and the cell is read as text. In XLSX
such a cell keeps its text exactly (a referral number `=1+2` stays `=1+2`, not `'=1+2`): it is
stored as text, which no spreadsheet runs, with Excel's quote-prefix mark, so editing the cell
keeps it text. Decisions, tested in tests/wmo/test_downloads.py:
- Numbers (int, float, Decimal) are written as numbers and never touched.
- Text that is only a number as the pages show it (`-3,5`, `-1.234`, `+2,1 %`, `-3.5`) is left
  as it is: a spreadsheet reads it as a number, never as a formula, and the dashboards' CSV
  writes its figures as such text. Anything else after the sign (`-2+3`) is neutralised.
- Leading white space does not hide a trigger: ` =1+1` is neutralised too (some programs trim).
- A real minus sign (`−3`, U+2212) is no trigger: no spreadsheet reads it as a formula.
- In XLSX a text cell is always stored as text: never a formula (openpyxl would make one of any
  string starting with `=`) and never an error value (`#N/A`); characters XML cannot hold are
  dropped so a stray control character cannot break the download.

CSV styles: `SPREADSHEET` (the pages' downloads) is what Dutch Excel opens by a double click —
`;`-separated UTF-8 with a BOM, decimal commas, CRLF line ends (RFC 4180). `PLAIN` is the
indicator export of INDICATORS.md (`manage.py export_indicators`): `,`-separated, `.` decimals,
no BOM, `\\n` line ends, the format acceptance checks read. In both, a field holding a line
break is quoted (the csv module alone would leave a lone carriage return bare under `\\n`).
"""

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"

# --- formula neutralising ------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
# A figure as the pages and exports write it: a sign, digits with `.`/`,` marks, maybe ` %`.
NUMBER_TEXT = re.compile(r"[+-]?\d[\d.,]*(?:\s?%)?")


def neutralise(text: str) -> str:
    """A text cell as it may go into a CSV or XLSX file: a leading `'` where a spreadsheet could
    read it as a formula (see the module docstring); any other text unchanged."""
    if not text:
        return text
    if text.startswith(CONTROL_STARTS):
        return "'" + text
    stripped = text.lstrip()
    if stripped.startswith(FORMULA_STARTS) and not NUMBER_TEXT.fullmatch(stripped):
        return "'" + text
    return text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _local(value: datetime.datetime) -> datetime.datetime:
    """Spreadsheets know no time zones: an aware moment as the local wall-clock time."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


# --- file names ----------------------------------------------------------------------------------


def download_name(*parts, ext: str) -> str:
    """`download_name("indicatoren", "2026Q3", ext="csv")` -> `indicatoren_2026Q3.csv`; empty
    parts (None, "") are left out, so an optional suffix needs no `if`."""
    stem = "_".join(str(part) for part in parts if part not in (None, ""))
    return f"{stem}.{ext}"


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\"]+')
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str, attachment: bool = True) -> str:
    """The header for a file name: plain `filename="…"` when it is plain ASCII; otherwise an
    ASCII fallback plus `filename*` (RFC 5987/6266) with the name in UTF-8. Path separators,
    quotes and control characters never reach the header."""
    name = _UNSAFE.sub("_", filename).strip(" .") or "download"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = _NOT_ASCII_SAFE.sub("_", ascii_name).strip("_.") or "download"
    header = f'{"attachment" if attachment else "inline"}; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def file_response(content: bytes | str, content_type: str, filename: str | None = None,
                  attachment: bool = True) -> HttpResponse:  # fmt: skip
    """A whole file in memory, named by `filename` (None: no name, shown inline)."""
    response = HttpResponse(content, content_type=content_type)
    if filename is not None:
        response["Content-Disposition"] = content_disposition(filename, attachment)
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, PDF_TYPE, filename)


# --- CSV -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvStyle:
    delimiter: str
    decimal_comma: bool
    bom: bool
    lineterminator: str


SPREADSHEET = CsvStyle(delimiter=";", decimal_comma=True, bom=True, lineterminator="\r\n")
PLAIN = CsvStyle(delimiter=",", decimal_comma=False, bom=False, lineterminator="\n")


def csv_cell(value, style: CsvStyle = SPREADSHEET) -> str:
    """One value as CSV text: numbers as numbers (decimal comma in SPREADSHEET), dates as ISO
    8601, None empty, any text neutralised."""
    if value is None:
        return ""
    if _is_number(value):
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        return text.replace(".", ",") if style.decimal_comma else text
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


class _Line:
    """A csv writer's target that hands back the line instead of storing it (for streaming)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Sequence], style: CsvStyle = SPREADSHEET) -> Iterator[str]:
    """The file as lines of text, the BOM (if any) in front of the first: built one row at a
    time, so a large set streams."""
    options = {"delimiter": style.delimiter, "lineterminator": style.lineterminator}
    writer = csv.writer(_Line(), **options)
    # The csv module quotes a field with a line break only if the break is in lineterminator: a
    # lone carriage return under `\n` line ends would split the row for every reader.
    quote_cr = "\r" not in style.lineterminator
    quoting_all = csv.writer(_Line(), quoting=csv.QUOTE_ALL, **options)
    prefix = "\ufeff" if style.bom else ""
    for row in rows:
        cells = [csv_cell(value, style) for value in row]
        line_writer = quoting_all if quote_cr and any("\r" in cell for cell in cells) else writer
        yield prefix + line_writer.writerow(cells)
        prefix = ""


def write_csv(out, rows: Iterable[Sequence], style: CsvStyle = PLAIN) -> int:
    """Write the rows to a text stream (a file, stdout); the number of rows written."""
    count = 0
    for line in csv_lines(rows, style):
        out.write(line)
        count += 1
    return count


def csv_response(rows: Iterable[Sequence], filename: str, style: CsvStyle = SPREADSHEET,
                 stream: bool = False) -> HttpResponse | StreamingHttpResponse:  # fmt: skip
    """A CSV download; `stream=True` for a set that can be large (rows read while sending)."""
    if stream:
        response = StreamingHttpResponse(csv_lines(rows, style), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition(filename)
        return response
    return file_response("".join(csv_lines(rows, style)), CSV_TYPE, filename)


# --- XLSX ----------------------------------------------------------------------------------------

_SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def xlsx_cell(value):
    """One value as openpyxl should store it: numbers as numbers, dates as dates, text without
    the characters XML cannot hold (write_xlsx keeps it text)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, bool | int | float | datetime.date | datetime.time):
        return _local(value) if isinstance(value, datetime.datetime) else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def write_xlsx(target, rows: Iterable[Sequence], sheet_title: str) -> int:
    """Write the rows as one sheet to a path or binary file (openpyxl write-only: rows go to disk
    as they come); the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    def cell(value):
        value = xlsx_cell(value)
        if not isinstance(value, str):
            return value
        formula_like = neutralise(value) != value
        if formula_like or value in ERROR_CODES:
            # openpyxl makes a formula of a string starting with `=` and an error value of
            # `#N/A` and the like: stored as text instead, a formula-like one quote-prefixed.
            text = WriteOnlyCell(sheet, value)
            text.data_type = "s"
            text.quotePrefix = formula_like
            return text
        return value

    workbook = Workbook(write_only=True)
    title = _SHEET_TITLE_UNSAFE.sub(" ", sheet_title)[:31].strip()
    sheet = workbook.create_sheet(title or "Blad1")
    count = 0
    for row in rows:
        sheet.append([cell(value) for value in row])
        count += 1
    workbook.save(target)
    return count


def write_table(
    command,
    rows: Iterable[Sequence],
    fmt: str,
    output: str | None,
    default_xlsx: str,
    sheet_title: str,
) -> None:
    """What an export command writes: CSV to `output` or standard output, or a workbook to
    `output` (default `default_xlsx`) with the row count on standard error."""
    if fmt == "csv":
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                write_csv(out, rows)
        else:
            write_csv(command.stdout, rows)
        return
    path = output or default_xlsx
    count = write_xlsx(path, rows, sheet_title)
    command.stderr.write(rows_written(count, path))


def rows_written(count: int, path) -> str:
    """What an export command says after writing a workbook."""
    return f"{count} {'rij' if count == 1 else 'rijen'} geschreven naar {path}."


def xlsx_response(rows: Iterable[Sequence], filename: str, sheet_title: str) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, sheet_title)
    return file_response(buffer.getvalue(), XLSX_TYPE, filename)


# --- a table as CSV or XLSX -----------------------------------------------------------------------

TABLE_FORMATS = ("csv", "xlsx")


def refused(reasons: Iterable[str]) -> HttpResponse:
    """A download refused for its parameters: 400 with one line per parameter ("kwartaal: …"),
    as plain text a browser shows in place of the file. Never a file of another choice (the
    default period) under a name that looks like the one asked for."""
    return HttpResponseBadRequest("\n".join(reasons), content_type="text/plain; charset=utf-8")


def table_response(fmt: str, rows: Iterable[Sequence], *, name: Sequence, sheet_title: str,
                   stream: bool = False) -> HttpResponse | StreamingHttpResponse:  # fmt: skip
    """A table (header rows first) as `fmt` ("csv" or "xlsx"), named `download_name(*name)`;
    `stream` streams the CSV of a large set (an XLSX is built whole: a zip needs its end)."""
    filename = download_name(*name, ext=fmt)
    if fmt == "xlsx":
        return xlsx_response(rows, filename, sheet_title)
    if fmt != "csv":
        raise ValueError(f"Onbekend formaat {fmt!r}: kies uit {', '.join(TABLE_FORMATS)}.")
    return csv_response(rows, filename, stream=stream)
