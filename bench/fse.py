"""FSE benchmark (`make bench`): indicators and the PDF report of an operation of one participant for every second
bench person (50,000 at 100,000 people, 500,000 at 1,000,000), and the import of a 10,000-row file. Data are built
set-wise in SQL (generate_series); `seed` is idempotent."""

import tracemalloc

from django.db import connection, transaction

from bench.harness import Scenario

OPERATION = "BENCH-FSE"
IMPORT_OPERATION = "BENCH-FSE-IMPORT"
IMPORT_ROWS = 10_000

INSERT = """
INSERT INTO fse_participant (
    operation_id, sequence, number, last_name, first_name, match_key, gender, birth_date, phone, email,
    referent_contact, commune_insee, entry_on, lm_status_entry, unemployed_since, in_education_or_training_entry,
    isced_entry, disability, nationality, born_abroad, parent_born_abroad, minority, housing_entry, is_rural,
    info_notice_given_on, exit_on, exit_reason, exit_observed_on, lm_status_exit, in_education_or_training_exit,
    qualification_gained, six_month_observed_on, six_month_employed, six_month_improvement,
    validated_at, created_at, updated_at
)
SELECT
    %(operation)s, g, %(number)s || '-' || lpad(g::text, 6, '0'), 'Nom' || g, 'Prenom',
    'nom' || g || '|prenom|' || d.birth::text,
    CASE WHEN g %% 7 = 0 THEN 'X' WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END,
    d.birth, CASE WHEN g %% 4 = 0 THEN '' ELSE '0600000000' END, '', '', '75056',
    d.entry, (ARRAY['EMPLOYED','UNEMPLOYED','INACTIVE'])[1 + g %% 3],
    CASE WHEN g %% 3 = 1 THEN d.entry - (g * 7 %% 800) END, g %% 3 = 2 AND g %% 5 = 0,
    g %% 9, (ARRAY['YES','NO','NO','NO','DECLINED'])[1 + g %% 5],
    (ARRAY['FR','FR','FR','EU','NON_EU','STATELESS','UNDETERMINED','DECLINED'])[1 + g %% 8],
    (ARRAY['YES','NO','NO','DECLINED'])[1 + g %% 4], (ARRAY['YES','NO','NO'])[1 + g %% 3], '',
    (ARRAY['STREET','EMERGENCY','HOTEL','SHELTER','ASYLUM','INSTITUTION','SUPPORTED','HOSTED','PRECARIOUS',
           'ORDINARY','DECLINED'])[1 + g %% 11],
    g %% 6 = 0, NULL,
    CASE WHEN g %% 3 = 0 THEN d.entry + 30 + g %% 200 END,
    CASE WHEN g %% 3 = 0 THEN 'COMPLETED' ELSE '' END,
    CASE WHEN g %% 3 = 0 THEN d.entry + 30 + g %% 200 + g %% 40 END,
    CASE WHEN g %% 3 = 0 THEN (ARRAY['EMPLOYED','JOB_SEEKING','INACTIVE'])[1 + g %% 3] ELSE '' END,
    g %% 3 = 0 AND g %% 4 = 0, g %% 3 = 0 AND g %% 5 = 0, NULL, NULL, '',
    now(), now(), now()
FROM generate_series(1, %(count)s) AS g,
LATERAL (SELECT date '1950-01-01' + (g * 37 %% 20000) AS birth, date '2024-01-01' + (g * 13 %% 900) AS entry) AS d
"""


def _operation(number: str, carrier=None):
    from fse.enums import Programme
    from fse.models import Operation

    operation, _created = Operation.objects.get_or_create(
        number=number,
        defaults={
            "title": f"Opération de mesure {number}",
            "programme": Programme.FSE_PLUS,
            "start_on": "2024-01-01",
            "end_on": "2027-12-31",
            "carrier": carrier,
        },
    )
    return operation


def seed(persons: int, stdout=None) -> None:
    from fse.models import Participant
    from partenaires.enums import StructureKind
    from partenaires.models import Structure

    count = max(1, persons // 2)
    operation = _operation(OPERATION)
    carrier, _created = Structure.objects.get_or_create(name="PLIE de mesure (bench)", kind=StructureKind.PLIE)
    _operation(IMPORT_OPERATION, carrier=carrier)
    with transaction.atomic():
        if Participant.objects.filter(operation=operation).count() != count:
            Participant.objects.filter(operation=operation).delete()
            with connection.cursor() as cursor:
                cursor.execute(INSERT, {"operation": operation.pk, "number": OPERATION, "count": count})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE fse_participant")
    indicators_extra["participants"] = count
    if stdout:
        stdout.write(f"fse: {count} participants in {OPERATION}")


indicators_extra: dict = {}


def _op(number: str):
    from fse.models import Operation

    return Operation.objects.select_related("carrier").get(number=number)


def indicators_run() -> None:
    from fse import indicators

    operation = _op(OPERATION)
    figures = indicators.compute(operation)
    indicators.aggregate_checks(figures)
    indicators.quality(operation)


report_extra: dict = {}


def report_run() -> None:
    from fse.report import render_pdf

    operation = _op(OPERATION)
    if "peak_python_memory_mb" not in report_extra:
        tracemalloc.start()
        pdf = render_pdf(operation, operation.start_on, operation.end_on)
        report_extra["peak_python_memory_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    else:
        pdf = render_pdf(operation, operation.start_on, operation.end_on)
    report_extra["pdf_bytes"] = len(pdf)


_import_file: dict = {}


def _file() -> bytes:
    """10,000 valid rows in the import columns (built once per process)."""
    if "data" not in _import_file:
        from fse.importer import COLUMNS

        lines = [";".join(COLUMNS)]
        for i in range(IMPORT_ROWS):
            left = i % 3 == 0
            lines.append(
                ";".join(
                    [
                        f"Nom{i}", "Prénom", f"{1960 + i % 40}-0{1 + i % 9}-1{i % 9}", "FMX"[i % 3], "75056",
                        "0600000000" if i % 4 else "", "", f"1{i % 9}/0{1 + i % 9}/2025",
                        ["EMPLOI", "CHOMEUR", "INACTIF"][i % 3], "2024-01-01" if i % 3 == 1 else "",
                        "NON", str(i % 9), ["OUI", "NON", "REFUS"][i % 3], ["FR", "UE", "HORS_UE", "REFUS"][i % 4],
                        "NON", "OUI" if i % 5 == 0 else "NON", ["CHRS", "RUE", "LOGEMENT_ORDINAIRE"][i % 3],
                        "NON", "2025-11-30" if left else "", "2025-12-10" if left else "",
                        "EMPLOI" if left else "", "NON" if left else "", "OUI" if left else "",
                    ]
                )
            )  # fmt: skip
        _import_file["data"] = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return _import_file["data"]


import_extra: dict = {"rows": IMPORT_ROWS}


def import_run() -> None:
    """Parse, validate and store 10,000 new rows (creating their persons), then roll back: every run is a first
    import."""
    from fse.importer import parse
    from fse.services import participants_import

    operation = _op(IMPORT_OPERATION)
    with transaction.atomic():
        result = parse(_file(), "bench.csv", operation)
        assert result.ok, result.errors[:3]
        created, _updated = participants_import(operation=operation, rows=result.rows)
        import_extra["created"] = created
        transaction.set_rollback(True)


SCENARIOS = [
    Scenario("fse_indicators", indicators_run, repeat=10, goal_p95_ms=2000, extra=indicators_extra),
    Scenario("fse_report_pdf", report_run, repeat=3, goal_p95_ms=15000, extra=report_extra),
    Scenario("fse_import_10k", import_run, repeat=3, goal_p95_ms=30000, extra=import_extra),
]
