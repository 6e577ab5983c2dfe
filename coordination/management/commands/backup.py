from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the media files into one archive with a checksum."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="folder of the archive (default: var/backups/)")

    def handle(self, *args, output=None, **options):
        try:
            archive = backup.backup(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.verify(archive)
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"{archive} ({archive.stat().st_size} bytes, {len(manifest['row_counts'])} tables, {rows} rows, "
            f"{manifest['media_files']} media files; checksum in {archive.name}.sha256)"
        )
