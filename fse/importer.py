"""Participant files: CSV (`;` or `,`, UTF-8 with or without BOM, Windows-1252) or XLSX (docs/fse-import.md).

`parse(data, filename, operation)` reads and validates every row and returns the clean rows and every error
(row number as in a spreadsheet — the header is row 1 — and column name, in French). Nothing is written here;
`services.participants_import` stores the rows only when there is no error at all.
"""

import csv
import datetime
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import Answer, Gender, Housing, LabourStatusEntry, LabourStatusExit, Nationality
from .models import Operation
from .services import match_key, normalize
from .validation import participant_errors

COLUMNS = [
    "nom",
    "prenom",
    "date_naissance",
    "sexe",
    "commune_insee",
    "telephone",
    "email",
    "date_entree",
    "situation_entree",
    "chomeur_depuis",
    "en_formation_entree",
    "niveau_cite",
    "handicap",
    "nationalite",
    "ne_etranger",
    "parent_ne_etranger",
    "situation_logement_entree",
    "zone_rurale",
    "date_sortie",
    "date_observation_sortie",
    "situation_sortie",
    "en_formation_sortie",
    "qualification_obtenue",
]
# The participant field each column fills (the shared rules of `validation.py` name fields).
COLUMN_OF = {
    "last_name": "nom",
    "first_name": "prenom",
    "birth_date": "date_naissance",
    "entry_on": "date_entree",
    "lm_status_entry": "situation_entree",
    "unemployed_since": "chomeur_depuis",
    "exit_on": "date_sortie",
    "exit_observed_on": "date_observation_sortie",
    "lm_status_exit": "situation_sortie",
    "in_education_or_training_exit": "en_formation_sortie",
    "qualification_gained": "qualification_obtenue",
}

GENDERS = {"F": Gender.WOMAN, "M": Gender.MAN, "X": Gender.NON_BINARY}
ENTRY_STATUSES = {
    "EMPLOI": LabourStatusEntry.EMPLOYED,
    "CHOMEUR": LabourStatusEntry.UNEMPLOYED,
    "INACTIF": LabourStatusEntry.INACTIVE,
}
EXIT_STATUSES = {
    "EMPLOI": LabourStatusExit.EMPLOYED,
    "RECHERCHE_EMPLOI": LabourStatusExit.JOB_SEEKING,
    "INACTIF": LabourStatusExit.INACTIVE,
}
BOOLEANS = {"OUI": True, "NON": False}
ANSWERS = {"OUI": Answer.YES, "NON": Answer.NO, "REFUS": Answer.DECLINED}
NATIONALITIES = {
    "FR": Nationality.FRENCH,
    "UE": Nationality.EU,
    "HORS_UE": Nationality.NON_EU,
    "APATRIDE": Nationality.STATELESS,
    "INDETERMINE": Nationality.UNDETERMINED,
    "REFUS": Nationality.DECLINED,
}
HOUSING = {
    "RUE": Housing.STREET,
    "HEBERGEMENT_URGENCE": Housing.EMERGENCY,
    "HOTEL": Housing.HOTEL,
    "CHRS": Housing.SHELTER,
    "ASILE": Housing.ASYLUM,
    "SORTIE_INSTITUTION": Housing.INSTITUTION,
    "LOGEMENT_ACCOMPAGNE": Housing.SUPPORTED,
    "HEBERGE_TIERS": Housing.HOSTED,
    "LOGEMENT_PRECAIRE": Housing.PRECARIOUS,
    "LOGEMENT_ORDINAIRE": Housing.ORDINARY,
    "REFUS": Housing.DECLINED,
}
MAX_ROWS = 50_000
MAX_COLUMNS = 2 * len(COLUMNS)  # cells further right are not read (an error names extra cells before)
# A workbook's parts unpack to at most this many bytes (50,000 full rows take about 40 MB of sheet XML).
MAX_XLSX_UNCOMPRESSED = 80 * 1024 * 1024
MAX_XLSX_ENTRIES = 100
# A part above 10 MB packed more than 100 times is a bomb: real sheets pack 5 to 30 times.
MAX_XLSX_RATIO, MAX_XLSX_RATIO_FROM = 100, 10 * 1024 * 1024
# Cells that spreadsheet software would run as formulas; exports prefix them with an apostrophe (exporter.py).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ERRORS = 500  # beyond, the list is cut (the file is rejected anyway)
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
PHONE_RE = re.compile(r"^\+?[\d .()-]{6,20}$")


@dataclass(frozen=True)
class RowError:
    row: int  # as in a spreadsheet: the header is row 1
    column: str  # "" for an error about the whole file or row
    message: str

    def __str__(self) -> str:
        where = _("ligne %(row)s") % {"row": self.row} if self.row else _("fichier")
        if self.column:
            where += _(", colonne « %(column)s »") % {"column": self.column}
        return f"{where} : {self.message}"


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class FileRejected(Exception):
    pass


# --- reading -------------------------------------------------------------------------------------------
def unescape_formula(value: str) -> str:
    """A cell exported as `'=…` (formula neutralised, see exporter.py) reads back as `=…`."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise FileRejected(
            _("Encodage non pris en charge (UTF-16 ?) : enregistrez le fichier en CSV UTF-8 ou Windows-1252.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileRejected(_("Encodage non reconnu : enregistrez le fichier en CSV UTF-8 ou Windows-1252.")) from exc


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    # The header, the allowed rows and one more (to say "too many"): nothing beyond is read.
    return list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), MAX_ROWS + 2))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_zip_sizes(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_XLSX_UNCOMPRESSED bytes (a decompression bomb).

    The declared sizes are a safe bound: Python's zipfile never returns more bytes than an entry declares.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(_("Le classeur XLSX est illisible ou endommagé.")) from exc
    packed = [
        e for e in entries if e.file_size > MAX_XLSX_RATIO_FROM and e.file_size > MAX_XLSX_RATIO * e.compress_size
    ]
    if len(entries) > MAX_XLSX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED or packed:
        raise FileRejected(
            _("Le classeur XLSX est trop volumineux une fois décompressé (%(max)s Mo au plus) : %(hint)s")
            % {
                "max": MAX_XLSX_UNCOMPRESSED // (1024 * 1024),
                "hint": _("enregistrez-le en CSV ou découpez-le."),
            }
        )


def _read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's rows, streamed: reading stops after the header, MAX_ROWS rows and one more."""
    from openpyxl import load_workbook  # loaded for XLSX files only

    _check_zip_sizes(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(_("Le classeur XLSX est illisible ou endommagé.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        return [[_cell_text(v) for v in row] for row in itertools.islice(rows, MAX_ROWS + 2)]
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> list[list[str]]:
    if not data:
        raise FileRejected(_("Le fichier est vide."))
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if filename.lower().endswith((".xls", ".ods")):
        raise FileRejected(_("Format non pris en charge : utilisez un fichier CSV ou XLSX."))
    return _read_csv(data)


def _header_name(value: str) -> str:
    return normalize(value).replace(" ", "_")


# --- validating ----------------------------------------------------------------------------------------
class CellError(Exception):
    pass


def parse_date(value: str) -> datetime.date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}", value):
        raise CellError(_("date impossible « %(value)s »") % {"value": value})
    raise CellError(_("date « %(value)s » illisible : formats acceptés AAAA-MM-JJ ou JJ/MM/AAAA") % {"value": value})


def _code(value: str, codes: dict):
    key = value.strip().upper()
    if key not in codes:
        raise CellError(
            _("code « %(value)s » inconnu : valeurs possibles %(codes)s")
            % {"value": value.strip(), "codes": ", ".join(codes)}
        )
    return codes[key]


def _parse_row(cells: dict[str, str], operation: Operation, today: datetime.date) -> tuple[dict, list[tuple]]:
    """The clean values of one row and its errors as (column, message)."""
    errors: list[tuple[str, str]] = []
    values: dict = {}

    def cell(column, parser, required=True):
        raw = unescape_formula(cells.get(column, "")).strip()
        if not raw:
            if required:
                errors.append((column, _("valeur obligatoire manquante")))
            return None
        try:
            return parser(raw)
        except CellError as exc:
            errors.append((column, str(exc)))
            return None

    def text(limit):
        def parser(raw):
            if len(raw) > limit:
                raise CellError(_("texte trop long (%(limit)s caractères au plus)") % {"limit": limit})
            return raw

        return parser

    def isced(raw):
        if raw not in {str(level) for level in range(9)}:
            raise CellError(_("niveau « %(value)s » invalide : un chiffre de 0 à 8") % {"value": raw})
        return int(raw)

    def insee(raw):
        if not INSEE_RE.match(raw.upper()):
            raise CellError(_("code INSEE « %(value)s » invalide : 5 caractères (ex. 75056, 2A004)") % {"value": raw})
        return raw.upper()

    def phone(raw):
        if not PHONE_RE.match(raw):
            raise CellError(_("numéro de téléphone « %(value)s » invalide") % {"value": raw})
        return raw

    def email(raw):
        try:
            validate_email(raw)
        except ValidationError as exc:
            raise CellError(_("adresse e-mail « %(value)s » invalide") % {"value": raw}) from exc
        return raw

    values["last_name"] = cell("nom", text(150))
    values["first_name"] = cell("prenom", text(150))
    values["birth_date"] = cell("date_naissance", parse_date)
    values["gender"] = cell("sexe", lambda raw: _code(raw, GENDERS))
    values["commune_insee"] = cell("commune_insee", insee, required=False) or ""
    values["phone"] = cell("telephone", phone, required=False) or ""
    values["email"] = cell("email", email, required=False) or ""
    values["entry_on"] = cell("date_entree", parse_date)
    values["lm_status_entry"] = cell("situation_entree", lambda raw: _code(raw, ENTRY_STATUSES))
    values["unemployed_since"] = cell("chomeur_depuis", parse_date, required=False)
    values["in_education_or_training_entry"] = cell("en_formation_entree", lambda raw: _code(raw, BOOLEANS))
    values["isced_entry"] = cell("niveau_cite", isced)
    values["disability"] = cell("handicap", lambda raw: _code(raw, ANSWERS))
    values["nationality"] = cell("nationalite", lambda raw: _code(raw, NATIONALITIES))
    values["born_abroad"] = cell("ne_etranger", lambda raw: _code(raw, ANSWERS))
    values["parent_born_abroad"] = cell("parent_ne_etranger", lambda raw: _code(raw, ANSWERS))
    values["housing_entry"] = cell("situation_logement_entree", lambda raw: _code(raw, HOUSING))
    values["is_rural"] = cell("zone_rurale", lambda raw: _code(raw, BOOLEANS))
    values["exit_on"] = cell("date_sortie", parse_date, required=False)
    values["exit_observed_on"] = cell("date_observation_sortie", parse_date, required=False)
    values["lm_status_exit"] = cell("situation_sortie", lambda raw: _code(raw, EXIT_STATUSES), required=False) or ""
    values["in_education_or_training_exit"] = bool(
        cell("en_formation_sortie", lambda raw: _code(raw, BOOLEANS), required=False)
    )
    values["qualification_gained"] = bool(
        cell("qualification_obtenue", lambda raw: _code(raw, BOOLEANS), required=False)
    )

    # Rules between cells (fse.md §8): the participant rules shared with the form, on the file's columns; a
    # column that already has an error (unreadable, missing) is not reported twice.
    reported = {column for column, _message in errors}
    for name, message in participant_errors(values, operation=operation, today=today):
        if COLUMN_OF[name] not in reported:
            errors.append((COLUMN_OF[name], message))
    return values, errors


def parse(data: bytes, filename: str, operation: Operation, today: datetime.date | None = None) -> ParseResult:
    today = today or timezone.localdate()
    result = ParseResult()
    try:
        table = read_table(data, filename)
    except (FileRejected, csv.Error) as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        result.errors.append(RowError(0, "", _("Le fichier est vide.")))
        return result
    header = [_header_name(name) for name in table[0]]
    while header and header[-1] == "":
        header.pop()
    missing = [column for column in COLUMNS if column not in header]
    unknown = [name for name in header if name not in COLUMNS]
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    for column in missing:
        result.errors.append(RowError(1, column, _("colonne manquante")))
    for name in unknown:
        result.errors.append(RowError(1, name or "?", _("colonne inconnue")))
    for name in duplicated:
        result.errors.append(RowError(1, name, _("colonne en double")))
    if result.errors:
        return result
    if len(table) - 1 > MAX_ROWS:
        result.errors.append(RowError(0, "", _("Trop de lignes : %(max)s au plus par fichier.") % {"max": MAX_ROWS}))
        return result
    seen: dict[str, int] = {}
    for index, raw in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header) and any(cell.strip() for cell in raw[len(header) :]):
            result.errors.append(RowError(index, "", _("plus de cellules que de colonnes dans l'en-tête")))
            continue
        cells = dict(zip(header, raw, strict=False))
        values, errors = _parse_row(cells, operation, today)
        for column, message in errors:
            result.errors.append(RowError(index, column, message))
        # The identity is checked as soon as the name, first name and birth date are readable, whatever the other
        # cells: a duplicate is reported on the first upload, not once the other errors are fixed (issue 16).
        key = None
        if values["last_name"] and values["first_name"] and values["birth_date"]:
            key = match_key(values["last_name"], values["first_name"], values["birth_date"])
        first = seen.get(key) if key else None
        if first:
            message = _("même personne (nom, prénom, date de naissance) que la ligne %(row)s") % {"row": first}
            result.errors.append(RowError(index, "", message))
        elif key:
            seen[key] = index
        if not errors and not first:
            values["row"] = index
            result.rows.append(values)
        if len(result.errors) >= MAX_ERRORS:
            result.truncated = True
            break
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", _("Le fichier ne contient aucune ligne de participant.")))
    return result
