"""Reading a file as a stream of rows: CSV (UTF-8, `,` or `;`) line by line from disk, XLSX with
openpyxl in read-only mode; never the whole file in memory.

`inspect_file` decides what a file is and applies the limits of the whole file; `open_table`
gives its header and an iterator of rows, each as (line number, cells, checked): `checked`
says the reader already knows no cell of the row is too long or holds a control character, so
the framework need not look at each cell (the common case, and the fast one)."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import itertools
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .limits import (
    CONTROL_CHARACTERS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    FileRefused,
    check_size,
    check_xlsx_directory,
    check_xlsx_unpacked,
    is_zip,
    thousands,
)
from .problems import ImportFileError
from .sheet_rows import sheet_rows

TEXT, IDENTIFIER, DATE = "text", "identifier", "date"
CSV, XLSX = "csv", "xlsx"
EXTENSIONS = (".csv", ".txt", ".xlsx")
STRIPPED = " \u00a0"
"""Spaces around a value are dropped; any other white space is a control character or kept."""
XML_REFUSED = ("Het Excel-bestand bevat een DTD of XML-entiteiten; die worden uit veiligheid niet "
               "gelezen (bescherming tegen XML-bommen). Sla het bestand opnieuw op met Excel.")  # fmt: skip
UNREADABLE_XLSX = "Het Excel-bestand (.xlsx) kan niet worden gelezen."
EXCEL_ROWS = 1_048_576


@dataclass(frozen=True)
class Column:
    """A file column. `kind` tells the XLSX reader how to turn a typed cell into text:
    an IDENTIFIER held in a number cell is written without decimals and, with `digits` (a code of
    fixed length: BSN 9, AGB 8, KvK 8), given back the leading zeros Excel dropped; a DATE may
    come as a date cell or as an Excel day number. `masked` values (a BSN: a typo of a real
    one is still personal data) never appear in a report. An IDENTIFIER is at most 64 characters
    long (limits.MAX_ID_CHARS), any other cell 1,000."""

    name: str
    required: bool = True  # the column must be present in the header (values may still be empty)
    kind: str = TEXT
    digits: int | None = None
    masked: bool = False

    def __post_init__(self):
        if self.name == "bsn":  # whatever an importer declares, a BSN is never echoed
            object.__setattr__(self, "masked", True)

    def mask(self, value: str) -> str:
        """A reported value: as it is, or for a masked column only its last four characters
        (enough to find the line, too few to name anyone; short values are hidden whole)."""
        if not self.masked or not value:
            return value
        if len(value) < 8:
            return "*" * len(value)
        return "*" * (len(value) - 4) + value[-4:]


def _cell_to_str(value, column: Column | None = None) -> str:
    """A cell of an XLSX sheet as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    kind = column.kind if column else TEXT
    if kind == DATE and isinstance(value, int | float):
        return _excel_day(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and kind == IDENTIFIER and column.digits and value >= 0:
        return f"{value:0{column.digits}d}"
    return str(value).strip(STRIPPED)


def _excel_day(serial: float) -> str:
    """An Excel day number (a date cell formatted as a number) as an ISO date; a number that is
    no plausible day stays as it is, so the date parser reports it."""
    from openpyxl.utils.datetime import from_excel

    if not 1 <= serial < 2_958_466:  # 9999-12-31, Excel's last day
        return str(serial)
    return from_excel(serial).date().isoformat()


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def header_names(cells: Iterable[str]) -> list[str]:
    names = [c.strip(STRIPPED + "\ufeff").lower() for c in cells]
    while names and names[-1] == "":
        names.pop()
    return names


# --- the whole file -----------------------------------------------------------------------------


@contextlib.contextmanager
def open_source(source):
    """(binary file, size) for a path on disk, an open binary file, or bytes (tests)."""
    if isinstance(source, bytes | bytearray):
        yield io.BytesIO(source), len(source)
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            yield file, os.fstat(file.fileno()).st_size
    else:
        source.seek(0, os.SEEK_END)
        size = source.tell()
        source.seek(0)
        yield source, size


# Every byte but the control characters other than tab, line feed and carriage return.
_TEXT_BYTES = bytes(b for b in range(256) if b >= 32 and b != 127 or b in (9, 10, 13))


def _refuse_other_formats(head: bytes) -> None:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("Dit is een oud Excel-bestand (.xls); sla het op als Excel-werkmap "
                          "(.xlsx) of als 'CSV UTF-8'.")  # fmt: skip
    if head.startswith(b"%PDF"):
        raise FileRefused("Dit is een PDF-bestand; kies een .csv- of .xlsx-bestand.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("Het bestand is opgeslagen als UTF-16 ('Unicode-tekst'); sla het op als "
                          "'CSV UTF-8' of als Excel-werkmap (.xlsx).")  # fmt: skip
    # Text has tabs and line ends, hardly any other control character; a binary file (an image,
    # a zip of something else) named .csv was reported as "gescheiden door een tab".
    if len(head.translate(None, _TEXT_BYTES)) > len(head) // 10:
        raise FileRefused("Het bestand is geen tekstbestand (een groot deel bestaat uit NUL-bytes "
                          "of andere stuurtekens) en geen Excel-werkmap; kies een .csv- (UTF-8) of "
                          ".xlsx-bestand.")  # fmt: skip


def inspect_file(file, size: int, filename: str = "", unpack: bool = True) -> str:
    """CSV or XLSX, after the limits of the whole file: its size and, for a workbook, what its
    zip directory says it unpacks to, and (with `unpack`) what it really unpacks to. Raises
    FileRefused with the Dutch message. The upload request checks without `unpack`; the import
    itself, before parsing, with it."""
    check_size(size)
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    if is_zip(head):
        if unpack:
            check_xlsx_unpacked(file, size)
        else:
            check_xlsx_directory(file, size)
        file.seek(0)
        return XLSX
    if filename.lower().endswith(".xlsx"):
        _refuse_other_formats(head)
        raise FileRefused("Het bestand heeft de extensie .xlsx, maar is geen Excel-werkmap.")
    _refuse_other_formats(head)
    return CSV


def open_table(file, size: int, filename: str = "", columns: Iterable[Column] = (),
               unpack: bool = True) -> CsvTable | XlsxTable:  # fmt: skip
    """The file's header and rows, after `inspect_file`. Raises FileRefused or ImportFileError."""
    if inspect_file(file, size, filename, unpack=unpack) == XLSX:
        return XlsxTable(file, size, {c.name: c for c in columns})
    return CsvTable(file, size)


def read_rows(data: bytes, filename: str = "", columns: Iterable[Column] = ()
              ) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:  # fmt: skip
    """(header, iterator of (line number, cells)) of bytes in memory; a convenience for small
    files and tests. Header names are lower-cased and stripped."""
    file = io.BytesIO(data)
    try:
        table = open_table(file, len(data), filename, columns)
    except FileRefused as exc:
        raise ImportFileError(exc.message) from None
    return table.header, ((line, cells) for line, cells, _ in table.rows())


# --- CSV ----------------------------------------------------------------------------------------


def _not_utf8(line: int, raw: bytes, error: UnicodeDecodeError) -> ImportFileError:
    bad = raw[error.start : error.start + 1]
    try:
        guess = f" ('{bad.decode('cp1252')}' in Windows-1252)"
    except UnicodeDecodeError:
        guess = ""
    return ImportFileError(
        f"Regel {line} is geen UTF-8-tekst: de byte 0x{bad.hex().upper()}{guess} past daar niet. "
        "Zo schrijft Excel een gewoon 'CSV'-bestand (Windows-1252); sla het op als 'CSV UTF-8 "
        "(door komma's gescheiden)' of als Excel-werkmap (.xlsx).",
        line=line,
    )


class CsvTable:
    """A CSV file read line by line from disk: each physical line is decoded on its own (so a
    byte that is no UTF-8 is reported with its line) and looked at once for control characters
    and length, so most rows need no check per cell."""

    def __init__(self, file, size: int):
        self.file, self.size = file, size
        self.read = 0
        self.lines = 0
        self._dirty = False
        file.seek(0)
        lines = self._decoded_lines()
        first = next(lines, None)
        if first is None:
            raise ImportFileError("Het bestand is leeg.")
        if not first.strip():
            if not any(line.strip() for line in lines):
                raise ImportFileError("Het bestand bevat alleen lege regels.")
            raise ImportFileError("Regel 1 is leeg: de kopregel met de kolomnamen moet op de "
                                  "eerste regel staan.", line=1)  # fmt: skip
        self.delimiter = sniff_delimiter(first)
        # A header without `,` or `;` may be split by something else: named if the header is off.
        self.other_delimiter = next((d for d in ("\t", "|", ":") if d in first), None) if (
            "," not in first and ";" not in first) else None  # fmt: skip
        self._reader = csv.reader(itertools.chain([first], lines), delimiter=self.delimiter)
        self.header = header_names(self._next() or [])
        self._dirty = False

    def _decoded_lines(self) -> Iterator[str]:
        readline = self.file.readline
        while True:
            raw = readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            self.lines += 1
            self.read += len(raw)
            if len(raw) > MAX_LINE_BYTES:
                raise ImportFileError(
                    f"Regel {self.lines} is langer dan {MAX_LINE_BYTES // 1024} kB; een regel "
                    f"bevat hoogstens enkele cellen van elk {thousands(MAX_CELL_CHARS)} tekens. "
                    "Is dit wel een CSV-bestand met regels?",
                    line=self.lines,
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _not_utf8(self.lines, raw, exc) from None
            if self.lines == 1:
                text = text.lstrip("\ufeff")
            body = text.rstrip("\n")
            if body.endswith("\r"):
                body = body[:-1]
            if len(body) > MAX_CELL_CHARS or CONTROL_CHARACTERS.search(body):
                self._dirty = True
            yield text

    def _next(self) -> list[str] | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise self._csv_error(exc) from None

    def _csv_error(self, exc: csv.Error) -> ImportFileError:
        line = self.lines
        if "field larger than field limit" in str(exc):
            return ImportFileError(
                f"Op regel {line} loopt een waarde door tot voorbij {thousands(csv.field_size_limit())} "
                f"tekens (grens: {thousands(MAX_CELL_CHARS)} tekens per cel). Staat er een "
                "aanhalingsteken (\") dat niet wordt gesloten?",
                line=line,
            )  # fmt: skip
        if "new-line character seen in unquoted field" in str(exc):
            return ImportFileError(
                f"Regel {line} bevat een losse regelterugloop (stuurteken U+000D); stuurtekens zijn "
                "niet toegestaan. Sla het bestand op als 'CSV UTF-8'.",
                line=line,
            )
        return ImportFileError(f"Regel {line} kan niet als CSV worden gelezen.", line=line)

    def rows(self) -> Iterator[tuple[int, list[str], bool]]:
        previous = self._reader.line_num
        while True:
            cells = self._next()
            if cells is None:
                return
            line = self._reader.line_num
            # A record over more than one line has a line break inside a quoted cell.
            checked = not self._dirty and line == previous + 1
            self._dirty = False
            previous = line
            yield line, [c.strip(STRIPPED) for c in cells], checked

    def fraction(self) -> float:
        return self.read / self.size if self.size else 1.0

    def close(self) -> None:
        pass


# --- XLSX ---------------------------------------------------------------------------------------


def _xlsx_error(exc: BaseException | None) -> ImportFileError:
    from defusedxml import DefusedXmlException

    while exc is not None:  # openpyxl wraps the parser's error in its own
        if isinstance(exc, DefusedXmlException):
            return ImportFileError(XML_REFUSED)
        exc = exc.__cause__ or exc.__context__
    return ImportFileError(UNREADABLE_XLSX)


class XlsxTable:
    """The first sheet of a workbook, row by row (openpyxl read-only: the sheet is parsed as
    it is read). defusedxml is installed, so openpyxl refuses a DTD or entities (XML bombs).

    The sheet's own dimension is not trusted: a tiny file claiming 16,384 columns and a million
    rows would have openpyxl pad every row to that width. Rows are read only as wide as the
    header, and the header only as wide as MAX_COLUMNS."""

    def __init__(self, file, size: int, columns: dict[str, Column]):
        from openpyxl import load_workbook

        self.delimiter = self.other_delimiter = None
        self.done = 0
        file.seek(0)
        try:
            self.workbook = load_workbook(file, read_only=True, data_only=True)
            self.sheet = self.workbook.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _xlsx_error(exc) from None
        self.total = self.sheet.max_row  # for the progress only
        self.sheet.reset_dimensions()
        first = self._next(self.sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS,
                                                values_only=True))  # fmt: skip
        if first is None or not any(c is not None and c != "" for c in first):
            sheets = len(self.workbook.worksheets)
            self.close()
            if first is None and sheets == 1:
                raise ImportFileError("Het bestand is leeg.")
            raise ImportFileError("De eerste rij van het eerste werkblad is leeg: daar hoort de "
                                  "kopregel met de kolomnamen te staan (andere werkbladen worden "
                                  "niet gelezen).", line=1)  # fmt: skip
        self.header = header_names(_cell_to_str(c) for c in first)
        self._by_position = [columns.get(name) for name in self.header]

    def _next(self, iterator):
        try:
            return next(iterator)
        except StopIteration:
            return None
        except Exception as exc:
            self.close()
            raise _xlsx_error(exc) from None

    def rows(self) -> Iterator[tuple[int, list[str], bool]]:
        """The rows after the header that hold something, read only as far as the sheet's XML
        has rows: a file naming row 100,000,000 is not padded with a row per number before it
        (`iter_rows` did that)."""
        by_position = self._by_position
        width = max(1, len(by_position))
        rows = sheet_rows(self.sheet, width)
        try:
            while True:
                try:
                    line, cells = next(rows)
                except StopIteration:
                    return
                except Exception as exc:
                    raise _xlsx_error(exc) from None
                if line > EXCEL_ROWS:
                    self.done = EXCEL_ROWS + 1
                    raise ImportFileError(
                        f"Het werkblad loopt door tot voorbij rij {thousands(EXCEL_ROWS)}, de "
                        "laatste rij die Excel kent; het bestand is beschadigd of gemaakt om te "
                        "misleiden.", line=EXCEL_ROWS + 1,
                    )  # fmt: skip
                if not any(cell is not None and cell != "" for cell in cells):
                    continue
                self.done = line
                yield line, [_cell_to_str(cell, column)
                             for cell, column in zip(cells, by_position, strict=False)], False  # fmt: skip
        finally:
            rows.close()
            self.close()

    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total else None

    def close(self) -> None:
        self.workbook.close()


# --- the header of an upload, cheaply -----------------------------------------------------------


def peek_header(file, size: int, filename: str = "") -> tuple[list[str], str | None] | None:
    """(header names, a foreign delimiter) of a file that `inspect_file` accepted, read without
    parsing the rest: a CSV's first line; a workbook's first row of its first sheet and only the
    shared strings it needs (openpyxl would read every shared string of the workbook first).
    None when a workbook is laid out in a way this short reader does not follow: the import
    itself will say."""
    file.seek(0)
    if not is_zip(file.read(4)):
        table = CsvTable(file, size)
        return table.header, table.other_delimiter
    file.seek(0)
    try:
        header = _xlsx_first_row(file)
    except FileRefused:
        raise
    except Exception:
        return None
    return (header, None) if header is not None else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + (ord(char.upper()) - 64)
    return index - 1


def _xlsx_first_row(file) -> list[str] | None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse, parse

    try:
        with zipfile.ZipFile(file) as archive:
            with archive.open("xl/workbook.xml") as part:
                sheets = [e for e in parse(part).getroot().iter() if _local(e.tag) == "sheet"]
            if not sheets:
                return None
            rel = next(v for k, v in sheets[0].attrib.items() if _local(k) == "id")
            with archive.open("xl/_rels/workbook.xml.rels") as part:
                target = next(e.get("Target") for e in parse(part).getroot()
                              if e.get("Id") == rel)  # fmt: skip
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            cells: dict[int, tuple[str, str]] = {}
            with archive.open(path) as part:
                for _, element in iterparse(part, events=("end",)):
                    tag = _local(element.tag)
                    if tag == "c":
                        kind = element.get("t", "n")
                        text = "".join(t.text or "" for t in element.iter()
                                       if _local(t.tag) in ("v", "t"))  # fmt: skip
                        cells[_column_index(element.get("r", ""))] = (kind, text)
                    elif tag == "row":
                        if element.get("r", "1") != "1":
                            cells = {}
                        break
            needed = {int(text) for kind, text in cells.values() if kind == "s"}
            shared = _shared_strings(archive, needed, iterparse) if needed else {}
    except DefusedXmlException:
        raise FileRefused(XML_REFUSED) from None
    width = max(cells, default=-1) + 1
    values = []
    for index in range(width):
        kind, text = cells.get(index, ("n", ""))
        values.append(shared.get(int(text), "") if kind == "s" else text)
    return header_names(values)


def _shared_strings(archive, needed: set[int], iterparse) -> dict[int, str]:
    found: dict[int, str] = {}
    last = max(needed)
    index = 0
    with archive.open("xl/sharedStrings.xml") as part:
        for _, element in iterparse(part, events=("end",)):
            if _local(element.tag) != "si":
                continue
            if index in needed:
                found[index] = "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")
            element.clear()
            if index >= last:
                break
            index += 1
    return found
