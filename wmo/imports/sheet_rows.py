"""The data rows of a workbook's sheet, parsed as openpyxl's read-only reader does, with what it
leaves out: a formula cell without a computed value (written by a program that does not
calculate, openpyxl itself among them) would read as empty and be reported as a missing value.
Such a cell comes as `limits.FORMULA_MARK` and its formula, which the framework reports."""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from .limits import FORMULA_MARK


class _Parser(WorkSheetParser):
    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = f"{FORMULA_MARK}={element.findtext(FORMULA_TAG) or ''}"
        return cell


def sheet_rows(sheet, width: int) -> Iterator[tuple[int, list]]:
    """(row number, values of the first `width` columns) of each row after the first that the
    sheet's XML holds; rows it skips are not made up, unlike `iter_rows`."""
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = _Parser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                         date_formats=workbook._date_formats,
                         timedelta_formats=workbook._timedelta_formats)  # fmt: skip
        for number, cells in parser.parse():
            if number < 2:
                continue
            values = [None] * width
            for cell in cells:
                if cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield number, values
