"""`make backup` / `make restore`: the demo data round-trips, table by table; damaged archives and non-empty
databases are refused."""

import pytest
from django.core.management import call_command
from django.db import connection

from coordination import backup

KEY_TABLES = [
    "accounts_user",
    "partenaires_structure",
    "parcours_person",
    "parcours_followup",
    "parcours_event",
    "parcours_referral",
    "evaluations_evaluation",
    "fse_participant",
    "audit_auditentry",
]


def checksums(conn) -> dict[str, str]:
    """An MD5 of every row of the key tables, in id order."""
    result = {}
    with conn.cursor() as cursor:
        for table in KEY_TABLES:
            cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t")
            result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture
def empty_database():
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**settings, "NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_the_demo_data(tmp_path, settings, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (tmp_path / "media" / "reports").mkdir(parents=True)
    (tmp_path / "media" / "reports" / "rapport.pdf").write_bytes(b"%PDF-1.7 test")
    archive = backup.backup(tmp_path / "backups")
    assert archive.with_name(archive.name + ".sha256").exists()
    counts, sums = backup.row_counts(), checksums(connection)
    assert counts["parcours_person"] > 0
    assert counts["evaluations_evaluation"] > 0

    restored_media = tmp_path / "restored-media"
    manifest = backup.restore(archive, db=empty_database, media_root=restored_media)
    assert manifest["row_counts"] == counts
    target = backup._connect(empty_database)
    try:
        assert backup.row_counts(target) == counts  # every table
        assert checksums(target) == sums  # every row of the key tables
    finally:
        target.close()
    assert (restored_media / "reports" / "rapport.pdf").read_bytes() == b"%PDF-1.7 test"

    # A non-empty database is refused unless forced.
    with pytest.raises(backup.BackupError, match="is not empty"):
        backup.restore(archive, db=empty_database, media_root=restored_media)
    backup.restore(archive, db=empty_database, media_root=restored_media, force=True)
    target = backup._connect(empty_database)
    try:
        assert backup.row_counts(target) == counts
    finally:
        target.close()


def test_a_damaged_archive_is_refused(tmp_path):
    archive = tmp_path / "coordination-x.tar"
    archive.write_bytes(b"not a backup")
    (tmp_path / "coordination-x.tar.sha256").write_text("0" * 64 + "  coordination-x.tar\n")
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.verify(archive)
    with pytest.raises(backup.BackupError, match="does not exist"):
        backup.verify(tmp_path / "missing.tar")


def test_the_dump_binary_matches_the_server(db):
    major = backup.server_major()
    binary = backup.pg_binary("pg_dump", major)
    assert backup._major(binary) >= major
