"""Each aggregate against an independent computation (Python over the ORM rows) on fixed data."""

import datetime as dt
import io
import json
import statistics

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from alerts.enums import AlertRule, AlertStatus
from observatoire import aggregates
from observatoire.filters import Filters
from parcours.models import Referral
from partenaires.enums import SECTOR_BY_KIND, RegistrationStatus
from partenaires.models import EventRegistration
from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory
from tests.observatoire.conftest import END, PARIS, START, at
from tests.parcours.factories import HousingSituationFactory, PersonFactory
from tests.partenaires.factories import PartnerActionFactory, StructureFactory

pytestmark = pytest.mark.django_db


def independent_matrix(start, end):
    """The command's JSON computed in Python from every referral row."""
    result = {}
    for r in Referral.objects.order_by("id"):
        day = timezone.localtime(r.sent_at, PARIS).date()
        if not start <= day <= end:
            continue
        cell = result.setdefault(str(r.from_structure_id), {}).setdefault(
            str(r.to_structure_id), {"sent": 0, "accepted": 0, "refused": 0, "expired": 0, "_delays": []}
        )
        cell["sent"] += 1
        if r.status in ("ACCEPTED", "REFUSED", "EXPIRED"):
            cell[r.status.lower()] += 1
        if r.status in ("ACCEPTED", "REFUSED"):
            cell["_delays"].append((r.answered_at - r.sent_at).total_seconds() / 86400)
    for row in result.values():
        for cell in row.values():
            delays = cell.pop("_delays")
            cell["median_days_to_answer"] = round(statistics.median(delays), 1) if delays else None
    return result


def test_the_command_prints_the_matrix_as_specified(referrals, chrs, aci, pension):
    out = io.StringIO()
    call_command("partnership_matrix", "--from", START.isoformat(), "--to", END.isoformat(), "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == independent_matrix(START, END)
    cell = printed[str(chrs.pk)][str(aci.pk)]
    # 4 accepted (1.5, 2, 3, 10 days), 2 refused (4, 6 days): median of 6 delays = 3.5 days.
    assert cell == {"sent": 7, "accepted": 4, "refused": 2, "expired": 1, "median_days_to_answer": 3.5}
    # Inclusive end: the referral sent at 23:50 on the last day counts, the one at 00:10 the next day does not.
    assert printed[str(pension.pk)][str(chrs.pk)]["sent"] == 1
    assert printed[str(pension.pk)][str(chrs.pk)]["median_days_to_answer"] is None
    assert set(printed[str(chrs.pk)]) == {str(aci.pk)}


def test_the_command_refuses_bad_periods(db):
    with pytest.raises(CommandError, match="avant de commencer"):
        call_command("partnership_matrix", "--from", "2026-03-31", "--to", "2026-03-01", "--json")
    with pytest.raises(CommandError, match="5 ans"):
        call_command("partnership_matrix", "--from", "2015-01-01", "--to", "2026-03-01", "--json")
    with pytest.raises(CommandError, match="invalide"):
        call_command("partnership_matrix", "--from", "hier", "--to", "2026-03-01", "--json")


def test_the_matrix_rows_give_rates_reasons_and_the_previous_period(referrals, chrs, aci):
    rows = {(r["from"], r["to"]): r for r in aggregates.partnership_matrix(Filters(START, END))}
    row = rows[(chrs.pk, aci.pk)]
    assert row["acceptance_rate"] == round(100 * 4 / 7)
    assert row["refused_by_reason"]["NO_CAPACITY"] == 1
    assert row["refused_by_reason"]["NOT_ELIGIBLE"] == 1
    # February (the 28 days before March 1 + 3 days of January: same length, 31 days) had 2 sent, 1 of 2 accepted.
    assert row["previous_sent"] == 2
    assert row["previous_acceptance_rate"] == 50


def test_the_sector_matrix_adds_up_the_structure_pairs(referrals):
    by_structure = aggregates.partnership_matrix(Filters(START, END))
    by_sector = aggregates.partnership_matrix(Filters(START, END), by="sector")
    kinds = dict(StructureFactory._meta.model.objects.values_list("pk", "kind"))
    expected = {}
    for r in by_structure:
        key = (SECTOR_BY_KIND[kinds[r["from"]]], SECTOR_BY_KIND[kinds[r["to"]]])
        expected[key] = expected.get(key, 0) + r["sent"]
    assert {(r["from"], r["to"]): r["sent"] for r in by_sector} == expected


def test_filters_narrow_the_matrix_to_pairs_touching_the_structures(referrals, chrs, aci, pension):
    rows = aggregates.partnership_matrix(Filters(START, END, territory="Montcourt"))
    assert {(r["from"], r["to"]) for r in rows} == {(aci.pk, pension.pk), (pension.pk, chrs.pk)}
    rows = aggregates.partnership_matrix(Filters(START, END, sector="EMPLOYMENT"))
    assert {(r["from"], r["to"]) for r in rows} == {(chrs.pk, aci.pk), (aci.pk, pension.pk)}
    rows = aggregates.partnership_matrix(Filters(START, END, limit_to=(pension.pk,)))
    assert {(r["from"], r["to"]) for r in rows} == {(aci.pk, pension.pk), (pension.pk, chrs.pk)}


def test_monthly_activity_matches_a_count_of_the_rows(referrals, chrs, aci):
    rows = aggregates.monthly_activity(Filters(dt.date(2026, 2, 1), END, structure_id=chrs.pk))
    assert [r["month"] for r in rows] == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    for row in rows:
        month = row["month"]
        sent = [
            r
            for r in Referral.objects.filter(from_structure=chrs)
            if timezone.localtime(r.sent_at, PARIS).date().replace(day=1) == month
        ]
        received = [
            r
            for r in Referral.objects.filter(to_structure=chrs)
            if timezone.localtime(r.sent_at, PARIS).date().replace(day=1) == month
        ]
        assert row["sent"] == len(sent)
        assert row["received"] == len(received)
    assert rows[1]["sent"] == 7


def test_no_capacity_refusals_by_offer_type_and_territory(referrals):
    rows = aggregates.refusals_no_capacity(Filters(START, END))
    expected = {}
    for r in Referral.objects.filter(status="REFUSED", refusal_reason="NO_CAPACITY").select_related("to_structure"):
        if START <= timezone.localtime(r.sent_at, PARIS).date() <= END:
            key = (r.to_structure.kind, r.to_structure.commune)
            expected[key] = expected.get(key, 0) + 1
    assert (
        {(r["kind"], r["territory"]): r["count"] for r in rows}
        == expected
        == {
            ("ACI", "Villeneuve"): 1,
            ("PENSION_DE_FAMILLE", "Montcourt"): 3,
        }
    )


def test_active_barriers_of_the_current_evaluations(chrs, pension):
    EvaluationFactory(structure=chrs, complete=True, final=True, barriers={"MOBILITY": [], "DIGITAL": []})
    EvaluationFactory(structure=chrs, complete=True, final=True, barriers={"MOBILITY": []})
    person = PersonFactory()
    EvaluationFactory(person=person, structure=pension, complete=True, final=True, barriers={"HOUSING": []})
    # A draft does not count.
    EvaluationFactory(structure=pension, complete=True, barriers={"FAMILY": []})
    rows = aggregates.active_barriers(Filters(START, timezone.localdate()))
    assert {(r["territory"], r["theme"]): r["count"] for r in rows} == {
        ("Villeneuve", "MOBILITY"): 2,
        ("Villeneuve", "DIGITAL"): 1,
        ("Montcourt", "HOUSING"): 1,
    }


def test_close_to_employment_in_the_street_or_hosted(chrs):
    today = timezone.localdate()
    street = PersonFactory()
    HousingSituationFactory(person=street, street=True, started_on=today - dt.timedelta(days=200))
    EvaluationFactory(person=street, structure=chrs, complete=True, final=True)
    hotel = PersonFactory()
    HousingSituationFactory(person=hotel, hotel=True, started_on=today - dt.timedelta(days=30))
    EvaluationFactory(person=hotel, structure=chrs, complete=True, final=True)
    far = PersonFactory()  # in the street but far from employment: not counted
    HousingSituationFactory(person=far, street=True, started_on=today - dt.timedelta(days=30))
    EvaluationFactory(person=far, structure=chrs, complete=True, final=True, distance_level="FAR")
    rows = aggregates.close_to_employment_unstably_housed(Filters(START, today))
    assert {(r["group"], r["bucket"]): (r["count"], r["median_days"]) for r in rows} == {
        ("STREET", "6TO12"): (1, 200),
        ("EMERGENCY", "LT3"): (1, 30),
    }


def test_alerts_closed_without_a_solution_by_rule(chrs):
    closed = at(dt.date(2026, 3, 15))
    AlertFactory.create_batch(2, structure=chrs, dismissed=True, closed_at=closed)
    AlertFactory(structure=chrs, rule=AlertRule.STAY_END, subject_key="stay:1", dismissed=True, closed_at=closed)
    AlertFactory(structure=chrs, status=AlertStatus.RESOLVED, closed_at=closed)  # resolved: not counted
    AlertFactory(structure=chrs, dismissed=True, closed_at=at(dt.date(2026, 4, 2)))  # after the period
    rows = aggregates.alerts_closed_without_solution(Filters(START, END))
    assert {r["rule"]: r["count"] for r in rows} == {"NO_CONTACT": 2, "STAY_END": 1}


def test_who_knows_whom(chrs, aci, pension):
    today = timezone.localdate()
    other = StructureFactory(name="FJT Observatoire", kind="FJT", commune="Villeneuve", is_member=True)
    event = PartnerActionFactory(structure=chrs, kind="PARTNER_MEETING", starts_on=today - dt.timedelta(days=20))
    EventRegistration.objects.create(action=event, structure=chrs, status=RegistrationStatus.ATTENDED)
    EventRegistration.objects.create(action=event, structure=aci, status=RegistrationStatus.ATTENDED)
    EventRegistration.objects.create(action=event, structure=other, status=RegistrationStatus.ABSENT)
    from tests.parcours.factories import ReferralFactory

    ReferralFactory(from_structure=pension, to_structure=other, sent_at=timezone.now() - dt.timedelta(days=3))
    total, known = aggregates.known_pairs(Filters(START, today))
    pairs = {(p["a"], p["b"]): (p["by_event"], p["by_referral"]) for p in known}
    assert total == 2
    assert pairs == {
        (min(chrs.pk, aci.pk), max(chrs.pk, aci.pk)): (True, False),
        (min(pension.pk, other.pk), max(pension.pk, other.pk)): (False, True),
    }
    total, never = aggregates.never_met_pairs(Filters(START, today))
    # Villeneuve: CHRS, ACI, FJT → CHRS–FJT and ACI–FJT never met; Montcourt has a single member.
    assert total == 2
    assert {frozenset((p["a"], p["b"])) for p in never} == {
        frozenset((chrs.pk, other.pk)),
        frozenset((aci.pk, other.pk)),
    }


def test_never_met_pairs_of_one_territory(chrs, aci, pension):
    today = timezone.localdate()
    StructureFactory(kind="FJT", commune="Montcourt", is_member=True)
    assert aggregates.never_met_pairs(Filters(START, today, territory="Villeneuve"))[0] == 1
    total, pairs = aggregates.never_met_pairs(Filters(START, today, territory="Montcourt"))
    assert total == 1
    assert pension.pk in (pairs[0]["a"], pairs[0]["b"])


def test_active_barriers_count_those_the_action_plan_addresses(chrs, pension):
    """An objective not abandoned on the barrier theme, or without a barrier theme on its plan theme, addresses
    it (the rule of the plan page); an abandoned one, or one on another theme, does not."""
    from parcours.enums import PLAN_THEME_BY_BARRIER
    from parcours.models import Objective
    from tests.parcours.factories import ActionFactory, ObjectiveFactory

    by_barrier = PersonFactory()
    EvaluationFactory(person=by_barrier, structure=chrs, complete=True, final=True, barriers={"MOBILITY": []})
    ObjectiveFactory(person=by_barrier, theme="MOBILITY", barrier_theme="MOBILITY", created_by_structure=chrs)
    by_theme = PersonFactory()
    EvaluationFactory(
        person=by_theme, structure=chrs, complete=True, final=True, barriers={"MOBILITY": [], "DIGITAL": []}
    )
    action = ActionFactory(
        objective=ObjectiveFactory(person=by_theme, theme=PLAN_THEME_BY_BARRIER["DIGITAL"], created_by_structure=chrs)
    )
    abandoned = PersonFactory()
    EvaluationFactory(person=abandoned, structure=pension, complete=True, final=True, barriers={"HOUSING": []})
    ObjectiveFactory(
        person=abandoned,
        theme="HOUSING",
        barrier_theme="HOUSING",
        status="ABANDONED",
        abandon_reason="Plus d'actualité.",
        created_by_structure=pension,
    )
    ObjectiveFactory(person=abandoned, theme="EMPLOYMENT", created_by_structure=pension)  # another theme
    rows = aggregates.active_barriers(Filters(START, timezone.localdate()))
    assert {(r["territory"], r["theme"]): (r["count"], r["addressed"]) for r in rows} == {
        ("Villeneuve", "MOBILITY"): (2, 1),
        ("Villeneuve", "DIGITAL"): (1, 1),
        ("Montcourt", "HOUSING"): (1, 0),
    }
    # Independent count in Python over the rows.
    from evaluations.models import Evaluation

    addressed = 0
    for evaluation in Evaluation.objects.filter(is_current=True):
        for theme in evaluation.active_themes:
            addressed += any(
                o.status != "ABANDONED"
                and (o.barrier_theme == theme or (not o.barrier_theme and o.theme == PLAN_THEME_BY_BARRIER.get(theme)))
                for o in Objective.objects.filter(person_id=evaluation.person_id)
            )
    assert sum(r["addressed"] for r in rows) == addressed == 2
    assert action.objective.barrier_theme == ""
