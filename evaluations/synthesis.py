"""The synthesis rule of the evaluation (domain.md §3 M) and the IAE hints (§3 J), as pure functions.

Nothing here touches the database: callers gather the facts (`SynthesisFacts`, `IaeFacts`) and get back
a result that carries its own explanation, so that the page can say *why* the rule chose a level.

Distance to employment, our default rule (the tables below are the whole rule):

| Input                                   | 0 point             | 1 point                          | 2 points   |
|-----------------------------------------|---------------------|----------------------------------|------------|
| job readiness                           | IMMEDIATE, PART_TIME| WITH_SUPPORT, SELECTIVE, UNKNOWN | NOT_READY  |
| active barriers (themes ACTIVE)         | 0–1                 | 2–3                              | 4 or more  |
| recent work experience (open work period| yes                 | no                               | —          |
|  or last job ended ≤ 24 months ago)     |                     |                                  |            |

Score 0–1 → CLOSE, 2–3 → INTERMEDIATE, 4–5 → FAR; no job readiness → not computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import DistanceLevel, EducationLevel, FrenchLevel, JobReadiness, Orientation, ResidenceRight, RqthStatus

READINESS_POINTS: dict[str, int] = {
    JobReadiness.IMMEDIATE: 0,
    JobReadiness.PART_TIME: 0,
    JobReadiness.WITH_SUPPORT: 1,
    JobReadiness.SELECTIVE: 1,
    JobReadiness.UNKNOWN: 1,
    JobReadiness.NOT_READY: 2,
}
# (lowest count, highest count or None for "and more", points), first match wins.
BARRIER_POINTS: tuple[tuple[int, int | None, int], ...] = ((0, 1, 0), (2, 3, 1), (4, None, 2))
# Experience counts as recent when the last job ended at most this many months ago (month precision).
RECENT_EXPERIENCE_MONTHS = 24
EXPERIENCE_POINTS = {True: 0, False: 1}
# (lowest score, highest score, level)
LEVELS: tuple[tuple[int, int, str], ...] = (
    (0, 1, DistanceLevel.CLOSE),
    (2, 3, DistanceLevel.INTERMEDIATE),
    (4, 5, DistanceLevel.FAR),
)


@dataclass(frozen=True)
class Rule:
    """The thresholds of the rule (admin-editable through `EvaluationSettings`); defaults = the table above."""

    barrier_points: tuple[tuple[int, int | None, int], ...] = BARRIER_POINTS
    recent_experience_months: int = RECENT_EXPERIENCE_MONTHS
    levels: tuple[tuple[int, int, str], ...] = LEVELS

    @classmethod
    def from_thresholds(
        cls, *, one_point_from: int, two_points_from: int, recent_months: int, close_max: int, intermediate_max: int
    ):
        return cls(
            barrier_points=(
                (0, one_point_from - 1, 0),
                (one_point_from, two_points_from - 1, 1),
                (two_points_from, None, 2),
            ),
            recent_experience_months=recent_months,
            levels=(
                (0, close_max, DistanceLevel.CLOSE),
                (close_max + 1, intermediate_max, DistanceLevel.INTERMEDIATE),
                (intermediate_max + 1, 5, DistanceLevel.FAR),
            ),
        )

    def barrier_scale(self) -> str:
        parts = []
        for low, high, points in self.barrier_points:
            span = (
                _("%(low)s et plus") % {"low": low} if high is None else (f"{low}" if low == high else f"{low}–{high}")
            )
            parts.append(_("%(span)s : %(points)s") % {"span": span, "points": points})
        return ", ".join(parts)


DEFAULT_RULE = Rule()


@dataclass(frozen=True)
class SynthesisFacts:
    job_readiness: str | None
    active_barriers: int
    has_open_work_period: bool
    last_job_ended_on: date | None
    today: date


@dataclass(frozen=True)
class Distance:
    """The computed distance: level (None when not computed), score and each input's points, explained."""

    level: str | None
    score: int | None
    job_readiness: str | None
    readiness_points: int | None
    barrier_points: int
    experience_points: int
    recent_experience: bool
    active_barriers: int
    rule: Rule = DEFAULT_RULE

    @property
    def computed(self) -> bool:
        return self.level is not None

    @property
    def level_label(self) -> str:
        return DistanceLevel(self.level).label if self.level else _("Non calculée")

    @property
    def formula(self) -> str:
        """The sum as shown on the page: "disponibilité 1 + freins 1 + expérience 0 = 2"."""
        if self.score is None:
            return _("Non calculée : la disponibilité pour un emploi n'est pas renseignée.")
        return _("disponibilité %(r)s + freins %(b)s + expérience %(e)s = %(s)s") % {
            "r": self.readiness_points,
            "b": self.barrier_points,
            "e": self.experience_points,
            "s": self.score,
        }

    @property
    def reasons(self) -> list[str]:
        """One French sentence per input, saying why it gave its points."""
        if self.score is None:
            return [self.formula]
        barriers = ngettext(
            "%(n)s frein actif : %(points)s (barème %(scale)s).",
            "%(n)s freins actifs : %(points)s (barème %(scale)s).",
            self.active_barriers,
        ) % {"n": self.active_barriers, "points": _points(self.barrier_points), "scale": self.rule.barrier_scale()}
        months = self.rule.recent_experience_months
        if self.recent_experience:
            experience = _(
                "Expérience professionnelle récente (en emploi ou dernier emploi il y a %(m)s mois au plus) : 0 point."
            ) % {"m": months}
        else:
            experience = _("Pas d'expérience professionnelle dans les %(m)s derniers mois : 1 point.") % {"m": months}
        readiness = _("Disponibilité « %(label)s » : %(points)s.") % {
            "label": JobReadiness(self.job_readiness).label,
            "points": _points(self.readiness_points),
        }
        low, high = next((lo, hi) for lo, hi, level in self.rule.levels if level == self.level)
        verdict = _("Total %(s)s : un score de %(lo)s à %(hi)s donne « %(label)s ».") % {
            "s": self.score,
            "lo": low,
            "hi": high,
            "label": self.level_label,
        }
        return [readiness, barriers, experience, verdict]


def _points(n: int) -> str:
    return ngettext("%(n)s point", "%(n)s points", n) % {"n": n}


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month (dates are kept to the month)."""
    return (later.year - earlier.year) * 12 + (later.month - earlier.month)


def has_recent_experience(facts: SynthesisFacts, rule: Rule = DEFAULT_RULE) -> bool:
    if facts.has_open_work_period:
        return True
    if facts.last_job_ended_on is None:
        return False
    return months_between(facts.last_job_ended_on, facts.today) <= rule.recent_experience_months


def barrier_points(active_barriers: int, rule: Rule = DEFAULT_RULE) -> int:
    for low, high, points in rule.barrier_points:
        if active_barriers >= low and (high is None or active_barriers <= high):
            return points
    raise ValueError(active_barriers)


def level_for_score(score: int, rule: Rule = DEFAULT_RULE) -> str:
    for low, high, level in rule.levels:
        if low <= score <= high:
            return level
    raise ValueError(score)


def compute_distance(facts: SynthesisFacts, rule: Rule = DEFAULT_RULE) -> Distance:
    """Distance to employment by the documented rule (module docstring), with `rule`'s thresholds."""
    if facts.active_barriers < 0:
        raise ValueError("active_barriers must be >= 0")
    recent = has_recent_experience(facts, rule)
    b_points = barrier_points(facts.active_barriers, rule)
    e_points = EXPERIENCE_POINTS[recent]
    r_points = READINESS_POINTS.get(facts.job_readiness) if facts.job_readiness else None
    if r_points is None:
        return Distance(
            None, None, facts.job_readiness or None, None, b_points, e_points, recent, facts.active_barriers, rule
        )
    score = r_points + b_points + e_points
    return Distance(
        level_for_score(score, rule),
        score,
        facts.job_readiness,
        r_points,
        b_points,
        e_points,
        recent,
        facts.active_barriers,
        rule,
    )


def recommended_orientation(level: str | None, iae_hint_positive: bool) -> str | None:
    """The orientation pre-selected by the rule; the worker chooses in the end."""
    if level == DistanceLevel.CLOSE:
        return Orientation.EMPLOYMENT
    if level == DistanceLevel.INTERMEDIATE:
        return Orientation.IAE if iae_hint_positive else Orientation.TRAINING
    if level == DistanceLevel.FAR:
        return Orientation.SOCIAL_FIRST
    return None


# --- IAE hints (§3 J) -----------------------------------------------------------------------------------
LEVEL1_RESOURCES = frozenset({"RSA", "RSA_MAJORE", "ASS", "AAH"})
HEALTH_RESOURCES = frozenset({"AAH", "IJ"})
LOW_EDUCATION = frozenset(
    {
        EducationLevel.AFS,
        EducationLevel.CP4,
        EducationLevel.CFG,
        EducationLevel.C3A,
        EducationLevel.C12,
        EducationLevel.NV5,
    }
)
PRIORITY_HOUSING_GROUPS = frozenset({"STREET", "HOSTED", "EMERGENCY", "SHELTER"})


@dataclass(frozen=True)
class IaeFacts:
    open_resource_kinds: Iterable[str] = ()
    ft_registered_since: date | None = None
    education_level: str | None = None
    age: int | None = None
    rqth_status: str | None = None
    lone_parent: bool = False
    housing_group: str | None = None
    residence_right: str | None = None
    qpv_resident: bool = False
    french_level: str | None = None
    active_mobility_barrier: bool = False
    today: date | None = None
    # Criteria the viewer may not see (RQTH, AAH) are not counted for that viewer (privacy.md).
    viewer_sees_health: bool = True


@dataclass(frozen=True)
class IaeHints:
    level1: list[str]
    level2: list[str]

    @property
    def probable_ai_etti(self) -> bool:
        return len(self.level1) >= 1 or len(self.level2) >= 2

    @property
    def probable_aci_ei_eiti(self) -> bool:
        return len(self.level1) >= 1 or len(self.level2) >= 3

    @property
    def positive(self) -> bool:
        return self.probable_ai_etti


def iae_hints(facts: IaeFacts) -> IaeHints:
    """Likely IAE eligibility criteria ("critères probables"); never a decision, the prescriber decides."""
    kinds = set(facts.open_resource_kinds)
    if not facts.viewer_sees_health:
        kinds -= HEALTH_RESOURCES
    level1, level2 = [], []
    for kind in sorted(kinds & LEVEL1_RESOURCES):
        level1.append(_("Bénéficiaire %(kind)s") % {"kind": kind.replace("_MAJORE", " majoré")})
    registered_months = (
        months_between(facts.ft_registered_since, facts.today) if facts.ft_registered_since and facts.today else None
    )
    if registered_months is not None and registered_months >= 24:
        level1.append(_("Inscrit·e à France Travail depuis 24 mois ou plus"))
    if facts.education_level in LOW_EDUCATION:
        level2.append(_("Niveau de formation infra-bac (CAP, BEP ou moins)"))
    if facts.age is not None and facts.age >= 50:
        level2.append(_("50 ans ou plus"))
    if facts.age is not None and facts.age < 26:
        level2.append(_("Moins de 26 ans"))
    if registered_months is not None and 12 <= registered_months < 24:
        level2.append(_("Inscrit·e à France Travail depuis 12 à 23 mois"))
    if facts.viewer_sees_health and facts.rqth_status == RqthStatus.YES:
        level2.append(_("Travailleur·se handicapé·e (RQTH)"))
    if facts.lone_parent:
        level2.append(_("Parent isolé"))
    if facts.housing_group in PRIORITY_HOUSING_GROUPS:
        level2.append(_("Sans logement autonome (rue, tiers, urgence ou hébergement d'insertion)"))
    if facts.residence_right in (ResidenceRight.ASYLUM_SEEKER, ResidenceRight.PROTECTION):
        level2.append(_("Demandeur·se d'asile ou bénéficiaire d'une protection"))
    if facts.qpv_resident:
        level2.append(_("Résident·e d'un quartier prioritaire (QPV)"))
    if facts.french_level == FrenchLevel.BELOW_A1:
        level2.append(_("Maîtrise du français inférieure au niveau A1"))
    if facts.active_mobility_barrier:
        level2.append(_("Frein de mobilité actif"))
    return IaeHints(level1=level1, level2=level2)
