"""The minutes ("relevé de décisions") of a held session, rendered to PDF by WeasyPrint.

Anonymous cases stay anonymous: the PDF shows initials, age band and coded situation, never the name; a
case is nominative only if its consent is still active when the PDF is rendered. No presentation text.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from .models import CaseReview, Decision, Session
from .presenters import situation_labels


def context(session: Session) -> dict:
    cases = list(
        CaseReview.objects.filter(session=session)
        .with_nominative()
        .select_related("person", "presenting_structure")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("owner_structure").order_by("id"))
        )
        .order_by("position", "id")
    )
    rows = [
        {
            "case": case,
            "label": f"{case.person.last_name.upper()} {case.person.first_name}"
            if case.is_nominative
            else case.anonymous_label,
            "situation": [] if case.is_nominative else situation_labels(case.situation),
        }
        for case in cases
    ]
    members = list(session.commission.members.select_related("structure").order_by("role", "structure__name"))
    return {
        "session": session,
        "commission": session.commission,
        "members": members,
        "rows": rows,
        "generated_at": timezone.localtime(),
    }


def render_pdf(session: Session) -> bytes:
    from weasyprint import HTML

    html = render_to_string("concertation/pdf/minutes.html", context(session))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
