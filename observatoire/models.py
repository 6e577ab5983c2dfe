"""PTI proposals with their frozen evidence, comments and opportunity notes (issue 14, item 5).

The observatory's figures are aggregated on the fly (aggregates.py), except the monthly dashboards, which read
a materialised summary (StructureMonth, TerritoryMonth) rebuilt set-wise by summary.refresh().
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope

from .enums import NoteStatus, ProposalStatus


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators see every proposal; members of the writing structure and of a partner structure see
        it (partners comment). Funders, administrators and others see none."""
        scope = user_scope(user)
        if scope.is_coordinator:
            return self
        structures = sorted(scope.field_structures)
        if not structures:
            return self.none()
        return self.filter(
            pk__in=Proposal.objects.filter(Q(structure_id__in=structures) | Q(partners__in=structures)).values("pk")
        )

    def editable_by(self, user):
        """Drafts a coordinator or a manager of the writing structure may change."""
        scope = user_scope(user)
        drafts = self.filter(status=ProposalStatus.DRAFT)
        if scope.is_coordinator:
            return drafts
        return drafts.filter(structure_id__in=sorted(scope.manager_structures))


class Proposal(models.Model):
    """An innovative project proposed to the PTI committee (pacte territorial d'insertion, CASF L.263-2)."""

    title = models.CharField(_("intitulé"), max_length=200)
    need = models.TextField(_("besoin auquel le projet répond"))
    target_public = models.TextField(_("public visé"))
    resources = models.TextField(_("moyens demandés"))
    expected_results = models.TextField(_("résultats attendus"))
    partners = models.ManyToManyField(
        "partenaires.Structure", blank=True, related_name="pti_proposals", verbose_name=_("partenaires")
    )
    structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        related_name="pti_proposals_written",
        verbose_name=_("structure qui propose"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("rédigée par")
    )
    status = models.CharField(_("statut"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    status_reason = models.TextField(_("motif"), blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition de projet")
        verbose_name_plural = _("propositions de projets")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.NOT_RETAINED) | ~Q(status_reason=""),
                name="observatoire_proposal_not_retained_reason",
                violation_error_message=_("Une proposition non retenue a un motif."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalEvidence(models.Model):
    """A figure of the observatory frozen at the moment it was attached: its table, its filters and its date.

    The table is stored with the small-number rule already applied (it leaves the coordination in the note)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    figure = models.CharField(_("figure"), max_length=40)
    title = models.CharField(_("titre"), max_length=200)
    filters = models.JSONField(_("filtres"), default=dict)
    filters_label = models.CharField(_("filtres"), max_length=400, blank=True)
    table = models.JSONField(_("tableau"), default=dict)
    captured_at = models.DateTimeField(_("figée le"), auto_now_add=True)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("élément de preuve")
        verbose_name_plural = _("éléments de preuve")
        ordering = ["proposal_id", "captured_at", "id"]

    def __str__(self) -> str:
        return self.title


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("structure")
    )
    text = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire de proposition")
        verbose_name_plural = _("commentaires de propositions")
        ordering = ["proposal_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} — {self.created_at:%Y-%m-%d}"


class OpportunityNote(models.Model):
    """The « note d'opportunité » PDF of a proposal, rendered by a Celery task (queue `reports`)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notes")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    status = models.CharField(_("statut"), max_length=10, choices=NoteStatus.choices, default=NoteStatus.PENDING)
    file = models.FileField(_("fichier"), upload_to="observatoire/notes/", blank=True)
    generated_at = models.DateTimeField(_("générée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("note d'opportunité")
        verbose_name_plural = _("notes d'opportunité")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} — {self.status}"


# --- the materialised summary (observatoire/summary.py) --------------------------------------------
class StructureMonth(models.Model):
    """Per structure and calendar month (Europe/Paris): the additive figures of the dashboards, rebuilt
    set-wise by `summary.refresh()` (Celery beat, and after seed_demo / seed_bench). Rows whose structure is
    empty hold the alerts without a structure (they count for the whole territory only)."""

    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    month = models.DateField()
    sent = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    # Days from sending to answer of the accepted and refused referrals received (a median is not additive).
    answer_days = ArrayField(models.FloatField(), default=list)
    alerts_raised = models.IntegerField(default=0)
    alerts_resolved_in_time = models.IntegerField(default=0)
    evaluations_finalised = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("synthèse mensuelle par structure")
        verbose_name_plural = _("synthèses mensuelles par structure")
        indexes = [models.Index(fields=["month", "structure"], name="observatoire_sm_month_idx")]

    def __str__(self) -> str:
        return f"{self.structure_id} — {self.month:%Y-%m}"


class TerritoryMonth(models.Model):
    """The active caseload at each month's end (people with an open follow-up, each counted once), for the
    whole territory (commune and sector empty), a commune, a sector, or both: distinct counts do not add up
    over structures, so each combination the filters offer is stored."""

    month = models.DateField()
    # NULL = every commune / every sector (GROUPING SETS), unlike "" (structures without a commune).
    commune = models.CharField(max_length=200, null=True)  # noqa: DJ001
    sector = models.CharField(max_length=16, null=True)  # noqa: DJ001
    caseload = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("file active mensuelle du territoire")
        verbose_name_plural = _("files actives mensuelles du territoire")
        indexes = [models.Index(fields=["month", "commune", "sector"], name="observatoire_tm_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.commune or '*'} {self.sector or '*'}"


class StructureBarriers(models.Model):
    """Active barriers of the current evaluations at the refresh, per evaluating structure and theme, with those
    the shared plan addresses (aggregates.active_barriers, grouped by structure): any set of structures sums them."""

    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    theme = models.CharField(max_length=32)
    count = models.IntegerField(default=0)
    addressed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("freins actifs par structure")
        verbose_name_plural = _("freins actifs par structure")

    def __str__(self) -> str:
        return f"{self.structure_id} {self.theme}: {self.count}"


class StructureCloseness(models.Model):
    """People close to employment without stable housing at the refresh, per evaluating structure (empty: none),
    housing group and time spent there: the days of each person (a median is not additive). No person id."""

    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    grp = models.CharField(max_length=16)
    bucket = models.CharField(max_length=8)
    days = ArrayField(models.IntegerField(), default=list)

    class Meta:
        verbose_name = _("proches de l'emploi sans logement stable par structure")
        verbose_name_plural = _("proches de l'emploi sans logement stable par structure")

    def __str__(self) -> str:
        return f"{self.structure_id} {self.grp} {self.bucket}: {len(self.days)}"


class KnownPair(models.Model):
    """A pair of structures (s1 < s2) that met at an event or worked together on a referral in the 12 months
    before the refresh day (aggregates.known_pairs / never_met_pairs read it that day)."""

    s1 = models.ForeignKey("partenaires.Structure", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    s2 = models.ForeignKey("partenaires.Structure", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    by_event = models.BooleanField(default=False)
    by_referral = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("paire de structures qui se connaissent")
        verbose_name_plural = _("paires de structures qui se connaissent")
        indexes = [models.Index(fields=["s1", "s2"], name="observatoire_kp_pair_idx")]

    def __str__(self) -> str:
        return f"{self.s1_id}–{self.s2_id}"


class SummaryRefresh(models.Model):
    """One row: when the summary was last rebuilt and how long it took."""

    refreshed_at = models.DateTimeField()
    duration_ms = models.IntegerField(default=0)
    first_month = models.DateField(null=True)
    last_month = models.DateField(null=True)

    class Meta:
        verbose_name = _("mise à jour de la synthèse")
        verbose_name_plural = _("mises à jour de la synthèse")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
