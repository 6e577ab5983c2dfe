"""Rupture-risk alerts (domain.md §5): set-wise rules, the engine that upserts alerts, and their pages.

Layout: `models.py` (Alert, AlertTransition, AlertSettings — in app `parcours`), `rules/` (one module per
rule, each returning SQL), `engine.py` (runs rules, upserts and auto-resolves), `services.py` (writes
from the pages, the on-change hook), `notify.py` (digest, escalation), `tasks.py` (Celery, queue `alerts`).
"""
