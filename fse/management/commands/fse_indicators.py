import json

from django.core.management.base import BaseCommand, CommandError

from fse import indicators
from fse.models import Operation

from .create_fse_operation import parse_date


class Command(BaseCommand):
    help = "Affiche les indicateurs FSE d'une opération (par sexe et au total)."

    def add_arguments(self, parser):
        parser.add_argument("--operation", required=True, help="numéro de l'opération")
        parser.add_argument(
            "--from", dest="start", help="début de la période AAAA-MM-JJ (défaut : début de l'opération)"
        )
        parser.add_argument("--to", dest="end", help="fin de la période AAAA-MM-JJ (défaut : fin de l'opération)")
        parser.add_argument("--cumulated", action="store_true", help="cumul depuis le début de l'opération")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, operation, start, end, cumulated, **options):
        op = Operation.objects.filter(number=operation).first()
        if op is None:
            raise CommandError(f"Opération inconnue : « {operation} ».")
        start_on = parse_date(start) if start else op.start_on
        end_on = parse_date(end) if end else op.end_on
        if end_on < start_on:
            raise CommandError("La fin de la période doit suivre son début.")
        figures = indicators.compute(op, start_on, end_on)
        data = figures.as_json(indicators.CUMULATED if cumulated else indicators.PERIOD)
        if options["json"]:
            self.stdout.write(_dumps(data))
            return
        for code, values in data.items():
            cells = " ".join(f"{key}={'-' if value is None else value}" for key, value in values.items())
            self.stdout.write(f"{code:8} {cells}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
