"""The note d'opportunité: a real Celery worker renders the PDF; no person's name is ever in it."""

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from observatoire.enums import NoteStatus
from observatoire.filters import Filters
from observatoire.models import OpportunityNote
from observatoire.services import attach_evidence, create_proposal
from tests.observatoire.conftest import END, SECRET_NAMES, START


@pytest.mark.celery_worker
def test_the_note_is_rendered_by_the_worker_and_downloaded(celery_worker, client, coordinator, referrals, chrs, aci):
    proposal = create_proposal(
        user=coordinator,
        structure=chrs,
        data={
            "title": "Places adossées à un chantier d'insertion",
            "need": "Des refus faute de place bloquent des parcours.",
            "target_public": "Personnes hébergées proches de l'emploi.",
            "resources": "Dix places.",
            "expected_results": "Moins de refus.",
        },
        partners=[aci],
    )
    attach_evidence(user=coordinator, proposal=proposal, figure_key="no_capacity", filters=Filters(START, END))
    client.force_login(coordinator)
    url = reverse("observatoire:proposal_pdf", args=[proposal.pk])
    assert client.post(url).status_code == 302
    note = OpportunityNote.objects.get(proposal=proposal)
    for _ in range(120):
        note.refresh_from_db()
        if note.status in (NoteStatus.DONE, NoteStatus.FAILED):
            break
        time.sleep(0.5)
    assert note.status == NoteStatus.DONE
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    assert "Places adossées à un chantier d'insertion" in text
    assert "Refus faute de place, par type d'offre et territoire" in text
    assert "ACI Observatoire" in text
    for name in (*SECRET_NAMES, coordinator.last_name):
        assert name not in text
