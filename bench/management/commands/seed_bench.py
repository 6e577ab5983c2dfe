import importlib.util

from django.core.management.base import BaseCommand

from bench.harness import BENCH_MODULES


class Command(BaseCommand):
    help = "Build synthetic data at scale for `make bench` (set-wise; safe to run again at the same size)."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=100_000)

    def handle(self, *args, persons: int, **options):
        for path in BENCH_MODULES:
            if importlib.util.find_spec(path.rsplit(".", 1)[0]) is None or importlib.util.find_spec(path) is None:
                continue
            module = importlib.import_module(path)
            if hasattr(module, "seed"):
                module.seed(persons=persons, stdout=self.stdout)
