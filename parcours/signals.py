"""Signals the people app sends, so that higher apps react without being imported (README §2).

`person_changed(sender, person_id)`: a fact of the person that the alert rules read changed (a situation,
resource, event, referral, follow-up, PASS IAE, housing request or the identity). Sent by `parcours.services`
inside the writing transaction; receivers defer their work to the commit (e.g. `alerts` queues the person's
rules with `transaction.on_commit`).
"""

from django.dispatch import Signal

person_changed = Signal()


def send_person_changed(person_id: int) -> None:
    person_changed.send(sender="parcours", person_id=person_id)
