"""`python -m bench.access_compare`: the access policy's query against a UNION ALL of id sets (issue 15).

Runs on the bench database (`seed_bench` first). For the bench worker, the manager of her structure and a
coordinator, times (p50/p95 over 15 runs, after a warm-up) three uses of the policy: the count of every visible
person (a cohort), a caseload page (the structure's 300 follow-ups, 50 per page) and one person's file check —
with the current `visible_q` (OR-ed correlated EXISTS) and the candidate `pk IN (… UNION ALL …)` below, which
was measured and NOT adopted (docs/benchmarks.md: it makes narrowed pages follow the territory).
"""

import os
import statistics
import sys
import time


def union_visible_q(user):
    """The candidate: `pk IN (<follow-ups> UNION ALL <referrals> UNION ALL <consents>)`, same rules."""
    from django.db.models import Exists, OuterRef, Q

    from accounts.scope import user_scope
    from parcours.enums import ConsentScope, FollowUpEndReason
    from parcours.models import Consent, FollowUp, Referral

    scope = user_scope(user)
    if not scope.sees_people:
        return Q(pk__in=[])
    sets = []
    structures = sorted(scope.field_structures)
    if structures:
        objection = FollowUp.objects.filter(
            person_id=OuterRef("person_id"),
            structure_id=OuterRef("structure_id"),
            end_reason=FollowUpEndReason.OBJECTION,
        )
        mine = FollowUp.objects.filter(structure_id__in=structures)
        sets.append(mine.filter(ended_on__isnull=True))
        sets.append(mine.filter(ended_on__isnull=False).filter(~Exists(objection)))
        sets.append(Referral.objects.pending().filter(to_structure_id__in=structures))
        sets.append(Consent.objects.active(ConsentScope.PARTNERS))
    if scope.is_coordinator:
        sets.append(Consent.objects.active(ConsentScope.COORDINATION))
    sets = [qs.order_by().values("person_id") for qs in sets]
    if not sets:
        return Q(pk__in=[])
    return Q(pk__in=sets[0].union(*sets[1:], all=True) if len(sets) > 1 else sets[0])


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
        for policy_name, policy in (("current OR-EXISTS", visible_q), ("UNION ALL", union_visible_q)):
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
