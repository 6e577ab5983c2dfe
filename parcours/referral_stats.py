"""How fast a structure answers the referrals it receives: aggregates only, shown in the directory."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class ResponseStats:
    received: int
    answered: int
    accepted: int
    median_days: float | None


def referral_response_stats(structure_id: int, *, months: int = 12) -> ResponseStats:
    """Referrals received over the last `months` months, in one query: answered share and median delay."""
    since = timezone.now() - dt.timedelta(days=30 * months)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*),
                   COUNT(*) FILTER (WHERE status IN ('ACCEPTED', 'REFUSED')),
                   COUNT(*) FILTER (WHERE status = 'ACCEPTED'),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM answered_at - sent_at) / 86400)
                     FILTER (WHERE status IN ('ACCEPTED', 'REFUSED'))
            FROM parcours_referral
            WHERE to_structure_id = %s AND sent_at >= %s AND status <> 'CANCELLED'
            """,
            [structure_id, since],
        )
        received, answered, accepted, median = cursor.fetchone()
    return ResponseStats(received, answered, accepted, round(median, 1) if median is not None else None)
