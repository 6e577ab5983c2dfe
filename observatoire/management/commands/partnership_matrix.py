import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from observatoire.aggregates import matrix_json
from observatoire.filters import MAX_PERIOD_DAYS


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide : {value!r} (attendu AAAA-MM-JJ).") from None


class Command(BaseCommand):
    help = (
        "The partnership matrix over referrals sent between --from and --to (inclusive, local dates): "
        '{"<from_structure_id>": {"<to_structure_id>": {"sent", "accepted", "refused", "expired", '
        '"median_days_to_answer"}}}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--to", dest="end", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--json", action="store_true", help="print JSON (the only output format)")

    def handle(self, *args, start, end, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("La période se termine avant de commencer.")
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise CommandError("La période ne peut pas dépasser 5 ans.")
        self.stdout.write(json.dumps(matrix_json(start, end), sort_keys=True))
