"""Durable side effects, in the bottom layer so that every app can use it (docs/outbox.md).

- `outbox.enqueue(task, *args)`: queue a Celery job through the transactional outbox. The job is written to the
  database in the caller's transaction and published to the broker once it commits; when the broker (Redis) is
  down, the row stays and `outbox.tasks.flush_outbox` (beat, every minute) or `manage.py flush_outbox` sends it
  later. A page never fails because Redis is down.
- `outbox.submit_once(request)`: a context manager that makes a form submission create its object once, keyed by
  the form's hidden `submission_key` (see `outbox.forms.SubmissionKeyMixin`).
- `outbox.jobs.exclusive(name, …)`: a nightly job runs once at a time and, when scheduled, once a day.
"""


def enqueue(task, *args, key: str = "", **kwargs) -> None:
    from .dispatch import enqueue as _enqueue

    _enqueue(task, *args, key=key, **kwargs)


def submit_once(request):
    from .idempotency import submit_once as _submit_once

    return _submit_once(request)
