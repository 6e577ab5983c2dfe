from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench` and `seed_bench`: development only, like `tests/`; nothing imports it."""

    name = "bench"
    verbose_name = "Bench"
