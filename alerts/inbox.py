"""The inbox as people act on it: alerts grouped by person, similar ones folded, and a daily cap on « Urgent ».

A pure function over presented rows (`presenters.AlertRow`), so that it is tested without a database:

- one group per person, the groups sorted by their most urgent due date (then severity, then name);
- inside a group, alerts about things ending in the same week (a stay, a resource, a contract, a PASS IAE, a
  permit, an institution exit, and the employment lever that depends on the stay) fold into one item;
- at most `cap` groups are shown under « Urgent » (those due first); the other urgent groups join
  « À surveiller » with the rest, so a busy morning starts with a short list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .enums import SEVERITY_RANK, AlertRule, Severity

# Rules about something that ends on a date: same-week ones fold together.
ENDING_RULES = frozenset(
    {
        AlertRule.STAY_END,
        AlertRule.CONTRACT_END,
        AlertRule.PASS_IAE_END,
        AlertRule.RESOURCE_END,
        AlertRule.PERMIT_RENEWAL,
        AlertRule.INSTITUTION_EXIT,
        AlertRule.EMPLOYMENT_LEVER,
    }
)
FOLD_WINDOW = dt.timedelta(days=7)
FAR = dt.date.max


@dataclass
class InboxItem:
    """One line of a person's group: one alert, or several folded together."""

    rows: list

    @property
    def alerts(self) -> list:
        return [row.alert for row in self.rows]

    @property
    def first(self):
        return self.rows[0].alert

    @property
    def is_folded(self) -> bool:
        return len(self.rows) > 1

    @property
    def severity(self) -> str:
        return max((a.severity for a in self.alerts), key=lambda s: SEVERITY_RANK.get(s, 0))

    @property
    def severity_class(self) -> str:
        return {Severity.URGENT: "danger", Severity.WARNING: "warning", Severity.INFO: "info"}.get(
            self.severity, "secondary"
        )

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)

    @property
    def due_on(self):
        dates = [a.due_on for a in self.alerts if a.due_on]
        return min(dates) if dates else None

    @property
    def title(self) -> str:
        if not self.is_folded:
            return self.first.get_rule_display()
        return _("Plusieurs échéances la même semaine")

    @property
    def reason(self) -> str:
        """The one-line reason: the explanation, or the folded rules' names."""
        if not self.is_folded:
            return self.rows[0].explanation
        return " · ".join(a.get_rule_display() for a in self.alerts)

    @property
    def ids(self) -> str:
        return ",".join(str(a.pk) for a in self.alerts)

    @property
    def open_ids(self) -> str:
        return ",".join(str(a.pk) for a in self.alerts if a.status == "OPEN")


@dataclass
class PersonGroup:
    person: object
    items: list[InboxItem] = field(default_factory=list)

    @property
    def rows(self) -> list:
        return [row for item in self.items for row in item.rows]

    @property
    def due_on(self):
        dates = [item.due_on for item in self.items if item.due_on]
        return min(dates) if dates else None

    @property
    def rank(self) -> int:
        return max(SEVERITY_RANK.get(item.severity, 0) for item in self.items)

    @property
    def is_urgent(self) -> bool:
        return self.rank == SEVERITY_RANK[Severity.URGENT]

    @property
    def alert_count(self) -> int:
        return len(self.rows)


@dataclass
class Inbox:
    urgent: list[PersonGroup]
    watch: list[PersonGroup]
    capped: int  # urgent groups moved to « À surveiller » by the cap

    @property
    def groups(self) -> list[PersonGroup]:
        return self.urgent + self.watch


def _fold(rows: list) -> list[InboxItem]:
    items: list[InboxItem] = []
    ending: InboxItem | None = None
    # Rows come by urgency; fold by date order so that a week is measured from the earliest end.
    for row in sorted(rows, key=lambda r: (r.alert.due_on or FAR, r.alert.pk)):
        alert = row.alert
        if alert.rule in ENDING_RULES and alert.due_on:
            if ending is not None and alert.due_on - ending.due_on <= FOLD_WINDOW:
                ending.rows.append(row)
                continue
            ending = InboxItem(rows=[row])
            items.append(ending)
        else:
            items.append(InboxItem(rows=[row]))
    return sorted(items, key=lambda i: (-SEVERITY_RANK.get(i.severity, 0), i.due_on or FAR, i.first.pk))


def build_inbox(rows: list, *, cap: int) -> Inbox:
    by_person: dict[int, list] = {}
    people = {}
    for row in rows:
        by_person.setdefault(row.alert.person_id, []).append(row)
        people[row.alert.person_id] = row.alert.person
    groups = [PersonGroup(person=people[pk], items=_fold(person_rows)) for pk, person_rows in by_person.items()]
    groups.sort(key=lambda g: (g.due_on or FAR, -g.rank, str(g.person), g.person.pk))
    urgent = [g for g in groups if g.is_urgent][: max(cap, 0)]
    chosen = {id(g) for g in urgent}
    watch = [g for g in groups if id(g) not in chosen]
    return Inbox(urgent=urgent, watch=watch, capped=sum(1 for g in watch if g.is_urgent))
