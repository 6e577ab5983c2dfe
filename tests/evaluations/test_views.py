"""Pages: access cases, drafts, finalisation against forged POSTs, contradictory answers, PDF, comparison."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import Action, AuditEntry
from evaluations.models import Evaluation
from tests.evaluations.factories import EvaluationFactory


@pytest.fixture
def final(person, structure, worker):
    return EvaluationFactory(
        person=person,
        structure=structure,
        author=worker,
        complete=True,
        final=True,
        rqth_status="YES",
        barriers={"MOBILITY": ["NO_LICENCE"], "HEALTH": ["HEALTH_CONSTRAINT"]},
    )


@pytest.fixture
def draft(person, structure, worker, final):
    evaluation = EvaluationFactory(person=person, structure=structure, author=worker, complete=True, based_on=final)
    return evaluation


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def test_detail_shows_the_synthesis_and_is_audited(client, worker, final, person):
    client.force_login(worker)
    response = client.get(url("evaluation_detail", final.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Pourquoi ce niveau ?" in text
    assert "Mobilité" in text
    assert "Une contrainte de santé existe" in text  # health access: housing follow-up
    assert "Reconnaissance de la qualité de travailleur handicapé" in text
    assert AuditEntry.objects.filter(user=worker, person_id=person.pk, action=Action.VIEW).exists()


def test_employment_only_partner_does_not_see_health(client, employment_worker, final):
    client.force_login(employment_worker)
    for name in ("evaluation_detail", "evaluation_compare"):
        text = client.get(url(name, final.pk)).content.decode()
        assert "contrainte de santé" not in text
        assert "RQTH" not in text
    pdf = client.get(url("evaluation_pdf", final.pk))
    assert "contrainte de santé" not in _pdf_text(pdf)


@pytest.mark.parametrize("name", ["evaluation_detail", "evaluation_pdf", "evaluation_compare"])
def test_outsider_and_funder_get_404(client, outsider, funder, final, name):
    for user in (outsider, funder):
        client.force_login(user)
        assert client.get(url(name, final.pk)).status_code == 404


def test_colleague_sees_and_other_structures_do_not_see_the_draft(client, colleague, employment_worker, draft):
    client.force_login(colleague)
    assert client.get(url("evaluation_edit", draft.pk, "B")).status_code == 200
    client.force_login(employment_worker)
    assert client.get(url("evaluation_detail", draft.pk)).status_code == 404
    assert client.get(url("evaluation_edit", draft.pk, "B")).status_code == 404


def test_partner_with_consent_reads_but_cannot_start(client, outsider, partners_consent, final, person):
    client.force_login(outsider)
    assert client.get(url("evaluation_detail", final.pk)).status_code == 200
    assert client.post(url("evaluation_start", person.pk)).status_code == 403
    assert not Evaluation.objects.drafts().filter(person=person).exists()


def test_start_for_a_person_not_visible_is_404(client, outsider, person):
    client.force_login(outsider)
    assert client.post(url("evaluation_start", person.pk)).status_code == 404
    assert client.get(url("evaluation_start", person.pk)).status_code == 405
    assert not Evaluation.objects.filter(person=person).exists()


def test_start_prefills_then_save_and_next(client, worker, final, person):
    client.force_login(worker)
    response = client.post(url("evaluation_start", person.pk))
    draft = Evaluation.objects.drafts().get(person=person)
    assert response.url == url("evaluation_edit", draft.pk, "A")
    page = client.get(url("evaluation_edit", draft.pk, "B")).content.decode()
    assert "Étape 2 sur 12" in page
    assert 'value="NV5" selected' in page or 'value="NV5"\n' in page or "NV5" in page
    response = client.post(
        url("evaluation_edit", draft.pk, "B"),
        {"lock_version": draft.lock_version, "education_level": "NV4", "next": "1"},
    )
    assert response.status_code == 302
    assert response.url == url("evaluation_edit", draft.pk, "C")
    draft.refresh_from_db()
    assert draft.education_level == "NV4"


def test_autosave_with_htmx_returns_the_status_fragment(client, worker, draft):
    client.force_login(worker)
    response = client.post(
        url("evaluation_edit", draft.pk, "I"),
        {"lock_version": draft.lock_version, "job_readiness": "NOT_READY"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Brouillon enregistré à" in text
    assert f'value="{draft.lock_version + 1}" hx-swap-oob="true"' in text


def test_conflict_keeps_the_input_and_says_so(client, worker, colleague, draft):
    client.force_login(colleague)
    client.post(url("evaluation_edit", draft.pk, "B"), {"lock_version": draft.lock_version, "education_level": "NV3"})
    client.force_login(worker)
    response = client.post(
        url("evaluation_edit", draft.pk, "B"), {"lock_version": draft.lock_version, "education_level": "AFS"}
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Quelqu&#x27;un a enregistré ce brouillon" in text
    assert 'value="AFS" selected' in text
    draft.refresh_from_db()
    assert draft.education_level == "NV3"


def test_own_autosave_in_flight_is_not_a_conflict(client, worker, draft):
    """« Enregistrer et continuer » racing the user's own autosave: both carry the same lock version. The
    autosave lands first; the submit used to get a false « Quelqu'un a enregistré… » and lose the input."""
    client.force_login(worker)
    stale = draft.lock_version
    autosave = client.post(
        url("evaluation_edit", draft.pk, "B"),
        {"lock_version": stale, "education_level": "NV3"},
        headers={"HX-Request": "true"},
    )
    assert autosave.status_code == 200
    response = client.post(
        url("evaluation_edit", draft.pk, "B"), {"lock_version": stale, "education_level": "NV4", "next": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("evaluation_edit", draft.pk, "C")
    draft.refresh_from_db()
    assert draft.education_level == "NV4"
    assert draft.lock_version == stale + 2


def test_a_colleague_save_between_own_autosaves_is_still_a_conflict(client, worker, colleague, draft):
    client.force_login(worker)
    stale = draft.lock_version
    client.post(url("evaluation_edit", draft.pk, "B"), {"lock_version": stale, "education_level": "NV3"})
    client.force_login(colleague)
    client.post(url("evaluation_edit", draft.pk, "B"), {"lock_version": stale + 1, "education_level": "NV5"})
    client.force_login(worker)
    response = client.post(url("evaluation_edit", draft.pk, "B"), {"lock_version": stale, "education_level": "AFS"})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.education_level == "NV5"


@pytest.mark.parametrize(
    ("section", "data", "message"),
    [
        ("D", {"employment_situation": "EMPLOYED"}, "Indiquez le type de contrat de l&#x27;emploi salarié."),
        (
            "A",
            {
                "nationality_category": "NON_EU",
                "residence_right": "TEMPORARY_PERMIT",
                "permit_end_on": "2020-01-31",
                "work_allowed": "YES",
            },
            "Le titre de séjour a expiré le 31/01/2020",
        ),
        ("A", {"residence_right": "RECEIPT"}, "Indiquez la fin de validité du titre"),
        ("G", {"max_commute_minutes": "999"}, "inférieure ou égale à 240"),
        ("G", {"driving_licences": ["NONE", "B"]}, "« Aucun » ne peut pas être coché"),
        ("J", {"target_jobs": "a\nb\nc\nd"}, "au plus trois métiers"),
        ("M", {"distance_override": "FAR"}, "Indiquez le motif du choix"),
        ("M", {"workplace_commune_insee": "ABCDE"}, "Un code INSEE de commune"),
        ("C", {"last_job_ended_on": "2999-01-01"}, "ne peut pas être dans le futur"),
        ("C", {"last_job_ended_on": "pas une date"}, "Saisissez une date valide"),
        ("K", {"mobility-status": "ACTIVE"}, "Cochez au moins une situation"),
        ("K", {"mobility-status": "NONE", "mobility-situations": ["NO_LICENCE"]}, "Des situations sont cochées"),
        ("K", {"mobility-status": "BOGUS"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_or_contradictory_answers_save_nothing(client, worker, draft, section, data, message):
    client.force_login(worker)
    if section == "K":
        for theme in ("family", "health", "language", "housing", "financial", "administrative", "digital"):
            data.setdefault(f"{theme}-status", "NONE")
    before = Evaluation.objects.get(pk=draft.pk)
    response = client.post(url("evaluation_edit", draft.pk, section), {"lock_version": draft.lock_version, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    after = Evaluation.objects.get(pk=draft.pk)
    assert after.lock_version == before.lock_version
    assert after.as_data(barriers=[]) == before.as_data(barriers=[])


def test_missing_lock_version_and_unknown_section(client, worker, draft):
    client.force_login(worker)
    response = client.post(url("evaluation_edit", draft.pk, "B"), {"education_level": "NV4"})
    assert response.status_code == 409
    assert "Cette page a expiré" in response.content.decode()
    assert client.get(url("evaluation_edit", draft.pk, "Z")).status_code == 404
    assert client.get(reverse("evaluations:evaluation_edit", args=[999999, "A"])).status_code == 404


def test_finalise_and_forged_posts_on_the_final_version(client, worker, draft, final, person):
    client.force_login(worker)
    response = client.post(url("evaluation_finalise", draft.pk), {"lock_version": draft.lock_version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.version_no, draft.is_current) == ("FINAL", 2, True)
    # Forged POSTs on the now finalised version: nothing changes, a clear message.
    for name, args in (("evaluation_edit", (draft.pk, "B")), ("evaluation_finalise", (draft.pk,))):
        response = client.post(
            url(name, *args), {"lock_version": draft.lock_version, "education_level": "AFS"}, follow=True
        )
        assert response.status_code == 200
        assert "Cette version est finalisée : elle ne peut plus être modifiée." in response.content.decode()
    draft.refresh_from_db()
    assert draft.education_level == "NV5"
    response = client.post(
        url("evaluation_edit", final.pk, "I"),
        {"lock_version": 1, "job_readiness": "NOT_READY"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409


def test_finalise_page_lists_what_is_missing(client, worker, person, structure):
    draft = EvaluationFactory(person=person, structure=structure, author=worker)
    client.force_login(worker)
    page = client.get(url("evaluation_finalise", draft.pk)).content.decode()
    # Neutral wording (no agreement to get wrong), linked to the section to fill.
    assert "À renseigner : « Niveau de formation »." in page
    assert f'<a href="{url("evaluation_edit", draft.pk, "B")}">À renseigner : « Niveau de formation ».</a>' in page
    response = client.post(url("evaluation_finalise", draft.pk), {"lock_version": draft.lock_version}, follow=True)
    assert "ne peut pas encore être finalisée" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


def test_comparison_shows_barriers_added_and_closed(client, worker, person, structure):
    EvaluationFactory(
        person=person,
        structure=structure,
        author=worker,
        complete=True,
        final=True,
        barriers={"MOBILITY": ["NO_LICENCE"]},
        education_level="C3A",
    )
    second = EvaluationFactory(
        person=person,
        structure=structure,
        author=worker,
        complete=True,
        final=True,
        version=2,
        barriers={"DIGITAL": ["NO_EQUIPMENT"]},
        education_level="NV5",
    )
    client.force_login(worker)
    text = client.get(url("evaluation_compare", second.pk)).content.decode()
    assert "Freins apparus" in text
    assert "Numérique : Sans équipement" in text
    assert "Freins levés" in text
    assert "Mobilité : Pas de permis (Frein actif → Pas de frein)" in text
    assert "3e achevée, brevet" in text
    assert client.get(url("evaluation_compare", second.pk) + "?avec=999999").status_code == 404


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_reads_back_and_is_audited(client, worker, final, person):
    client.force_login(worker)
    response = client.get(url("evaluation_pdf", final.pk))
    assert response["Content-Type"] == "application/pdf"
    assert person.last_name not in response["Content-Disposition"]
    text = _pdf_text(response)
    assert "Synthèse de l'évaluation insertion professionnelle" in text
    assert "Page 1 sur" in text
    assert "Distance à l'emploi" in text
    assert "Pas de permis" in text
    assert AuditEntry.objects.filter(user=worker, action=Action.DOWNLOAD, object_id=str(final.pk)).exists()


def test_referral_recipient_sees_only_the_current_synthesis(client, outsider, referral_recipient, final, person):
    client.force_login(outsider)
    response = client.get(url("evaluation_detail", final.pk))
    assert response.status_code == 200
    assert "Hébergement actuel" not in response.content.decode()
    assert client.get(url("evaluation_compare", final.pk)).status_code == 404
    assert client.get(url("person_evaluations", person.pk)).status_code == 404


def test_wrong_methods(client, worker, final):
    client.force_login(worker)
    assert client.post(url("evaluation_detail", final.pk)).status_code == 405
    assert client.post(url("evaluation_pdf", final.pk)).status_code == 405
    assert client.delete(url("evaluation_edit", final.pk, "A")).status_code == 405


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_and_edit_keep_constant_queries(client, worker, final, person, rows, django_assert_num_queries):
    from tests.parcours.factories import EmploymentSituationFactory, ResourceFactory

    for _ in range(rows):
        ResourceFactory(person=person)
        EmploymentSituationFactory(person=person)
    client.force_login(worker)
    client.get(url("evaluation_detail", final.pk))  # the first view of the window writes an audit row
    # session, user, savepoint and pghistory context, evaluation, access scope, person (visible), consents,
    # follow-ups, referrals, barriers, employment, resources, housing, household, previous version, audit
    # window check, rule settings, header memberships, release and session save: 22, the same with 1 and 50 rows.
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url("evaluation_detail", final.pk))
    assert len(response.context["resources"]) == rows
    with django_assert_num_queries(PDF_QUERIES):
        client.get(url("evaluation_pdf", final.pk))


DETAIL_QUERIES = 24  # includes the alerts and concertation tasks badges of the navigation
PDF_QUERIES = 23  # the same without the previous-version lookup (counted as CI runs: DEBUG off)


def test_health_to_employment_consent_shows_rqth_not_the_health_barrier(client, employment_worker, final, person):
    from tests.parcours.factories import ConsentFactory

    ConsentFactory(person=person, health_to_employment=True)
    client.force_login(employment_worker)
    text = client.get(url("evaluation_detail", final.pk)).content.decode()
    assert "Reconnaissance de la qualité de travailleur handicapé (RQTH)" in text
    assert "contrainte de santé" not in text


@pytest.mark.parametrize("cast", ["outsider", "funder", "admin_user", "coordinator", "user_without_membership"])
def test_every_page_is_404_for_who_may_not_see_the_person(client, request, cast, final, draft, person):
    client.force_login(request.getfixturevalue(cast))
    for name, args in [
        ("person_evaluations", (person.pk,)),
        ("evaluation_detail", (final.pk,)),
        ("evaluation_detail", (draft.pk,)),
        ("evaluation_edit", (draft.pk, "A")),
        ("evaluation_finalise", (draft.pk,)),
        ("evaluation_compare", (final.pk,)),
        ("evaluation_pdf", (final.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 404, (name, cast)
    assert client.post(url("evaluation_edit", draft.pk, "B"), {"lock_version": 1}).status_code == 404
    assert client.post(url("evaluation_finalise", draft.pk), {"lock_version": 1}).status_code == 404
    assert client.post(url("evaluation_start", person.pk)).status_code == 404


def test_coordinator_with_consent_reads_finalised_versions_only(
    client, coordinator, coordination_consent, final, draft
):
    client.force_login(coordinator)
    assert client.get(url("evaluation_detail", final.pk)).status_code == 200
    assert client.get(url("evaluation_detail", draft.pk)).status_code == 404
    assert "contrainte de santé" not in client.get(url("evaluation_detail", final.pk)).content.decode()


def test_past_follower_reads_but_cannot_write(client, past_follower, final, person):
    client.force_login(past_follower)
    assert client.get(url("evaluation_detail", final.pk)).status_code == 200
    assert client.post(url("evaluation_start", person.pk)).status_code == 403


def test_person_file_links_to_the_evaluations(client, worker, person):
    client.force_login(worker)
    page = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert url("person_evaluations", person.pk) in page


def test_person_evaluations_page_lists_versions_and_offers_a_new_one(client, worker, final, person):
    client.force_login(worker)
    page = client.get(url("person_evaluations", person.pk)).content.decode()
    assert "Version 1" in page
    assert "Nouvelle version" in page


def _pdftotext(content: bytes) -> list[str]:
    """The PDF's lines as poppler reads them (-layout keeps a row's label and value on one line)."""
    import subprocess

    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return [" ".join(line.split()) for line in result.stdout.decode().splitlines() if line.strip()]


def test_pdf_sets_each_value_after_its_own_label(client, worker, person, structure):
    """The synthesis used to sit next to « Type d'hébergement préconisé » (floated dt/dd drifting apart)."""
    evaluation = EvaluationFactory(
        person=person,
        structure=structure,
        author=worker,
        complete=True,
        final=True,
        worker_synthesis="Souhaite travailler en cuisine, horaires du matin.",
        recommended_housing_type="",
        target_jobs=[
            {"rome_code": "G1602", "label": "Commis de cuisine"},
            {"rome_code": "K2204", "label": "Agent d'entretien"},
        ],
    )
    client.force_login(worker)
    response = client.get(url("evaluation_pdf", evaluation.pk))
    lines = _pdftotext(response.content)
    synthesis_line = next(line for line in lines if "Souhaite travailler en cuisine" in line)
    assert synthesis_line.index("Synthèse") < synthesis_line.index("Souhaite travailler")
    housing_line = next(line for line in lines if line.startswith("Type d'hébergement ou de logement"))
    assert "Souhaite" not in housing_line
    assert housing_line.endswith("non renseigné") or housing_line.endswith("—")
    # Section headings are never in the value column: a heading line holds nothing else.
    headings = [line for line in lines if line.startswith("B. ")]
    assert headings
    assert all(len(line) < 60 for line in headings)


def test_the_french_language_barrier_reads_as_a_difficulty(client, worker, person, structure):
    """Issue 16: « Maîtrise du français » read as the opposite of the barrier it records."""
    evaluation = EvaluationFactory(
        person=person, structure=structure, author=worker, complete=True, final=True, barriers={"LANGUAGE": ["FRENCH"]}
    )
    client.force_login(worker)
    text = client.get(url("evaluation_detail", evaluation.pk)).content.decode()
    assert "Difficultés en français" in text
    assert "Maîtrise du français" not in text
    english = client.get(url("evaluation_detail", evaluation.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Difficulties with French" in english
