"""Demo commission (seed_demo, after alerts): « Commission parcours complexes » with three member structures
and one invited; a held session with four cases (one anonymous), decisions in every status and published
minutes; a planned session with three cases: one from a COMPLEX_CASE alert, one anonymous, and one returning
case with an open decision. Idempotent: once the commission has sessions, nothing more is created.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from alerts.enums import AlertRule, ProposalSource, ProposalStatus
from alerts.models import Alert, CaseConferenceProposal
from parcours.enums import ConsentDecision, ConsentMethod, ConsentScope
from parcours.models import Consent, Person
from partenaires.territory import structure

from .enums import CommissionKind, DecisionKind, MemberRole, PresentationMode, SessionStatus, TaskStatus, age_band
from .models import CaseReview, Commission, CommissionMember, Decision, Minutes, Session
from .services import _initials, _situation_codes

NAME = "Commission parcours complexes"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _person(last_name: str, first_name: str) -> Person:
    return Person.objects.filter(last_name=last_name, first_name=first_name).order_by("id").first()


def _case(session, person, *, by, presenting, question, presentation, mode, position, proposed_days_before,
          source=ProposalSource.FILE, alert=None, previous=None) -> CaseReview:  # fmt: skip
    proposal = CaseConferenceProposal.objects.create(
        person=person, alert=alert, source=source, proposed_by=by, structure=presenting,
        presentation=presentation, question=question, status=ProposalStatus.ACCEPTED,
        handled_at=min(timezone.now(), session.starts_at - dt.timedelta(days=1)),
    )  # fmt: skip
    proposed_at = min(timezone.now(), session.starts_at - dt.timedelta(days=proposed_days_before))
    CaseConferenceProposal.objects.filter(pk=proposal.pk).update(proposed_at=proposed_at)
    return CaseReview.objects.create(
        session=session, person=person, proposal=proposal, previous=previous, presenting_structure=presenting,
        question=question, presentation=presentation, mode=mode, initials=_initials(person),
        age_band=age_band(person.age), situation=_situation_codes(person), position=position, created_by=by,
    )  # fmt: skip


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    coordinator = User.objects.filter(email="coordination@demo.test").first()
    ts = User.objects.filter(email="ts.chrs@demo.test").first()
    commission, _created = Commission.objects.get_or_create(
        name=NAME,
        defaults={
            "kind": CommissionKind.COMPLEX_PATHWAYS,
            "territory": "Vallée et agglomération",
            "rhythm": "Mensuelle, le 2e mardi à 14 h",
        },
    )
    if coordinator:
        commission.coordinators.add(coordinator)
    chrs, siao, aci, rsa = structure("chrs"), structure("siao"), structure("aci"), structure("rsa")
    for member, role in ((siao, MemberRole.MEMBER), (chrs, MemberRole.MEMBER), (aci, MemberRole.MEMBER),
                         (rsa, MemberRole.INVITED)):  # fmt: skip
        CommissionMember.objects.get_or_create(commission=commission, structure=member, defaults={"role": role})
    names = [
        ("Bernard", "Sylvie"),
        ("Petit", "Mohamed"),
        ("Robert", "Aïcha"),
        ("Laurent", "Youssef"),
        ("Richard", "Julien"),
        ("Fabre", "Lucas"),
    ]
    people = {key: _person(*key) for key in names}
    if commission.sessions.exists() or None in people.values() or ts is None:
        if stdout:
            stdout.write("concertation: demo commission already seeded (or demo people missing)")
        return

    # --- the held session, five weeks ago, with published minutes ---------------------------------------
    held_day = today - dt.timedelta(days=35)
    held = Session.objects.create(
        commission=commission, starts_at=_at(held_day, 14), place="Maison des solidarités, salle 2",
        status=SessionStatus.PUBLISHED, held_at=_at(held_day, 17),
        published_at=_at(held_day + dt.timedelta(days=1), 9),
    )  # fmt: skip
    bernard = _case(held, people[("Bernard", "Sylvie")], by=ts, presenting=chrs, position=1, proposed_days_before=12,
                    question="Quelle solution de logement compatible avec la reprise d'emploi ?",
                    presentation="Fin de séjour CHRS dans deux mois, reprise d'un emploi à temps partiel.",
                    mode=PresentationMode.NOMINATIVE)  # fmt: skip
    petit = _case(held, people[("Petit", "Mohamed")], by=ts, presenting=chrs, position=2, proposed_days_before=20,
                  question="Comment reprendre un parcours après la perte des droits ?",
                  presentation="Droits RSA suspendus, démarches administratives en attente, sans contact régulier.",
                  mode=PresentationMode.NOMINATIVE)  # fmt: skip
    robert = _case(held, people[("Robert", "Aïcha")], by=ts, presenting=chrs, position=3, proposed_days_before=8,
                   question="Quel accompagnement vers l'IAE ?",
                   presentation="Projet professionnel en espaces verts ; freins de mobilité et de garde d'enfants.",
                   mode=PresentationMode.NOMINATIVE)  # fmt: skip
    laurent = _case(held, people[("Laurent", "Youssef")], by=ts, presenting=chrs, position=4, proposed_days_before=15,
                    question="Quelle orientation hébergement ?",
                    presentation="Situation présentée sans accord de la personne pour une présentation nominative.",
                    mode=PresentationMode.ANONYMOUS)  # fmt: skip
    d = dt.timedelta
    decisions = [
        # carried out on time
        (bernard, DecisionKind.ORIENTATION, "Orientation SIAO vers une résidence sociale proche du lieu de travail.",
         siao, held_day + d(21), TaskStatus.DONE, held_day + d(14), ""),
        # open and overdue: DECISION_OVERDUE
        (bernard, DecisionKind.PARTNER_ACTION, "Aménagement des horaires du contrat à l'ACI.",
         aci, held_day + d(28), TaskStatus.TODO, None, ""),
        # carried out late
        (petit, DecisionKind.FUNDER_REQUEST, "Demande de réexamen des droits RSA au Département.",
         chrs, held_day + d(10), TaskStatus.DONE, held_day + d(19), ""),
        # not possible
        (petit, DecisionKind.PARTNER_ACTION, "Entrée en chantier d'insertion.",
         aci, held_day + d(30), TaskStatus.NOT_POSSIBLE, None, "Aucune place disponible avant six mois."),
        # open, not yet due: the returning case of the planned session
        (robert, DecisionKind.PARTNER_ACTION, "Immersion de deux semaines à l'ACI en espaces verts.",
         aci, today + d(20), TaskStatus.TODO, None, ""),
        (robert, DecisionKind.POSTPONEMENT, "Point d'étape à la prochaine séance.", None, None, TaskStatus.TODO,
         None, ""),
        (laurent, DecisionKind.ORIENTATION, "Orientation vers une pension de famille.",
         siao, held_day + d(30), TaskStatus.DONE, held_day + d(25), ""),
    ]  # fmt: skip
    for case, kind, text, owner, due_on, status, done_on, reason in decisions:
        Decision.objects.create(
            case=case, kind=kind, text=text, owner_structure=owner, due_on=due_on, status=status, done_on=done_on,
            status_reason=reason, created_by=coordinator,
        )  # fmt: skip
    minutes = Minutes.objects.create(session=held, requested_by=coordinator)
    from .tasks import store_pdf

    store_pdf(minutes)

    # --- the planned session, in two weeks --------------------------------------------------------------
    planned = Session.objects.create(
        commission=commission, starts_at=_at(today + d(14), 14), video_link="https://visio.example.org/commission"
    )
    # From the COMPLEX_CASE alert: Lucas agreed to a nominative presentation (CASE_CONFERENCE consent).
    lucas = people[("Fabre", "Lucas")]
    if not Consent.objects.active(ConsentScope.CASE_CONFERENCE).filter(person=lucas).exists():
        Consent.objects.create(
            person=lucas, scope=ConsentScope.CASE_CONFERENCE, decision=ConsentDecision.GIVEN, decided_on=today,
            collected_by=ts, collected_by_structure=chrs, method=ConsentMethod.SIGNED_FORM,
        )  # fmt: skip
    from alerts import engine

    engine.run(person_id=lucas.pk)
    alert = Alert.objects.open().filter(person=lucas, rule=AlertRule.COMPLEX_CASE).first()
    _case(planned, lucas, by=ts, presenting=chrs, position=1, proposed_days_before=17, alert=alert,
          source=ProposalSource.ALERT, mode=PresentationMode.NOMINATIVE,
          question="Quelle sortie de détention préparer, avec quel hébergement et quel accompagnement emploi ?",
          presentation="Sortie de détention dans moins d'un mois, exclusion récente de l'hébergement "
          "d'urgence.")  # fmt: skip
    _case(planned, people[("Richard", "Julien")], by=ts, presenting=chrs, position=2, proposed_days_before=19,
          mode=PresentationMode.ANONYMOUS, question="Comment maintenir l'emploi malgré la fin de l'hébergement ?",
          presentation="Présentation anonyme : la personne n'a pas donné son accord pour être nommée.")  # fmt: skip
    _case(planned, people[("Robert", "Aïcha")], by=coordinator, presenting=chrs, position=3,
          proposed_days_before=15, source=ProposalSource.FOLLOW_UP, previous=robert,
          mode=PresentationMode.NOMINATIVE, question="Suivi de l'immersion décidée à la séance précédente.",
          presentation=robert.presentation)  # fmt: skip
    if stdout:
        stdout.write("concertation: 1 commission, 1 held session (4 cases, minutes), 1 planned session (3 cases)")
