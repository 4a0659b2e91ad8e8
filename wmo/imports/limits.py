"""The limits every imported file obeys (domain/INTERCHANGE.md, "Limits for every file"), on
upload and command alike, and the checks that need only the file itself (not its rows).

Each refusal is a Dutch message that names the limit. The checks of a whole file run before a
single row is parsed; the per-cell limits (length, control characters) and the date range are
applied by the framework and `parsing.parse_date`."""

from __future__ import annotations

import datetime
import re
import struct
import zipfile
import zlib

MAX_FILE_BYTES = 50 * 1024 * 1024
"""At most 50 MB on disk."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""An .xlsx may unpack to at most 200 MB ..."""
MAX_UNPACK_RATIO = 100
"""... and to at most 100 times its packed size."""
MAX_ROWS = 1_000_000
"""Data rows (the header and blank lines not counted)."""
MAX_CELL_CHARS = 1_000
MAX_ID_CHARS = 64
"""The id column and identifier columns (BSN, AGB code, KvK number)."""
EARLIEST_DATE = datetime.date(2015, 1, 1)
"""The Wmo 2015 took effect on this day: no date in a file lies before it."""

MAX_LINE_BYTES = 256 * 1024
"""A physical CSV line longer than this cannot hold a valid row (a row has a handful of cells of
at most 1,000 characters); refusing it bounds what one read takes into memory."""
MAX_COLUMNS = 200
"""Columns of a workbook's header that are read; a file has some ten."""
MAX_XLSX_PARTS = 1_000
"""A workbook has some tens of parts; a zip directory of a million entries would cost hundreds
of megabytes before anything else could be checked."""
MAX_SHOWN_CHARS = 50
"""A value longer than this appears in a report shortened, with its length."""

FORMULA_MARK = "\x00"
"""Starts the text of a workbook cell that holds a formula without a computed value (it reads as
empty otherwise); XML cannot hold a NUL, so no real cell starts with it."""
FORMULA_WITHOUT_VALUE = (
    "Deze cel bevat een formule zonder berekende waarde; formules worden niet uitgerekend. Open "
    "het bestand in Excel en sla het op (dan staat de uitkomst erin), of vul de waarde zelf in."
)

# C0 and C1 control characters and DEL. In a cell none is allowed: tab, CR and LF included.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 9: "tab", 10: "regelovergang", 13: "regelterugloop", 27: "ESC",
                  127: "DEL"}  # fmt: skip


DAMAGED = "Het Excel-bestand (.xlsx) is beschadigd en kan niet worden gelezen."


class FileRefused(Exception):
    """The file breaks a limit of the whole file; `message` says which, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def megabytes(size: int) -> str:
    """52428800 → '50 MB' (whole megabytes as they are; else one decimal, Dutch comma)."""
    value = size / (1024 * 1024)
    return (f"{value:.0f}" if value.is_integer() else f"{value:.1f}".replace(".", ",")) + " MB"


def thousands(number: int) -> str:
    """1000000 → '1.000.000' (Dutch digit grouping)."""
    return f"{number:,}".replace(",", ".")


# --- the whole file -------------------------------------------------------------------------------


def check_size(size: int) -> None:
    if size == 0:
        raise FileRefused("Het bestand is leeg (0 bytes).")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"Het bestand is groter dan {megabytes(MAX_FILE_BYTES)} ({thousands(size)} bytes; "
            f"grens: {megabytes(MAX_FILE_BYTES)} per bestand). Splits het in kleinere bestanden."
        )


def is_zip(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04"


def _end_of_directory(file, size: int) -> tuple[int, int]:
    """(number of entries, directory size) from the zip's end-of-central-directory record, read
    without building the directory (as zipfile would, whatever its size)."""
    tail_size = min(size, 22 + 65_535)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise FileRefused("Het Excel-bestand (.xlsx) kan niet worden gelezen: het is geen "
                          "geldig zip-bestand.")  # fmt: skip
    entries, directory_size = struct.unpack("<H4xI", tail[at + 10 : at + 20])
    return entries, directory_size


def check_xlsx_directory(file, size: int) -> list[zipfile.ZipInfo]:
    """The parts of an .xlsx as its zip directory gives them, refused when they say the file
    unpacks to more than 200 MB or more than 100 times its size. Cheap: reads only the directory.
    The directory can lie; `check_xlsx_unpacked` counts what really comes out."""
    entries, directory_size = _end_of_directory(file, size)
    if entries > MAX_XLSX_PARTS or entries == 0xFFFF or directory_size > 2 * 1024 * 1024:
        raise FileRefused(
            f"Het Excel-bestand bestaat uit meer dan {thousands(MAX_XLSX_PARTS)} onderdelen; "
            "een werkmap heeft er hooguit enkele tientallen. Het wordt niet gelezen."
        )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise FileRefused("Het Excel-bestand (.xlsx) kan niet worden gelezen: het is geen "
                          "geldig zip-bestand.") from None  # fmt: skip
    _check_unpacked_total(sum(p.file_size for p in parts), size, "volgens de inhoudsopgave")
    if not any(p.filename == "xl/workbook.xml" for p in parts):
        raise FileRefused("Dit is geen Excel-werkmap (.xlsx): het zip-bestand bevat geen "
                          "xl/workbook.xml.")  # fmt: skip
    return parts


def _check_unpacked_total(unpacked: int, size: int, how: str) -> None:
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(
            f"Het Excel-bestand pakt {how} uit tot meer dan {megabytes(MAX_UNPACKED_BYTES)} "
            f"(grens: {megabytes(MAX_UNPACKED_BYTES)} uitgepakt). Het wordt niet gelezen."
        )
    if unpacked > MAX_UNPACK_RATIO * size:
        raise FileRefused(
            f"Het Excel-bestand pakt {how} uit tot meer dan {MAX_UNPACK_RATIO} keer zijn eigen "
            f"grootte (grens: {MAX_UNPACK_RATIO} keer). Zo'n bestand (een zip-bom) wordt niet "
            "gelezen."
        )


def check_xlsx_unpacked(file, size: int) -> None:
    """Unpack every part once, without keeping it, and count what really comes out: the
    directory's sizes are the file's own claims. A part that yields more than its entry says (a
    lying header) is refused the moment it does, so with the directory's totals checked no more
    than the limits is ever unpacked, here or by openpyxl (zipfile stops a part at its size),
    and this costs at most that in time and a megabyte of memory."""
    for part in check_xlsx_directory(file, size):
        if part.flag_bits & 0x1:
            raise FileRefused("Het Excel-bestand is met een wachtwoord beveiligd; sla het "
                              "onbeveiligd op.")  # fmt: skip
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRefused("Het Excel-bestand gebruikt een onbekende compressiemethode.")
        file.seek(part.header_offset)
        header = file.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise FileRefused(DAMAGED)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        file.seek(part.header_offset + 30 + name_length + extra_length)
        inflater = zlib.decompressobj(-15) if part.compress_type == zipfile.ZIP_DEFLATED else None
        packed_left = min(part.compress_size, size)
        out = 0
        while packed_left > 0:
            chunk = file.read(min(packed_left, 1024 * 1024))
            if not chunk:
                break
            packed_left -= len(chunk)
            while chunk:
                if inflater is None:
                    produced, chunk = len(chunk), b""
                else:
                    try:
                        produced = len(inflater.decompress(chunk, 1024 * 1024))
                    except zlib.error:
                        raise FileRefused(DAMAGED) from None
                    chunk = inflater.unconsumed_tail
                out += produced
                if out > part.file_size:
                    raise FileRefused(
                        f"Het Excel-bestand is misleidend: het onderdeel {part.filename[:60]} "
                        "pakt groter uit dan de inhoudsopgave zegt. Het wordt niet gelezen."
                    )
                if not produced and chunk:
                    raise FileRefused(DAMAGED)


# --- one cell ---------------------------------------------------------------------------------


def control_character(value: str) -> str | None:
    """A description of the first control character in `value`, or None."""
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return None
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def cell_problem(value: str, limit: int, what: str = "een cel") -> str | None:
    """The Dutch message for a cell that breaks a limit, or None."""
    if value.startswith(FORMULA_MARK):
        return FORMULA_WITHOUT_VALUE
    if len(value) > limit:
        return (f"Deze waarde is {thousands(len(value))} tekens lang; {what} mag hoogstens "
                f"{thousands(limit)} tekens bevatten.")  # fmt: skip
    control = control_character(value)
    if control:
        return (f"Deze waarde bevat het stuurteken {control}; stuurtekens zijn in een cel niet "
                "toegestaan.")  # fmt: skip
    return None


def shown(value: str) -> str:
    """A value as a report may show it: control characters made visible, and a long value cut
    with its length said, so a report never echoes a huge or invisible value."""
    if value.startswith(FORMULA_MARK):
        value = value[len(FORMULA_MARK) :]
    if len(value) > MAX_SHOWN_CHARS:
        value = f"{value[:40]}… ({thousands(len(value))} tekens)"
    if CONTROL_CHARACTERS.search(value):
        value = CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value
