"""Participant files: valid, invalid (nothing imported), re-import, encodings, round trip with the export."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from fse import exporter, importer, indicators
from fse.models import Participant
from fse.services import participants_import
from tests.fse.factories import OperationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

HEADER = importer.COLUMNS
ROW = {
    "nom": "Dupont",
    "prenom": "Élodie",
    "date_naissance": "1990-05-17",
    "sexe": "F",
    "commune_insee": "75056",
    "telephone": "06 12 34 56 78",
    "email": "",
    "date_entree": "01/03/2025",
    "situation_entree": "CHOMEUR",
    "chomeur_depuis": "2023-01-01",
    "en_formation_entree": "NON",
    "niveau_cite": "3",
    "handicap": "REFUS",
    "nationalite": "HORS_UE",
    "ne_etranger": "OUI",
    "parent_ne_etranger": "NON",
    "situation_logement_entree": "CHRS",
    "zone_rurale": "NON",
    "date_sortie": "",
    "date_observation_sortie": "",
    "situation_sortie": "",
    "en_formation_sortie": "",
    "qualification_obtenue": "",
}


def row(**changes) -> dict:
    return {**ROW, **changes}


def csv_bytes(rows, sep=";", encoding="utf-8", header=HEADER) -> bytes:
    lines = [sep.join(header)] + [sep.join(r.get(c, "") for c in header) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def op():
    return OperationFactory()


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_a_valid_file_imports_every_row(op):
    rows = [
        row(),
        row(nom="Martin", prenom="Jean", sexe="M", situation_entree="INACTIF", chomeur_depuis="",
            situation_logement_entree="LOGEMENT_ORDINAIRE",
            date_sortie="2025-06-30", date_observation_sortie="2025-07-15", situation_sortie="EMPLOI",
            en_formation_sortie="NON", qualification_obtenue="OUI"),
    ]  # fmt: skip
    result = importer.parse(csv_bytes(rows), "participants.csv", op)
    assert result.errors == []
    assert participants_import(operation=op, rows=result.rows) == (2, 0)
    dupont = Participant.objects.get(last_name="Dupont")
    assert dupont.number == f"{op.number}-0001"
    assert dupont.validated_at is not None
    figures = indicators.compute(op)
    assert figures.as_json()["EECO01"] == {"women": 1, "men": 1, "non_binary": 0, "total": 2}
    assert figures.value("EECO03") == 1
    assert figures.value("EECO12") == 0  # declined
    assert figures.value("EECO16") == 1
    assert figures.value("EECR04") == 1


@pytest.mark.parametrize(
    ("encoding", "sep", "bom"), [("utf-8", ";", False), ("utf-8", ",", True), ("cp1252", ";", False)]
)
def test_encodings_and_separators(op, encoding, sep, bom):
    data = csv_bytes([row()], sep=sep, encoding=encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    result = importer.parse(data, "p.csv", op)
    assert result.errors == []
    assert result.rows[0]["first_name"] == "Élodie"


def test_another_encoding_is_rejected_with_a_clear_message(op):
    result = importer.parse(csv_bytes([row()], encoding="utf-16"), "p.csv", op)
    assert messages(result) == [
        "fichier : Encodage non pris en charge (UTF-16 ?) : enregistrez le fichier en CSV UTF-8 ou Windows-1252."
    ]


def test_missing_and_unknown_columns(op):
    header = [c for c in HEADER if c != "niveau_cite"] + ["remarque"]
    result = importer.parse(csv_bytes([row()], header=header), "p.csv", op)
    assert messages(result) == [
        "ligne 1, colonne « niveau_cite » : colonne manquante",
        "ligne 1, colonne « remarque » : colonne inconnue",
    ]


def test_bad_rows_are_all_reported_and_nothing_is_imported(op, tmp_path):
    rows = [
        row(),
        row(nom="B", date_naissance="31/02/1990", sexe="Z", niveau_cite="9"),
        row(nom="C", situation_entree="CHOMEUR", chomeur_depuis="", handicap="PEUT-ETRE"),
        row(nom="D", date_sortie="2025-02-01"),  # exit before entry
        row(),  # duplicated row
        row(nom="E", date_entree="2020-01-01", chomeur_depuis="2019-01-01", email="pas-une-adresse"),
        row(nom="F", date_observation_sortie="2025-05-01"),  # exit data without exit date
    ]
    result = importer.parse(csv_bytes(rows), "p.csv", op)
    assert messages(result) == [
        "ligne 3, colonne « date_naissance » : date impossible « 31/02/1990 »",
        "ligne 3, colonne « sexe » : code « Z » inconnu : valeurs possibles F, M, X",
        "ligne 3, colonne « niveau_cite » : niveau « 9 » invalide : un chiffre de 0 à 8",
        "ligne 4, colonne « handicap » : code « PEUT-ETRE » inconnu : valeurs possibles OUI, NON, REFUS",
        "ligne 4, colonne « chomeur_depuis » : Obligatoire pour un·e chômeur·se.",
        "ligne 5, colonne « date_sortie » : La date de sortie ne peut pas précéder la date d'entrée.",
        "ligne 6 : même personne (nom, prénom, date de naissance) que la ligne 2",
        "ligne 7, colonne « email » : adresse e-mail « pas-une-adresse » invalide",
        "ligne 7, colonne « date_entree » : La date d'entrée doit être dans la période de l'opération "
        "(du 01/01/2024 au 31/12/2026).",
        "ligne 8, colonne « date_observation_sortie » : À laisser vide tant que la date de sortie n'est pas "
        "renseignée.",
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="10 erreur"):
        call_command("import_participants", str(path), operation=op.number)
    assert not Participant.objects.exists()


def test_reimport_updates_instead_of_duplicating(op, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([row()]))
    call_command("import_participants", str(path), operation=op.number)
    # Same person, other case and accents, now exited.
    path.write_bytes(csv_bytes([row(nom="DUPONT", prenom="elodie", date_sortie="2025-06-30",
                                    date_observation_sortie="2025-06-30", situation_sortie="RECHERCHE_EMPLOI",
                                    en_formation_sortie="OUI", qualification_obtenue="NON")]))  # fmt: skip
    out = io.StringIO()
    call_command("import_participants", str(path), operation=op.number, stdout=out)
    assert "0 participant(s) créé(s), 1 mis à jour." in out.getvalue()
    participant = Participant.objects.get()
    assert participant.exit_on is not None
    assert participant.in_education_or_training_exit is True


def test_dry_run_saves_nothing(op, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([row()]))
    out = io.StringIO()
    call_command("import_participants", str(path), operation=op.number, dry_run=True, stdout=out)
    assert "1 ligne(s) valide(s)" in out.getvalue()
    assert not Participant.objects.exists()


def test_unknown_operation_and_missing_file(op, tmp_path):
    with pytest.raises(CommandError, match="Opération inconnue"):
        call_command("import_participants", str(tmp_path / "x.csv"), operation="NOPE")
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_participants", str(tmp_path / "x.csv"), operation=op.number)


def test_xlsx_import(op):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([ROW[c] for c in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.parse(buffer.getvalue(), "p.xlsx", op)
    assert result.errors == []
    assert len(result.rows) == 1


def test_a_damaged_xlsx_is_rejected(op):
    result = importer.parse(b"PK\x03\x04 not really a workbook", "p.xlsx", op)
    assert messages(result) == ["fichier : Le classeur XLSX est illisible ou endommagé."]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trip(op, fmt):
    ParticipantFactory(operation=op, last_name="Lefèvre", email="l@example.test", phone="")
    ParticipantFactory(operation=op, inactive=True, left=True, man=True, qualification_gained=True)
    before = indicators.compute(op).as_json()
    data = exporter.to_csv(op.participants.all()) if fmt == "csv" else exporter.to_xlsx(op.participants.all())
    other = OperationFactory()
    result = importer.parse(data, f"export.{fmt}", other)
    assert result.errors == []
    participants_import(operation=other, rows=result.rows)
    assert indicators.compute(other).as_json() == before
    again = importer.parse(data, f"export.{fmt}", op)
    assert participants_import(operation=op, rows=again.rows) == (0, 2)
