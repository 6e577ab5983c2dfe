"""CSV and XLSX downloads of a figure's numbers, safe against formula injection.

A text cell starting with = + - @, a tab or a carriage return would run as a formula in a spreadsheet: in CSV
it is prefixed with an apostrophe; in XLSX every text cell is written as an explicit string (never parsed),
and the same apostrophe prefix is applied so that a copy-paste stays inert too.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def to_csv(figure) -> bytes:
    table = figure.as_table()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([neutralise(h) for h in table["headers"]])
    for row in table["rows"]:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(figure) -> bytes:
    table = figure.as_table()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = figure.key[:31]
    for r, row in enumerate([table["headers"], *table["rows"]], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = neutralise(value)
                cell.data_type = TYPE_STRING
            else:
                cell.value = value
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
