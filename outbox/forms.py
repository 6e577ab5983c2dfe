import uuid

from django import forms

from .idempotency import FIELD


class SubmissionKeyMixin:
    """Adds the hidden once-only `submission_key` (a new one each time the empty form is shown)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
