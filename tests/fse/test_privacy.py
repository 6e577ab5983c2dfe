"""Issue 11 findings in the FSE area: the ◆ disability answer, exports, imports and statistical disclosure."""

import pytest
from django.urls import reverse

from fse.enums import Answer
from tests.accounts.factories import MembershipFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.parcours.factories import FollowUpFactory, PersonFactory
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db


# --- the disability answer is a ◆ item -------------------------------------------------------------------
@pytest.fixture
def delivered(db):
    """An operation delivered by a structure that follows its participant for employment only."""
    carrier = StructureFactory(name="France Travail (test)", kind="FRANCE_TRAVAIL")
    person = PersonFactory(last_name="Durand")
    FollowUpFactory(person=person, structure=carrier, employment=True)
    operation = OperationFactory(carrier=carrier)
    participant = ParticipantFactory(operation=operation, person=person, disability=Answer.YES)
    return carrier, person, participant


def _detail(participant):
    return reverse("fse:participant_detail", args=[participant.operation_id, participant.pk])


def test_an_employment_only_follower_does_not_see_the_disability_answer(client, delivered):
    carrier, _person, participant = delivered
    client.force_login(MembershipFactory(structure=carrier, counsellor=True).user)
    response = client.get(_detail(participant))
    assert response.status_code == 200
    body = response.content.decode()
    assert participant.number in body
    assert "Handicap" not in body


def test_a_follower_with_health_access_sees_the_disability_answer(client, delivered):
    carrier, person, participant = delivered
    FollowUpFactory(person=person, structure=carrier, social=True)
    client.force_login(MembershipFactory(structure=carrier, counsellor=True).user)
    body = client.get(_detail(participant)).content.decode()
    assert "Handicap" in body


def test_the_coordinator_who_collects_it_sees_the_disability_answer(client, delivered, coordinator):
    _carrier, _person, participant = delivered
    client.force_login(coordinator)
    assert "Handicap" in client.get(_detail(participant)).content.decode()


# --- formula injection in exports ---------------------------------------------------------------------------
HOSTILE = '=HYPERLINK("http://evil.test","x")'


@pytest.fixture
def hostile(coordinator):
    participant = ParticipantFactory(last_name=HOSTILE, first_name="@SUM(1+1)", phone="+33 6 12 34 56 78")
    return participant.operation, participant


def test_csv_export_neutralises_formulas(client, coordinator, hostile):
    import csv
    import io

    operation, _participant = hostile
    client.force_login(coordinator)
    data = client.get(reverse("fse:participant_export", args=[operation.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[1][0] == "'" + HOSTILE
    assert rows[1][1] == "'@SUM(1+1)"
    assert rows[1][5] == "'+33 6 12 34 56 78"
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_export_writes_text_never_formulas(client, coordinator, hostile):
    import io

    from openpyxl import load_workbook

    operation, _participant = hostile
    client.force_login(coordinator)
    data = client.get(reverse("fse:participant_export", args=[operation.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    name = sheet.cell(row=2, column=1)
    assert name.value == HOSTILE
    assert name.data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_neutralised_export_reimports_unchanged(client, coordinator, hostile, fmt):
    from fse.importer import parse

    operation, _participant = hostile
    client.force_login(coordinator)
    data = client.get(reverse("fse:participant_export", args=[operation.pk, fmt])).content
    result = parse(data, f"export.{fmt}", operation)
    assert not result.errors, [str(e) for e in result.errors]
    assert result.rows[0]["last_name"] == HOSTILE
    assert result.rows[0]["phone"] == "+33 6 12 34 56 78"


# --- a NUL byte in a filter answers 400 with a French message, not a 500 ---------------------------------------
def test_a_nul_byte_in_the_participant_filter_is_refused(client, coordinator, operation):
    client.force_login(coordinator)
    response = client.get(reverse("fse:participant_list", args=[operation.pk]), {"numero": "12\x0034"})
    assert response.status_code == 400
    assert "caractère invalide" in response.content.decode()


# --- XLSX decompression load: stream rows, stop at the limit, cap the unpacked size ----------------------------
def _xlsx(rows: int, columns: int = 3) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("participants")
    for index in range(rows):
        sheet.append([f"cellule {index} {column}" for column in range(columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_reading_stops_at_the_row_limit(monkeypatch):
    from fse import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 10)
    table = importer.read_table(_xlsx(2_000), "gros.xlsx")
    assert len(table) == 12  # the header, 10 rows and one more to say "too many"; nothing beyond is read


def test_xlsx_too_many_rows_is_refused_with_a_message(monkeypatch, operation):
    from fse import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 10)
    header = [importer.COLUMNS]
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("participants")
    for row in header + [["x"] * len(importer.COLUMNS)] * 500:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.parse(buffer.getvalue(), "gros.xlsx", operation)
    assert [str(e) for e in result.errors] == ["fichier : Trop de lignes : 10 au plus par fichier."]


def test_xlsx_reading_ignores_cells_far_to_the_right():
    from fse import importer

    table = importer.read_table(_xlsx(3, columns=5_000), "large.xlsx")
    assert max(len(row) for row in table) == importer.MAX_COLUMNS


def _bomb(padding: int = 5_000_000) -> bytes:
    """A valid workbook whose sheet XML is padded with blanks: a few KB that unpack to `padding` bytes."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_xlsx(3)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
            target.writestr(entry.filename, data)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_from_its_declared_sizes(monkeypatch, operation):
    """A small file that unpacks far beyond the cap is refused before any XML is parsed."""
    from fse import importer

    bomb = _bomb()
    assert len(bomb) < 50_000
    monkeypatch.setattr(importer, "MAX_XLSX_UNCOMPRESSED", 1_000_000)
    result = importer.parse(bomb, "bombe.xlsx", operation)
    assert len(result.errors) == 1
    assert "trop volumineux une fois décompressé" in str(result.errors[0])


def test_the_web_import_refuses_a_decompression_bomb(client, coordinator, operation, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fse import importer

    monkeypatch.setattr(importer, "MAX_XLSX_UNCOMPRESSED", 1_000_000)
    client.force_login(coordinator)
    upload = SimpleUploadedFile("bombe.xlsx", _bomb())
    response = client.post(reverse("fse:participant_import", args=[operation.pk]), {"file": upload})
    assert response.status_code == 200
    assert "trop volumineux une fois décompressé" in response.content.decode()
