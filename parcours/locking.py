"""Optimistic locking shared by every form that edits a row several people may edit at once.

A row carries `lock_version` (incremented by each save); a form sends back the version it loaded; a save
from an older copy is refused with one French message (the evaluations' drafts and the action plan).
"""

from django.utils.translation import gettext_lazy as _

EDIT_CONFLICT_MESSAGE = _(
    "Quelqu'un a enregistré ce brouillon après que vous l'avez ouvert. Vos saisies n'ont pas été "
    "enregistrées : elles restent affichées ci-dessous. Rechargez la page pour voir la dernière "
    "version, puis reportez vos modifications."
)


class EditConflict(Exception):
    """Someone saved the row after this copy was loaded."""

    def __init__(self, message=None):
        super().__init__(str(message or EDIT_CONFLICT_MESSAGE))


def check_lock_version(current: int, submitted, error: type[Exception] = EditConflict) -> None:
    """Raise `error` (with the shared message) unless `submitted` is the row's `current` version."""
    try:
        submitted = int(submitted)
    except (TypeError, ValueError):
        submitted = -1
    if submitted != current:
        raise error(str(EDIT_CONFLICT_MESSAGE))
