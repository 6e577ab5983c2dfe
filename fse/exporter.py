"""Participants to CSV or XLSX in the import columns, so that an export re-imports unchanged.

Formula injection (issue 11): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is written
with a leading apostrophe in CSV (spreadsheet software then reads it as text) and as a text cell in XLSX, never
as a formula. The importer drops that apostrophe again (`importer.FORMULA_PREFIXES`), so the round trip holds.
"""

import csv
import io

from django.db.models import QuerySet

from .importer import (
    ANSWERS,
    BOOLEANS,
    COLUMNS,
    ENTRY_STATUSES,
    EXIT_STATUSES,
    FORMULA_PREFIXES,
    GENDERS,
    HOUSING,
    NATIONALITIES,
)


def csv_safe(value: str) -> str:
    """The cell as spreadsheet software reads it as text: a leading apostrophe before a formula prefix."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _reverse(codes: dict) -> dict:
    return {value: key for key, value in codes.items()}


GENDER_CODES = _reverse(GENDERS)
ENTRY_CODES = _reverse(ENTRY_STATUSES)
EXIT_CODES = _reverse(EXIT_STATUSES)
BOOLEAN_CODES = _reverse(BOOLEANS)
ANSWER_CODES = _reverse(ANSWERS)
NATIONALITY_CODES = _reverse(NATIONALITIES)
HOUSING_CODES = _reverse(HOUSING)


def _date(value) -> str:
    return value.isoformat() if value else ""


def row_of(p) -> list[str]:
    left = p.exit_on is not None
    return [
        p.last_name,
        p.first_name,
        _date(p.birth_date),
        GENDER_CODES[p.gender],
        p.commune_insee,
        p.phone,
        p.email,
        _date(p.entry_on),
        ENTRY_CODES[p.lm_status_entry],
        _date(p.unemployed_since),
        BOOLEAN_CODES[p.in_education_or_training_entry],
        str(p.isced_entry),
        ANSWER_CODES[p.disability],
        NATIONALITY_CODES[p.nationality],
        ANSWER_CODES[p.born_abroad],
        ANSWER_CODES[p.parent_born_abroad],
        HOUSING_CODES[p.housing_entry],
        BOOLEAN_CODES[p.is_rural],
        _date(p.exit_on),
        _date(p.exit_observed_on),
        EXIT_CODES.get(p.lm_status_exit, ""),
        BOOLEAN_CODES[p.in_education_or_training_exit] if left else "",
        BOOLEAN_CODES[p.qualification_gained] if left else "",
    ]


def _rows(participants: QuerySet):
    fields = [
        "last_name", "first_name", "birth_date", "gender", "commune_insee", "phone", "email", "entry_on",
        "lm_status_entry", "unemployed_since", "in_education_or_training_entry", "isced_entry", "disability",
        "nationality", "born_abroad", "parent_born_abroad", "housing_entry", "is_rural", "exit_on",
        "exit_observed_on", "lm_status_exit", "in_education_or_training_exit", "qualification_gained",
    ]  # fmt: skip
    return (row_of(p) for p in participants.only(*fields).order_by("sequence").iterator(chunk_size=2000))


def to_csv(participants: QuerySet) -> bytes:
    """`;`-separated UTF-8 with a BOM, which spreadsheet software opens with the right accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([csv_safe(cell) for cell in row] for row in _rows(participants))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text_cell(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, even for "=…": openpyxl would otherwise store a live formula
    return cell


def to_xlsx(participants: QuerySet) -> bytes:
    from openpyxl import Workbook  # loaded for XLSX exports only

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("participants")
    sheet.append(COLUMNS)
    for row in _rows(participants):
        sheet.append([_text_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
