from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination import backup


class Command(BaseCommand):
    help = "Restore an archive of `manage.py backup` into an empty database (--force replaces a non-empty one)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="replace the tables of a non-empty database")
        parser.add_argument("--check", action="store_true", help="only check the archive's checksums")

    def handle(self, *args, archive, force=False, check=False, **options):
        try:
            if check:
                manifest = backup.verify(archive)
                self.stdout.write(f"{archive}: checksums match ({len(manifest['row_counts'])} tables).")
                return
            manifest = backup.restore(archive, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = backup.row_counts()
        differences = {t: (n, counts.get(t)) for t, n in manifest["row_counts"].items() if counts.get(t) != n}
        if differences:
            raise CommandError(f"Restored, but row counts differ from the backup: {differences}")
        self.stdout.write(f"Restored {archive}: {len(counts)} tables, the row counts match the backup.")
