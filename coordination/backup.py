"""`make backup` / `make restore`: a pg_dump custom-format dump plus the media files, in one checked archive.

An archive `coordination-<UTC time>.tar` holds `manifest.json` (time, server and pg_dump versions, SHA-256 of the
dump, row counts per table), `database.dump` (`pg_dump --format=custom`) and `media/…` (uploaded and generated
files). A sidecar `<archive>.sha256` (the `sha256sum` format) lets anyone check the archive: `sha256sum -c`.

pg_dump/pg_restore must be at least the server's major version: the embedded server is pgserver's PostgreSQL 16
(binaries inside the wheel), a Debian machine's server may be 15 (/usr/lib/postgresql/15/bin). `pg_binary()`
picks the binary of the same major version as the server (`PG_BIN_DIR` forces a folder).
"""

import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def server_major(conn=None) -> int:
    with (conn or connection).cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _candidates(name: str) -> list[Path]:
    found = []
    if os.environ.get("PG_BIN_DIR"):
        found.append(Path(os.environ["PG_BIN_DIR"]) / name)
    spec = importlib.util.find_spec("pgserver")  # located, not imported (its import sets up a runtime folder)
    if spec and spec.submodule_search_locations:
        found.append(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name)
    found += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if shutil.which(name):
        found.append(Path(shutil.which(name)))
    return [path for path in found if path.exists()]


def _major(binary: Path) -> int:
    output = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"\(PostgreSQL\)\s+(\d+)", output).group(1))


def pg_binary(name: str, major: int) -> Path:
    """The `name` binary of the server's major version (else the oldest newer one); never an older one."""
    versions = [(path, _major(path)) for path in _candidates(name)]
    if os.environ.get("PG_BIN_DIR") and versions and versions[0][0].parent == Path(os.environ["PG_BIN_DIR"]):
        return versions[0][0]
    usable = sorted((v, str(p)) for p, v in versions if v >= major)
    if not usable:
        raise BackupError(
            f"No {name} of PostgreSQL {major} or newer was found (looked at: "
            f"{', '.join(f'{p} ({v})' for p, v in versions) or 'nothing'}). Set PG_BIN_DIR."
        )
    return Path(usable[0][1])


def _pg_args(db: dict) -> tuple[list[str], dict]:
    # The embedded server listens on a socket given in OPTIONS (DATABASE_URL `?host=`), not on 127.0.0.1.
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or "127.0.0.1"
    args = ["--host", host, "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _connect(db: dict):
    import psycopg2

    return psycopg2.connect(
        dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or (db.get("OPTIONS") or {}).get("host"),  # the embedded server: a socket in OPTIONS
        port=db.get("PORT") or None,
    )  # fmt: skip


def row_counts(conn=None) -> dict[str, int]:
    """Every table of the public schema and its exact row count."""
    with (conn or connection).cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(output: Path | None = None, *, db: dict | None = None, media_root: Path | None = None) -> Path:
    """Write the archive into `output` (a folder, default var/backups/) and its `.sha256`; return its path."""
    db = db or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output or settings.BASE_DIR / "var" / "backups")
    output.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    archive = output / f"coordination-{stamp}.tar"
    major = server_major()
    pg_dump = pg_binary("pg_dump", major)
    args, env = _pg_args(db)
    snapshot_conn = _connect(db)
    snapshot_conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.dump"
        try:
            # One snapshot for the dump and the row counts of the manifest, even while the application writes.
            with snapshot_conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            result = subprocess.run(
                [str(pg_dump), *args, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 "--file", str(dump), db["NAME"]],
                env=env,
                capture_output=True,
                text=True,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[-2000:]}")
            counts = row_counts(snapshot_conn)
        finally:
            snapshot_conn.close()
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": db["NAME"],
            "server_major": major,
            "pg_dump": str(pg_dump),
            "pg_dump_major": _major(pg_dump),
            "database_sha256": sha256(dump),
            "row_counts": counts,
            "media_files": 0,
        }
        with tarfile.open(archive, "w") as tar:
            tar.add(dump, arcname="database.dump")
            if media_root.exists():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=f"media/{path.relative_to(media_root)}")
                        manifest["media_files"] += 1
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (output / f"{archive.name}.sha256").write_text(f"{sha256(archive)}  {archive.name}\n")
    return archive


def verify(archive: Path) -> dict:
    """Check the archive against its `.sha256` and the dump against the manifest; return the manifest."""
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"{archive} does not exist.")
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.exists() and sidecar.read_text().split()[0] != sha256(archive):
        raise BackupError(f"{archive.name} does not match {sidecar.name}: the archive is damaged.")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        digest = hashlib.sha256()
        handle = tar.extractfile("database.dump")
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    if digest.hexdigest() != manifest["database_sha256"]:
        raise BackupError("The database dump does not match the manifest: the archive is damaged.")
    return manifest


def database_is_empty(conn=None) -> bool:
    with (conn or connection).cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def restore(archive: Path, *, db: dict | None = None, media_root: Path | None = None, force: bool = False) -> dict:
    """Restore the archive into `db` (default: the configured database) and the media folder."""
    manifest = verify(archive)
    db = db or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    args, env = _pg_args(db)
    target = _connect(db)
    try:
        empty = database_is_empty(target)
        major = server_major(target)
    finally:
        target.close()
    if not empty and not force:
        raise BackupError(
            f"The database {db['NAME']} is not empty: restoring would mix two data sets. Restore into an empty "
            "database, or add --force to replace its tables."
        )
    pg_restore = pg_binary("pg_restore", max(major, manifest["pg_dump_major"]))
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive) as tar:
        tar.extract("database.dump", tmp, filter="data")
        command = [str(pg_restore), *args, "--dbname", db["NAME"], "--no-owner", "--no-privileges"]
        command += ["--clean", "--if-exists"] if force else ["--exit-on-error"]
        result = subprocess.run([*command, str(Path(tmp) / "database.dump")], env=env, capture_output=True, text=True)
        if result.returncode != 0 and not force:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
        members = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
        media_root.mkdir(parents=True, exist_ok=True)
        for member in members:
            member.name = member.name.removeprefix("media/")
            tar.extract(member, media_root, filter="data")
    return manifest
