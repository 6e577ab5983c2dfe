import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partenaires.data_inclusion import export_directory


class Command(BaseCommand):
    help = "Export the directory in the data·inclusion schema (two JSON files: structures and services)."

    def add_arguments(self, parser):
        parser.add_argument("--structures", required=True, type=Path, help="Where to write the structures.")
        parser.add_argument("--services", required=True, type=Path, help="Where to write the services.")

    def handle(self, *args, structures, services, **options):
        dropped: list = []
        structure_records, service_records = export_directory(dropped)
        try:
            structures.write_text(json.dumps(structure_records, ensure_ascii=False, indent=2), encoding="utf-8")
            services.write_text(json.dumps(service_records, ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire le fichier : {exc.strerror}.") from exc
        for record_id, name in dropped:
            self.stderr.write(f"{record_id} : valeur de « {name} » refusée par le schéma, non exportée")
        self.stdout.write(f"structures : {len(structure_records)}, services : {len(service_records)}")
