import importlib.util
import time

from django.core.management.base import BaseCommand
from django.db import connection

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
                started = time.perf_counter()
                module.seed(persons=persons, stdout=self.stdout)
                self.stdout.write(f"{path}: {time.perf_counter() - started:.0f} s")
        # What autovacuum does on a live database: statistics for the planner and visibility maps for index-only
        # scans. Without it the first figures measure a freshly loaded database (the first nightly alert run took
        # 95 s at 100,000 people instead of 12 s).
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")
