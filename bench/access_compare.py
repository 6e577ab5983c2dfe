"""`python -m bench.access_compare`: the access policy's query before and after the UNION ALL (issue 15).

Runs on the bench database (`seed_bench` first). For the bench worker, the manager of her structure and a
coordinator, times (p50/p95 over 15 runs, after a warm-up) three uses of `visible_q`: the count of every visible
person (a cohort), a caseload page (the structure's 300 follow-ups, 50 per page) and one person's file check —
with the previous policy (OR-ed correlated EXISTS, kept here for the comparison only) and the current one.
"""

import os
import statistics
import sys
import time


def old_visible_q(user):
    """The policy before issue 15 (parcours/access.py at f65ea59), for the comparison only."""
    from django.db.models import Exists, OuterRef, Q

    from accounts.scope import user_scope
    from parcours.enums import ConsentScope, FollowUpEndReason
    from parcours.models import Consent, FollowUp, Referral

    scope = user_scope(user)
    nothing = Q(pk__in=[])
    if not scope.sees_people:
        return nothing
    q = nothing
    structures = sorted(scope.field_structures)
    if structures:
        objection = FollowUp.objects.filter(
            person_id=OuterRef("person_id"),
            structure_id=OuterRef("structure_id"),
            end_reason=FollowUpEndReason.OBJECTION,
        )
        mine = FollowUp.objects.filter(person_id=OuterRef("pk"), structure_id__in=structures)
        q |= Q(Exists(mine.filter(ended_on__isnull=True))) | Q(
            Exists(mine.filter(ended_on__isnull=False).filter(~Exists(objection)))
        )
        q |= Q(Exists(Referral.objects.pending().filter(person_id=OuterRef("pk"), to_structure_id__in=structures)))
        q |= Q(Exists(Consent.objects.active(ConsentScope.PARTNERS).filter(person_id=OuterRef("pk"))))
    if scope.is_coordinator:
        q |= Q(Exists(Consent.objects.active(ConsentScope.COORDINATION).filter(person_id=OuterRef("pk"))))
    return q


def timed(fn, repeat=15) -> tuple[float, float]:
    fn()
    values = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        values.append((time.perf_counter() - started) * 1000)
    values.sort()
    return round(statistics.median(values), 1), round(values[max(0, round(0.95 * len(values)) - 1)], 1)


def main() -> int:
    from bench.harness import _bench_database_url

    os.environ["DATABASE_URL"] = _bench_database_url()
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts.models import Membership, Role
    from bench.parcours import WORKER
    from parcours.access import visible_q
    from parcours.models import FollowUp, Person

    User = get_user_model()
    worker = User.objects.get(email=WORKER)
    home = Membership.objects.filter(user=worker).first().structure
    manager = User.objects.filter(memberships__structure=home, memberships__role=Role.MANAGER).first()
    coordinator = User.objects.filter(memberships__role=Role.COORDINATOR).first()
    caseload = FollowUp.objects.filter(structure=home, ended_on__isnull=True).values("person_id")
    one = FollowUp.objects.filter(structure=home).values_list("person_id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM parcours_person")
        persons = cursor.fetchone()[0]
    print(f"{persons} persons")
    for label, user in (("worker", worker), ("manager", manager), ("coordinator", coordinator)):
        if user is None:
            continue
        for policy_name, policy in (("before", old_visible_q), ("after", visible_q)):
            q = policy(user)
            visible = Person.objects.filter(q)
            cohort = timed(lambda visible=visible: visible.count())
            page = timed(
                lambda visible=visible: list(
                    visible.filter(pk__in=caseload).order_by("last_name", "id").values_list("id", flat=True)[:50]
                )
            )
            single = timed(lambda visible=visible: visible.filter(pk=one).exists())
            print(
                f"| {label} | {policy_name} | {visible.count()} | {cohort[0]} / {cohort[1]} | {page[0]} / {page[1]} "
                f"| {single[0]} / {single[1]} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
