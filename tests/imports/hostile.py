"""Small hostile files, made in the test: a zip bomb, a workbook whose zip directory lies, an XML
bomb, and CSV text in every way a careless export goes wrong."""

import io
import struct
import zipfile

from openpyxl import Workbook

HEADER = (
    "referral_id,bsn,district,service_type,provider_agb,contractor_agb,referral_date,start_date,"
    "end_date,end_reason,cancelled_date,group_based"
)
ROW = "R1,111222333,WK034401,dagbegeleiding,13063077,,2026-03-01,,,,,nee"
ROW2 = "R2,111222333,WK034401,dagbegeleiding,13063077,,2026-03-02,,,,,nee"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines, ""]).encode()


def workbook_bytes(lines=(ROW,), header: str = HEADER) -> bytes:
    book = Workbook()
    for line in [header, *lines]:
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one more part (compressed as Excel does)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A valid workbook carrying 5 MB of zeros that pack to a few kilobytes: it unpacks to far
    more than 100 times its size."""
    return with_part(workbook_bytes(), "xl/media/image1.bin", bytes(5 * 1024 * 1024))


def lying_size(data: bytes, name: str, size: int) -> bytes:
    """The workbook with the unpacked size of part `name` set to `size` in its local header and
    in the zip directory, whatever the part really holds."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    at = bytes(data).rfind(b"PK\x05\x06")
    (offset,) = struct.unpack_from("<I", data, at + 16)
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        if bytes(data[offset + 46 : offset + 46 + name_length]).decode() == name:
            struct.pack_into("<I", data, offset + 24, size)
        offset += 46 + name_length + extra_length + comment_length
    return bytes(data)


def claims_too_much() -> bytes:
    """A workbook whose directory says a part unpacks to 300 MB."""
    return lying_size(workbook_bytes(), "xl/worksheets/sheet1.xml", 300 * 1024 * 1024)


def lies_about_its_size() -> bytes:
    """A workbook whose directory says a part of 3 MB of zeros unpacks to 1,000 bytes: the
    directory looks harmless, the part is not."""
    return lying_size(with_part(workbook_bytes(), "xl/media/image1.bin", bytes(3 * 1024 * 1024)),
                      "xl/media/image1.bin", 1000)  # fmt: skip


def xml_bomb() -> bytes:
    """A workbook whose sheet declares nested entities (a 'billion laughs')."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = bomb if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info, content)
    return buffer.getvalue()


def lying_dimension(lines=(ROW,)) -> bytes:
    """A valid workbook whose sheet claims to span all 16,384 columns and 1,048,576 rows, with
    a last cell out there: read as it claims, every row would be padded to that width."""
    import re

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes(lines))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"',
                              content.decode())  # fmt: skip
                text = text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" '
                                    't="inlineStr"><is><t>x</t></is></c></row></sheetData>')  # fmt: skip
                content = text.encode()
            target.writestr(info, content)
    return buffer.getvalue()


def row_far_away() -> bytes:
    """A workbook with a row numbered 100,000,000: openpyxl yields an empty row for every
    number before it."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b'<row r="100000000"><c r="A100000000" '
                                          b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')  # fmt: skip
            target.writestr(info, content)
    return buffer.getvalue()
