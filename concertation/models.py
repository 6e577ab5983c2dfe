"""Commissions, their sessions, the cases examined and the decisions taken (issue 12).

Visibility derives from the access policy (`parcours.access`): a case is nominative only while the person's
CASE_CONFERENCE or COORDINATION consent is active (`nominative_consent_q`, read per query), otherwise it shows
initials, an age band and a coded situation and is not linked to the file (privacy.md R4, R5).
"""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope
from parcours.access import nominative_consent_q

from .enums import (
    HELD_STATUSES,
    AgeBand,
    CommissionKind,
    DecisionKind,
    MemberRole,
    MinutesStatus,
    PresentationMode,
    SessionStatus,
    TaskStatus,
)


# --- commissions ----------------------------------------------------------------------------------------
class CommissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators see every commission; members of member or invited structures see theirs."""
        scope = user_scope(user)
        if scope.is_coordinator:
            return self.all()
        if not scope.field_structures:
            return self.none()
        members = CommissionMember.objects.filter(
            commission_id=OuterRef("pk"), structure_id__in=sorted(scope.field_structures)
        )
        return self.filter(Exists(members))


class Commission(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=CommissionKind.choices)
    territory = models.CharField(_("territoire"), max_length=200, blank=True)
    rhythm = models.CharField(
        _("rythme habituel"), max_length=200, blank=True, help_text=_("Par exemple : mensuelle, le 2e mardi.")
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("coordinateur·rices qui l'animent")
    )
    structures = models.ManyToManyField(
        "partenaires.Structure", through="CommissionMember", related_name="+", verbose_name=_("structures")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CommissionMember(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    structure = models.ForeignKey("partenaires.Structure", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("rôle"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("structure membre")
        verbose_name_plural = _("structures membres")
        ordering = ["commission_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "structure"],
                name="concertation_member_once",
                violation_error_message=_("Cette structure fait déjà partie de la commission."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.structure_id} ({self.role})"


# --- sessions -------------------------------------------------------------------------------------------
class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(commission__in=Commission.objects.visible_to(user).values("pk"))

    def held(self):
        return self.filter(status__in=HELD_STATUSES)


class Session(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    held_at = models.DateTimeField(_("tenue le"), null=True, blank=True)
    published_at = models.DateTimeField(_("relevé publié le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["commission", "starts_at"], name="concertation_session_when")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["HELD", "PUBLISHED"]) | Q(held_at__isnull=False),
                name="concertation_session_held_at",
                violation_error_message=_("Une séance tenue a une date de tenue."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Séance n° %(id)s") % {"id": self.pk})

    @property
    def is_open_for_agenda(self) -> bool:
        return self.status == SessionStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES


# --- cases ----------------------------------------------------------------------------------------------
class CaseReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(session__in=Session.objects.visible_to(user).values("pk"))

    def with_nominative(self):
        """`is_nominative`: asked nominative AND an active CASE_CONFERENCE or COORDINATION consent, now."""
        return self.annotate(
            is_nominative=Case(
                When(Q(mode=PresentationMode.NOMINATIVE) & nominative_consent_q("person_id"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def nominative(self):
        return self.filter(Q(mode=PresentationMode.NOMINATIVE) & nominative_consent_q("person_id"))


def nominative_case_people():
    """R4's grant (registered in `parcours.access` by `ConcertationConfig.ready`): people with a nominative
    case review, for coordinators."""
    return CaseReview.objects.nominative()


class CaseReview(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="cases")
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="case_reviews")
    proposal = models.OneToOneField(
        "alerts.CaseConferenceProposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_review",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("passage précédent")
    )
    presenting_structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure qui présente"),
    )
    question = models.TextField(_("question posée"))
    presentation = models.TextField(_("présentation"), blank=True)
    mode = models.CharField(
        _("présentation"), max_length=12, choices=PresentationMode.choices, default=PresentationMode.ANONYMOUS
    )
    # The anonymous face of the case, fixed when it is put on the agenda: no name, no birth date.
    initials = models.CharField(_("initiales"), max_length=8)
    age_band = models.CharField(_("tranche d'âge"), max_length=16, choices=AgeBand.choices)
    situation = models.JSONField(_("situation codée"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre de passage"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    objects = CaseReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation examinée")
        verbose_name_plural = _("situations examinées")
        ordering = ["session_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="concertation_case_once_per_session",
                violation_error_message=_("Cette situation est déjà à l'ordre du jour de la séance."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Situation n° %(id)s") % {"id": self.pk})

    @property
    def anonymous_label(self) -> str:
        return f"{self.initials} — {self.get_age_band_display()}"


# --- decisions ------------------------------------------------------------------------------------------
class DecisionQuerySet(models.QuerySet):
    def tasks(self):
        """Decisions with an owner structure and a due date: they are tasks."""
        return self.filter(owner_structure__isnull=False, due_on__isnull=False)

    def open(self):
        return self.filter(status=TaskStatus.TODO)

    def for_structures(self, structure_ids):
        return self.tasks().filter(owner_structure_id__in=sorted(structure_ids))

    def visible_to(self, user):
        """Decisions of cases the user's commissions examined, and tasks owned by the user's structures."""
        scope = user_scope(user)
        q = Q(case__session__commission__in=Commission.objects.visible_to(user).values("pk"))
        if scope.field_structures:
            q |= Q(owner_structure_id__in=sorted(scope.field_structures))
        return self.filter(q)


class Decision(models.Model):
    case = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("type de décision"), max_length=16, choices=DecisionKind.choices)
    text = models.TextField(_("décision"))
    owner_structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure responsable"),
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=14, choices=TaskStatus.choices, default=TaskStatus.TODO)
    status_reason = models.TextField(_("motif"), blank=True)
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("prise le"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["case_id", "id"]
        indexes = [
            models.Index(fields=["owner_structure", "status"], name="concertation_decision_owner"),
            models.Index(fields=["status", "due_on"], name="concertation_decision_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.NOT_POSSIBLE) | ~Q(status_reason=""),
                name="concertation_decision_not_possible_reason",
                violation_error_message=_("Indiquez pourquoi la décision n'a pas pu être mise en œuvre."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(done_on__isnull=False),
                name="concertation_decision_done_on",
                violation_error_message=_("Une décision réalisée a une date de réalisation."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Décision n° %(id)s") % {"id": self.pk})

    @property
    def is_task(self) -> bool:
        return self.owner_structure_id is not None and self.due_on is not None

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.TODO


# --- minutes --------------------------------------------------------------------------------------------
def minutes_path(instance, filename: str) -> str:
    return f"concertation/releves/seance-{instance.session_id}.pdf"


class Minutes(models.Model):
    """The published minutes of a held session: one per session (the one-to-one is the last guard)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("statut"), max_length=8, choices=MinutesStatus.choices, default=MinutesStatus.PENDING)
    file = models.FileField(_("fichier"), upload_to=minutes_path, blank=True)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("taille"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    generated_at = models.DateTimeField(_("produit le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("relevé de décisions")
        verbose_name_plural = _("relevés de décisions")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return str(_("Relevé de la séance n° %(id)s") % {"id": self.session_id})
