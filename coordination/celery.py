"""The Celery application: Redis broker, queues `default`, `alerts` and `reports`."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")

app = Celery("coordination")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Separate queues so that long PDF jobs never delay alerts (design README §3).
app.conf.task_queues = [Queue(name) for name in ("default", "alerts", "reports")]
app.autodiscover_tasks()

# Request ids carried into tasks, task durations and failures (docs/operations.md).
from coordination import observability  # noqa: E402,F401
