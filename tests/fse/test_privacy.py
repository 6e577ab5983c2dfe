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


# --- statistical disclosure: « < 5 » for funders on a custom period ----------------------------------------------
@pytest.fixture
def small_operation(funder):
    """Three validated participants (entered in March 2025) of an operation funded by the `funder`."""
    import datetime

    operation = OperationFactory(
        funders=[funder.memberships.get().structure],
        start_on=datetime.date(2024, 1, 1),
        end_on=datetime.date(2026, 12, 31),
    )
    for _ in range(3):
        ParticipantFactory(operation=operation)
    return operation


def _entrants_total(response) -> object:
    return response.context["entrants_rows"][0].values["period"]["total"]


def test_a_funder_sees_small_counts_as_less_than_five_on_a_custom_period(client, funder, small_operation):
    client.force_login(funder)
    url = reverse("fse:operation_detail", args=[small_operation.pk])
    response = client.get(url, {"start": "2025-02-01", "end": "2025-04-30"})
    assert _entrants_total(response) == "< 5"
    assert "&lt; 5" in response.content.decode()
    assert response.context["leavers"].values["period"]["total"] == "< 5"


def test_a_funder_sees_exact_counts_on_a_reporting_period(client, funder, small_operation):
    client.force_login(funder)
    url = reverse("fse:operation_detail", args=[small_operation.pk])
    assert _entrants_total(client.get(url, {"start": "2025-01-01", "end": "2025-06-30"})) == 3  # a half-year
    assert _entrants_total(client.get(url)) == 3  # the whole operation


def test_the_coordinator_always_sees_exact_counts(client, coordinator, small_operation):
    client.force_login(coordinator)
    url = reverse("fse:operation_detail", args=[small_operation.pk])
    assert _entrants_total(client.get(url, {"start": "2025-02-01", "end": "2025-04-30"})) == 3


def test_the_threshold_is_a_setting(client, funder, small_operation, settings):
    settings.STATISTICAL_DISCLOSURE_THRESHOLD = 3
    client.force_login(funder)
    url = reverse("fse:operation_detail", args=[small_operation.pk])
    assert _entrants_total(client.get(url, {"start": "2025-02-01", "end": "2025-04-30"})) == 3


def test_the_report_is_exact_for_a_reporting_period_only(small_operation):
    import datetime

    from fse import report

    official = report.context(small_operation, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    assert official["entrants_total"] == 3
    assert official["small_cells"] is None
    custom = report.context(small_operation, datetime.date(2025, 2, 1), datetime.date(2025, 4, 30))
    assert custom["entrants_total"] == "< 5"
    assert custom["entrants_rows"][0].values["period"]["total"] == "< 5"
    assert all(bar["value"] == "< 5" for bar in custom["charts"][0]["bars"])
    assert "&lt; 5" in report.render_html(custom)


def test_the_disclosure_helper():
    from parcours.disclosure import mask

    assert mask({"a": 4, "b": [5, 0, None, "x"], "c": True}, 5) == {"a": "< 5", "b": [5, "< 5", None, "x"], "c": True}
    assert mask(2, None) == 2


def test_a_part_packed_like_a_bomb_is_refused_even_under_the_size_cap(monkeypatch, operation):
    from fse import importer

    monkeypatch.setattr(importer, "MAX_XLSX_RATIO_FROM", 1_000_000)  # the padded sheet: 5 MB packed ~1000 times
    result = importer.parse(_bomb(), "bombe.xlsx", operation)
    assert "trop volumineux une fois décompressé" in str(result.errors[0])
