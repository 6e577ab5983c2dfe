"""The « note d'opportunité » of a proposal: context, evidence, proposal, partners (WeasyPrint PDF).

No person's name is ever in it: the evidence is aggregates with small numbers masked, and the authors are
given by structure only."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Proposal


def context(proposal: Proposal) -> dict:
    return {
        "proposal": proposal,
        "structure": proposal.structure,
        "partners": list(proposal.partners.order_by("name", "id")),
        "evidence": list(proposal.evidence.all()),
        "comments_count": proposal.comments.count(),
        "generated_at": timezone.localtime(),
    }


def render_html(proposal: Proposal) -> str:
    return render_to_string("observatoire/pdf/note.html", context(proposal))


def render_pdf(proposal: Proposal) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(proposal), base_url=str(settings.BASE_DIR)).write_pdf()
