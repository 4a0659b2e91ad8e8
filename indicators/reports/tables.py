"""CSV and XLSX downloads of a table: the same rows as the page, numbers as numbers."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        # Dutch Excel reads a decimal comma; the delimiter is ';' for the same reason.
        return str(value).replace(".", ",")
    return str(value)


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # BOM: Excel opens UTF-8 correctly
    writer = csv.writer(response, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _xlsx_cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def xlsx_bytes(sheet_title: str, header: list[str], rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheet_title: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheet_title, header, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(fmt: str, filename: str, sheet_title: str, header, rows) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(filename, sheet_title, header, rows)
    return csv_response(filename, header, rows)
