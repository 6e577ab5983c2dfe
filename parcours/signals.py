"""Signals the people app sends, so that higher apps react without being imported (README §2).

`person_changed(sender, person_id)`: a fact of the person that the alert rules read changed (a situation,
resource, event, referral, follow-up, PASS IAE, housing request or the identity). Sent by `parcours.services`
inside the writing transaction; receivers defer their work to the commit (e.g. `alerts` queues the person's
rules with `transaction.on_commit`).

`people_changed(sender, person_ids)`: the same for many people changed by one set-wise write (an import), so that
receivers work set-wise too.
"""

from django.dispatch import Signal

person_changed = Signal()
people_changed = Signal()


def send_person_changed(person_id: int) -> None:
    person_changed.send(sender="parcours", person_id=person_id)


def send_people_changed(person_ids) -> None:
    if person_ids:
        people_changed.send(sender="parcours", person_ids=list(person_ids))
