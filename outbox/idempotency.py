"""Once-only form submissions: a double click, a resent form or two tabs create the object once.

The form carries a random hidden `submission_key` (`outbox.forms.SubmissionKeyMixin`). The view wraps the creation
in `with outbox.submit_once(request) as submission: …; submission.result_url = url`. The key is inserted in the
creation's transaction (a primary key): a second submission with the same key waits for the first to commit,
then raises `AlreadySubmitted`, which `outbox.middleware.SubmissionMiddleware` turns into a redirect to the first
result. A failed creation (validation error) rolls the key back so that the corrected form can be sent again.
A POST without a key (an old page, an API client) is handled as before.
"""

import uuid
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from .models import SubmissionKey

FIELD = "submission_key"


class AlreadySubmitted(Exception):
    def __init__(self, url: str = ""):
        super().__init__(url)
        self.url = url


class Submission:
    def __init__(self, key):
        self.key = key
        self.result_url = ""


def _key(request):
    try:
        return uuid.UUID(str(request.POST.get(FIELD, "")))
    except ValueError:
        return None


def _replay(key, user) -> AlreadySubmitted:
    row = SubmissionKey.objects.filter(key=key).first()
    return AlreadySubmitted(row.result_url if row and row.user_id == user.pk else "")


def check_not_submitted(request) -> None:
    """Raise `AlreadySubmitted` when this request's key was already used."""
    key = _key(request)
    if key is not None and SubmissionKey.objects.filter(key=key).exists():
        raise _replay(key, request.user)


@contextmanager
def submit_once(request):
    key = _key(request)
    submission = Submission(key)
    if key is None or not request.user.is_authenticated:
        yield submission
        return
    if SubmissionKey.objects.filter(key=key).exists():
        raise _replay(key, request.user)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SubmissionKey.objects.create(key=key, user=request.user)
        except IntegrityError:  # a concurrent submission with this key committed first
            raise _replay(key, request.user) from None
        yield submission
        if submission.result_url:
            SubmissionKey.objects.filter(key=key).update(result_url=submission.result_url[:500])
