"""The FSE+ and FSE 2014-2020 participant indicators, computed set-wise (fse.md §2-§4, §8-§9).

Every indicator is a condition (a `Q`) on an annotated participant queryset. The figures are one SQL
aggregation per table (entrants, leavers), grouped by gender, with the period and the cumulated figures
side by side; the drill-down of a cell reuses the very same condition, so a list and its count never differ.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db.models import Case, Count, DateField, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from .enums import (
    HOUSING_EXCLUSION,
    ROOFLESS_HOUSELESS,
    Answer,
    Eeco16Scope,
    ExitReason,
    ForegroundRule,
    Gender,
    Housing,
    LabourStatusEntry,
    LabourStatusExit,
    Nationality,
    Programme,
    SixMonthImprovement,
)
from .models import Operation, Participant, long_enough_q

ENTRANTS = "entrants"
LEAVERS = "leavers"
PERIOD = "period"
CUMULATED = "cumulated"
SCOPES = (PERIOD, CUMULATED)
GENDER_KEYS = {Gender.WOMAN: "women", Gender.MAN: "men", Gender.NON_BINARY: "non_binary"}
COLUMNS = ("women", "men", "non_binary", "total")


class AgeYears(Func):
    """Age in whole years at a date: `AGE(on, birth)` truncated to years (PostgreSQL)."""

    template = "CAST(EXTRACT(YEAR FROM AGE(%(expressions)s)) AS integer)"
    output_field = IntegerField()


class AddMonths(Func):
    """`date + n months` as a date (PostgreSQL `make_interval`, calendar months)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return f"CAST(({date_sql}) + make_interval(months => {months_sql}) AS date)", [*date_params, *months_params]


def annotated(queryset: QuerySet, operation: Operation) -> QuerySet:
    """Derived values of fse.md §7, as aliases usable in filters and conditional counts."""
    return queryset.alias(
        age=AgeYears(F("entry_on"), F("birth_date")),
        ltu_deadline=AddMonths(
            F("unemployed_since"),
            Case(
                When(age__lt=operation.ltu_young_under_age, then=Value(operation.ltu_months_young)),
                default=Value(operation.ltu_months),
                output_field=IntegerField(),
            ),
        ),
        six_month_due=AddMonths(F("exit_on"), Value(6, output_field=IntegerField())),
    )


# --- conditions ------------------------------------------------------------------------------------------
def ltu(op: Operation) -> Q:
    deadline = Q(ltu_deadline__lte=F("entry_on")) if op.ltu_inclusive else Q(ltu_deadline__lt=F("entry_on"))
    return Q(lm_status_entry=LabourStatusEntry.UNEMPLOYED) & deadline


def third_country() -> Q:
    return Q(nationality__in=[Nationality.NON_EU, Nationality.STATELESS, Nationality.UNDETERMINED])


def foreign_background(op: Operation) -> Q:
    parent = Q(parent_born_abroad=Answer.YES)
    if op.foreign_background_rule == ForegroundRule.PARENT_ABROAD:
        return parent
    return Q(born_abroad=Answer.YES) | parent


def homeless(op: Operation) -> Q:
    scope = ROOFLESS_HOUSELESS if op.eeco16_scope == Eeco16Scope.ROOFLESS_HOUSELESS else HOUSING_EXCLUSION
    return Q(housing_entry__in=scope)


def observed_in_time(op: Operation) -> Q:
    """An immediate result counts when the exit situation was observed at most N days after the exit."""
    return Q(
        exit_observed_on__isnull=False,
        exit_observed_on__gte=F("exit_on"),
        exit_observed_on__lte=F("exit_on") + timedelta(days=op.result_window_days),
    ) & ~Q(lm_status_exit="")


def six_month_in_time(op: Operation) -> Q:
    tolerance = timedelta(days=op.six_month_tolerance_days)
    return Q(
        six_month_observed_on__isnull=False,
        six_month_observed_on__gte=F("six_month_due") - tolerance,
        six_month_observed_on__lte=F("six_month_due") + tolerance,
    )


ALL = Q()


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    population: str  # ENTRANTS or LEAVERS
    condition: Callable[[Operation], Q | None]  # None: not collected for this operation
    sensitive: bool = False
    # The output this result may never exceed (aggregate rule 12), as a condition on entrants.
    reference: Callable[[Operation], Q] | None = None

    def q(self, op: Operation) -> Q | None:
        if self.population == ENTRANTS and op.target_flag(self.code):
            return ALL  # guaranteed by the eligibility rules (fse.md §1, target group)
        return self.condition(op)


def _not_employed_filter(op: Operation) -> Q:
    return ~Q(lm_status_entry=LabourStatusEntry.EMPLOYED) if op.eecr04_not_employed_at_entry_only else ALL


def _inactive_filter(op: Operation) -> Q:
    return Q(lm_status_entry=LabourStatusEntry.INACTIVE) if op.eecr01_inactive_at_entry_only else ALL


def _age(lower: str | None = None, upper: str | None = None, lower_value=None, upper_value=None):
    def condition(op: Operation) -> Q:
        q = Q()
        if lower:
            q &= Q(age__gte=getattr(op, lower))
        if upper:
            q &= Q(age__lte=getattr(op, upper))
        if lower_value is not None:
            q &= Q(age__gte=lower_value)
        if upper_value is not None:
            q &= Q(age__lte=upper_value)
        return q

    return condition


def _six_month(op: Operation, q: Q) -> Q | None:
    return (six_month_in_time(op) & q) if op.collects_six_month else None


FSE_PLUS = [
    Indicator("EECO01", _("Nombre total de participants"), ENTRANTS, lambda op: ALL),
    Indicator(
        "EECO02",
        _("Chômeurs, y compris de longue durée"),
        ENTRANTS,
        lambda op: Q(lm_status_entry=LabourStatusEntry.UNEMPLOYED),
    ),
    Indicator("EECO03", _("Chômeurs de longue durée"), ENTRANTS, ltu),
    Indicator("EECO04", _("Inactifs"), ENTRANTS, lambda op: Q(lm_status_entry=LabourStatusEntry.INACTIVE)),
    Indicator(
        "EECO05",
        _("Personnes exerçant un emploi, y compris indépendants"),
        ENTRANTS,
        lambda op: Q(lm_status_entry=LabourStatusEntry.EMPLOYED),
    ),
    Indicator("EECO06", _("Enfants de moins de 18 ans"), ENTRANTS, lambda op: Q(age__lt=op.child_under_age)),
    Indicator(
        "EECO07",
        _("Jeunes de 18 à 29 ans"),
        ENTRANTS,
        lambda op: Q(age__gte=op.child_under_age, age__lte=op.young_max_age),
    ),
    Indicator("EECO08", _("Participants de 55 ans et plus"), ENTRANTS, lambda op: Q(age__gte=op.senior_min_age)),
    Indicator("EECO09", _("Niveau CITE 0 à 2"), ENTRANTS, lambda op: Q(isced_entry__lte=2)),
    Indicator("EECO10", _("Niveau CITE 3 ou 4"), ENTRANTS, lambda op: Q(isced_entry__in=[3, 4])),
    Indicator("EECO11", _("Niveau CITE 5 à 8"), ENTRANTS, lambda op: Q(isced_entry__gte=5)),
    Indicator("EECO12", _("Participants handicapés"), ENTRANTS, lambda op: Q(disability=Answer.YES), sensitive=True),
    Indicator("EECO13", _("Ressortissants de pays tiers"), ENTRANTS, lambda op: third_country()),
    Indicator("EECO14", _("Participants d'origine étrangère"), ENTRANTS, foreign_background, sensitive=True),
    Indicator(
        "EECO15",
        _("Minorités (y compris communautés marginalisées telles que les Roms)"),
        ENTRANTS,
        lambda op: Q(minority=Answer.YES) if op.collect_minority else None,
        sensitive=True,
    ),
    Indicator("EECO16", _("Sans domicile ou exclus du logement"), ENTRANTS, homeless, sensitive=True),
    Indicator("EECO17", _("Participants issus de zones rurales"), ENTRANTS, lambda op: Q(is_rural=True)),
    Indicator(
        "EECR01",
        _("Participants à la recherche d'un emploi au moment de leur sortie"),
        LEAVERS,
        lambda op: observed_in_time(op) & Q(lm_status_exit=LabourStatusExit.JOB_SEEKING) & _inactive_filter(op),
        reference=_inactive_filter,
    ),
    Indicator(
        "EECR02",
        _("Participants suivant des études ou une formation au moment de leur sortie"),
        LEAVERS,
        lambda op: observed_in_time(op) & Q(in_education_or_training_exit=True),
        reference=lambda op: ALL,
    ),
    Indicator(
        "EECR03",
        _("Participants obtenant une qualification au moment de leur sortie"),
        LEAVERS,
        lambda op: observed_in_time(op) & Q(qualification_gained=True),
        reference=lambda op: ALL,
    ),
    Indicator(
        "EECR04",
        _("Participants exerçant un emploi, y compris indépendants, au moment de leur sortie"),
        LEAVERS,
        lambda op: observed_in_time(op) & Q(lm_status_exit=LabourStatusExit.EMPLOYED) & _not_employed_filter(op),
        reference=_not_employed_filter,
    ),
    Indicator(
        "EECR05",
        _("Participants exerçant un emploi six mois après leur sortie"),
        LEAVERS,
        lambda op: _six_month(op, Q(six_month_employed=True)),
        reference=lambda op: ALL,
    ),
    Indicator(
        "EECR06",
        _("Participants dont la situation sur le marché du travail s'est améliorée six mois après leur sortie"),
        LEAVERS,
        lambda op: _six_month(
            op,
            Q(lm_status_entry=LabourStatusEntry.EMPLOYED)
            & ~Q(six_month_improvement__in=["", SixMonthImprovement.NONE]),
        ),
        reference=lambda op: Q(lm_status_entry=LabourStatusEntry.EMPLOYED),
    ),
]

_inactive_not_in_education = Q(lm_status_entry=LabourStatusEntry.INACTIVE, in_education_or_training_entry=False)

_FSE_PLUS_BY_CODE = {indicator.code: indicator for indicator in FSE_PLUS}
_SAME_RESULTS = [("EECR02", "CR02"), ("EECR03", "CR03"), ("EECR04", "CR04"), ("EECR05", "CR06"), ("EECR06", "CR07")]

FSE_2014 = [
    Indicator("TOTAL", _("Nombre total de participants"), ENTRANTS, lambda op: ALL),
    Indicator(
        "CO01",
        _("Chômeurs, y compris les chômeurs de longue durée"),
        ENTRANTS,
        lambda op: Q(lm_status_entry=LabourStatusEntry.UNEMPLOYED),
    ),
    Indicator("CO02", _("Chômeurs de longue durée"), ENTRANTS, ltu),
    Indicator("CO03", _("Personnes inactives"), ENTRANTS, lambda op: Q(lm_status_entry=LabourStatusEntry.INACTIVE)),
    Indicator(
        "CO04",
        _("Personnes inactives ne suivant ni études ni formation"),
        ENTRANTS,
        lambda op: _inactive_not_in_education,
    ),
    Indicator(
        "CO05",
        _("Personnes exerçant un emploi, y compris les indépendants"),
        ENTRANTS,
        lambda op: Q(lm_status_entry=LabourStatusEntry.EMPLOYED),
    ),
    Indicator("CO06", _("Moins de 25 ans"), ENTRANTS, lambda op: Q(age__lt=25)),
    Indicator("CO07", _("Plus de 54 ans"), ENTRANTS, lambda op: Q(age__gt=54)),
    Indicator(
        "CO08",
        _("Plus de 54 ans, chômeurs ou inactifs ne suivant ni études ni formation"),
        ENTRANTS,
        lambda op: Q(age__gt=54) & (Q(lm_status_entry=LabourStatusEntry.UNEMPLOYED) | _inactive_not_in_education),
    ),
    Indicator("CO09", _("Niveau CITE 1 ou 2"), ENTRANTS, lambda op: Q(isced_entry__in=[1, 2])),
    Indicator("CO10", _("Niveau CITE 3 ou 4"), ENTRANTS, lambda op: Q(isced_entry__in=[3, 4])),
    Indicator("CO11", _("Niveau CITE 5 à 8"), ENTRANTS, lambda op: Q(isced_entry__gte=5)),
    Indicator(
        "CO15",
        _("Migrants, participants d'origine étrangère, minorités"),
        ENTRANTS,
        lambda op: third_country() | foreign_background(op) | Q(minority=Answer.YES),
        sensitive=True,
    ),
    Indicator("CO16", _("Participants handicapés"), ENTRANTS, lambda op: Q(disability=Answer.YES), sensitive=True),
    Indicator("CO18", _("Sans domicile fixe ou exclus du logement"), ENTRANTS, homeless, sensitive=True),
    Indicator("CO19", _("Personnes venant de zones rurales"), ENTRANTS, lambda op: Q(is_rural=True)),
    Indicator(
        "CR01",
        _("Participants inactifs engagés dans la recherche d'un emploi au moment de leur sortie"),
        LEAVERS,
        lambda op: (
            observed_in_time(op)
            & Q(lm_status_exit=LabourStatusExit.JOB_SEEKING, lm_status_entry=LabourStatusEntry.INACTIVE)
        ),
        reference=lambda op: Q(lm_status_entry=LabourStatusEntry.INACTIVE),
    ),
    # Result indicators defined exactly as their FSE+ successors (fse.md §4), under the 2014-2020 codes.
    *(replace(_FSE_PLUS_BY_CODE[plus], code=code) for plus, code in _SAME_RESULTS),
]

REGISTRY = {indicator.code: indicator for indicator in [*FSE_PLUS, *FSE_2014]}
# Extra columns of the leavers query: every leaver, and those with an exit observed in time.
LEAVERS_ALL = "LEAVERS"
LEAVERS_OBSERVED = "LEAVERS_OBSERVED"


def indicator_set(operation: Operation) -> list[Indicator]:
    return FSE_PLUS if operation.programme == Programme.FSE_PLUS else FSE_2014


def legacy_set(operation: Operation) -> list[Indicator]:
    return FSE_2014 if operation.programme == Programme.FSE_PLUS else FSE_PLUS


# --- computation -----------------------------------------------------------------------------------------
def counted_participants(operation: Operation) -> QuerySet:
    return annotated(Participant.objects.for_operation(operation).counted(operation), operation)


def entrants(operation: Operation, start: date, end: date, scope: str) -> QuerySet:
    qs = counted_participants(operation).filter(entry_on__lte=end)
    return qs.filter(entry_on__gte=start) if scope == PERIOD else qs


def leavers(operation: Operation, start: date, end: date, scope: str) -> QuerySet:
    qs = counted_participants(operation).filter(exit_on__isnull=False, exit_on__lte=end)
    return qs.filter(exit_on__gte=start) if scope == PERIOD else qs


@dataclass
class Row:
    code: str
    label: str
    population: str
    collected: bool
    sensitive: bool
    # scope -> column -> count
    values: dict = field(default_factory=dict)


@dataclass
class Figures:
    operation: Operation
    start: date
    end: date
    rows: dict[str, Row]

    def table(self, indicators: list[Indicator], population: str | None = None) -> list[Row]:
        return [self.rows[i.code] for i in indicators if population is None or i.population == population]

    def value(self, code: str, scope: str = PERIOD, column: str = "total") -> int | None:
        return self.rows[code].values[scope][column]

    def as_json(self, scope: str = PERIOD, indicators: list[Indicator] | None = None) -> dict:
        codes = [i.code for i in (indicators or indicator_set(self.operation))]
        return {code: dict(self.rows[code].values[scope]) for code in codes}


def _aggregate(queryset: QuerySet, start: date, columns: dict[str, Q | None], period_field: str) -> dict:
    """One query: counts per gender for each column, in the period and cumulated."""
    in_period = Q(**{f"{period_field}__gte": start})
    aggregates = {}
    for code, condition in columns.items():
        if condition is None:
            continue
        aggregates[f"{code}__{CUMULATED}"] = Count("id", filter=condition) if condition else Count("id")
        aggregates[f"{code}__{PERIOD}"] = Count("id", filter=condition & in_period if condition else in_period)
    rows = queryset.values("gender").annotate(**aggregates).order_by()
    result = {}
    for code, condition in columns.items():
        result[code] = {}
        for scope in SCOPES:
            if condition is None:
                result[code][scope] = dict.fromkeys(COLUMNS)
                continue
            values = dict.fromkeys(GENDER_KEYS.values(), 0)
            for row in rows:
                values[GENDER_KEYS[row["gender"]]] = row[f"{code}__{scope}"]
            values["total"] = sum(values.values())
            result[code][scope] = values
    return result


def compute(operation: Operation, start: date | None = None, end: date | None = None) -> Figures:
    """Every indicator of both sets for [start, end] and cumulated since the start: two queries."""
    start = start or operation.start_on
    end = end or operation.end_on
    indicators = [*FSE_PLUS, *FSE_2014]
    base = counted_participants(operation)
    entry_columns = {i.code: i.q(operation) for i in indicators if i.population == ENTRANTS}
    exit_columns = {i.code: i.q(operation) for i in indicators if i.population == LEAVERS}
    exit_columns[LEAVERS_ALL] = ALL
    exit_columns[LEAVERS_OBSERVED] = observed_in_time(operation)
    values = _aggregate(base.filter(entry_on__lte=end), start, entry_columns, "entry_on")
    values |= _aggregate(base.filter(exit_on__isnull=False, exit_on__lte=end), start, exit_columns, "exit_on")
    rows = {
        i.code: Row(
            i.code,
            i.label,
            i.population,
            entry_columns.get(i.code, exit_columns.get(i.code)) is not None,
            i.sensitive,
            values[i.code],
        )
        for i in indicators
    }
    rows[LEAVERS_ALL] = Row(LEAVERS_ALL, _("Participants sortis"), LEAVERS, True, False, values[LEAVERS_ALL])
    rows[LEAVERS_OBSERVED] = Row(
        LEAVERS_OBSERVED,
        _("Sortis dont la situation a été observée dans le délai"),
        LEAVERS,
        True,
        False,
        values[LEAVERS_OBSERVED],
    )
    return Figures(operation, start, end, rows)


def cell_participants(operation: Operation, code: str, scope: str, column: str, start: date, end: date) -> QuerySet:
    """The participants behind one cell: the same condition as its count (coordinators only)."""
    if code in (LEAVERS_ALL, LEAVERS_OBSERVED):
        population, condition = LEAVERS, ALL if code == LEAVERS_ALL else observed_in_time(operation)
    else:
        indicator = REGISTRY[code]
        population, condition = indicator.population, indicator.q(operation)
    if condition is None:
        return Participant.objects.none()
    qs = (entrants if population == ENTRANTS else leavers)(operation, start, end, scope).filter(condition)
    genders = {key: gender for gender, key in GENDER_KEYS.items()}
    if column in genders:
        qs = qs.filter(gender=genders[column])
    return qs


# --- aggregate validation rules (fse.md §8, 11-13) --------------------------------------------------------
@dataclass
class Check:
    label: str
    ok: bool
    details: list[str] = field(default_factory=list)


def aggregate_checks(figures: Figures) -> list[Check]:
    op = figures.operation
    plus = op.programme == Programme.FSE_PLUS
    total, unemployed, ltu_code, inactive, employed = (
        ("EECO01", "EECO02", "EECO03", "EECO04", "EECO05") if plus else ("TOTAL", "CO01", "CO02", "CO03", "CO05")
    )
    isced = ("EECO09", "EECO10", "EECO11") if plus else None
    checks = []

    def compare(label, left, right, relation, scopes=SCOPES):
        details = []
        for scope in scopes:
            for column in COLUMNS:
                a, b = left(scope, column), right(scope, column)
                if a is None or b is None:
                    continue
                if (relation == "eq" and a != b) or (relation == "le" and a > b):
                    details.append(f"{scope_label(scope)} · {column_label(column)} : {a} / {b}")
        checks.append(Check(label, not details, details))

    def v(code):
        return lambda scope, column: figures.value(code, scope, column)

    def total_of(*codes):
        return lambda scope, column: sum(figures.value(code, scope, column) or 0 for code in codes)

    compare(
        _("Chômeurs + inactifs + personnes en emploi = total des participants"),
        total_of(unemployed, inactive, employed),
        v(total),
        "eq",
    )
    compare(_("Chômeurs de longue durée ≤ chômeurs"), v(ltu_code), v(unemployed), "le")
    if isced:
        compare(_("CITE 0-2 + CITE 3-4 + CITE 5-8 = total des participants"), total_of(*isced), v(total), "eq")
    for indicator in indicator_set(op):
        if (
            indicator.population != LEAVERS
            or indicator.reference is None
            or not figures.rows[indicator.code].collected
        ):
            continue
        reference = indicator.reference(op)
        reference_code = _reference_code(op, reference)
        if reference_code:
            compare(
                _("%(result)s ≤ sa sortie de référence cumulée") % {"result": indicator.code},
                v(indicator.code),
                total_of(*reference_code) if isinstance(reference_code, tuple) else v(reference_code),
                "le",
                scopes=(CUMULATED,),
            )
        compare(
            _("%(result)s ≤ nombre de participants sortis") % {"result": indicator.code},
            v(indicator.code),
            v(LEAVERS_ALL),
            "le",
        )
    genders_ok = all(
        row.values[scope]["total"] is None
        or row.values[scope]["total"] == sum(row.values[scope][c] for c in ("women", "men", "non_binary"))
        for row in figures.rows.values()
        for scope in SCOPES
    )
    checks.append(
        Check(_("Chaque total est la somme des femmes, des hommes et des personnes non binaires"), genders_ok)
    )
    return checks


def _reference_code(op: Operation, reference: Q):
    """The output (or sum of outputs) a result is compared to, cumulated (rule 12)."""
    plus = op.programme == Programme.FSE_PLUS
    if reference == ALL:
        return "EECO01" if plus else "TOTAL"
    if reference == Q(lm_status_entry=LabourStatusEntry.INACTIVE):
        return "EECO04" if plus else "CO03"
    if reference == ~Q(lm_status_entry=LabourStatusEntry.EMPLOYED):
        return ("EECO02", "EECO04") if plus else ("CO01", "CO03")
    if reference == Q(lm_status_entry=LabourStatusEntry.EMPLOYED):
        return "EECO05" if plus else "CO05"
    return None


def scope_label(scope: str) -> str:
    return str(_("Période") if scope == PERIOD else _("Cumul"))


def column_label(column: str) -> str:
    return str(
        {"women": _("Femmes"), "men": _("Hommes"), "non_binary": _("Non binaires"), "total": _("Total")}[column]
    )


# --- data quality and breakdowns -------------------------------------------------------------------------
DECLINABLE = {
    "disability": _("Handicap"),
    "nationality": _("Nationalité"),
    "born_abroad": _("Né·e à l'étranger"),
    "parent_born_abroad": _("Parent né à l'étranger"),
    "housing_entry": _("Situation de logement"),
}


def incomplete_condition(operation: Operation) -> Q:
    """A record is incomplete when not validated, without contact data, or a leaver without exit observation."""
    return (
        Q(validated_at__isnull=True)
        | Q(phone="", email="", referent_contact="")
        | Q(exit_on__isnull=False, exit_observed_on__isnull=True)
        | Q(exit_on__isnull=False, lm_status_exit="")
    )


@dataclass
class Quality:
    total: int
    incomplete: int
    not_validated: int
    without_contact: int
    leavers_without_exit_record: int
    observed_late: int
    short_support: int
    declines: dict
    threshold_percent: int

    @property
    def incomplete_share(self) -> float:
        return round(100 * self.incomplete / self.total, 1) if self.total else 0.0

    @property
    def contact_share(self) -> float:
        return round(100 * self.without_contact / self.total, 1) if self.total else 0.0

    @property
    def at_risk(self) -> bool:
        return self.incomplete_share > self.threshold_percent


def quality(operation: Operation) -> Quality:
    """The data-quality panel: one query over every record of the operation (counted or not)."""
    window = timedelta(days=operation.result_window_days)
    qs = Participant.objects.for_operation(operation)
    aggregates = {
        "total": Count("id"),
        "incomplete": Count("id", filter=incomplete_condition(operation)),
        "not_validated": Count("id", filter=Q(validated_at__isnull=True)),
        "without_contact": Count("id", filter=Q(phone="", email="", referent_contact="")),
        "leavers_without_exit_record": Count(
            "id", filter=Q(exit_on__isnull=False) & (Q(exit_observed_on__isnull=True) | Q(lm_status_exit=""))
        ),
        "observed_late": Count("id", filter=Q(exit_observed_on__gt=F("exit_on") + window)),
        # A row condition, not `id NOT IN (counted ids)`: past work_mem PostgreSQL stops hashing that subquery and
        # re-reads it for every participant (minutes at 500,000 participants).
        "short_support": Count("id", filter=Q(validated_at__isnull=False) & ~long_enough_q(operation)),
        **{f"declined_{name}": Count("id", filter=Q(**{name: Answer.DECLINED})) for name in DECLINABLE},
    }
    values = qs.aggregate(**aggregates)
    declines = {label: values.pop(f"declined_{name}") for name, label in DECLINABLE.items()}
    return Quality(**values, declines=declines, threshold_percent=operation.incomplete_threshold_percent)


INCOMPLETE_FIELDS = (
    "pk",
    "number",
    "last_name",
    "first_name",
    "validated_at",
    "phone",
    "email",
    "referent_contact",
    "exit_on",
    "exit_observed_on",
    "lm_status_exit",
)


# The anchors of the participant form's sections (`forms.ParticipantForm`), where each missing item is filled in.
SECTION_ENTRY, SECTION_CONTACT, SECTION_EXIT = "fse-entree", "fse-coordonnees", "fse-sortie"


def missing_items(row: dict) -> list[tuple[str, str]]:
    """What makes a record incomplete (the same tests as `incomplete_condition`), in words, each with the anchor
    of the form's section where it is filled in."""
    missing = []
    if row["validated_at"] is None:
        missing.append((_("fiche d'entrée à valider"), SECTION_ENTRY))
    if not (row["phone"] or row["email"] or row["referent_contact"]):
        missing.append((_("coordonnées"), SECTION_CONTACT))
    if row["exit_on"] and row["exit_observed_on"] is None:
        missing.append((_("date d'observation de la sortie"), SECTION_EXIT))
    if row["exit_on"] and not row["lm_status_exit"]:
        missing.append((_("situation à la sortie"), SECTION_EXIT))
    return missing


def incomplete_participants(operation: Operation) -> QuerySet:
    return Participant.objects.for_operation(operation).filter(incomplete_condition(operation))


def breakdowns(operation: Operation, start: date, end: date) -> dict:
    """Distributions for the report (fse.md §10.4), each one aggregation over the counted participants."""
    base = counted_participants(operation)
    period_entrants = base.filter(entry_on__range=(start, end))
    period_leavers = base.filter(exit_on__range=(start, end))
    housing = dict(period_entrants.values_list("housing_entry").annotate(n=Count("id")).order_by())
    exit_reasons = dict(period_leavers.values_list("exit_reason").annotate(n=Count("id")).order_by())
    exit_status = dict(period_leavers.values_list("lm_status_exit").annotate(n=Count("id")).order_by())
    ages = period_entrants.aggregate(
        under_18=Count("id", filter=Q(age__lt=18)),
        from_18_to_24=Count("id", filter=Q(age__gte=18, age__lt=25)),
        from_25_to_29=Count("id", filter=Q(age__gte=25, age__lte=29)),
        from_30_to_54=Count("id", filter=Q(age__gte=30, age__lte=54)),
        from_55=Count("id", filter=Q(age__gte=55)),
    )
    months = list(
        period_entrants.annotate(month=TruncMonth("entry_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    statuses = period_entrants.aggregate(
        **{status.value: Count("id", filter=Q(lm_status_entry=status)) for status in LabourStatusEntry}
    )
    return {
        "ages": [
            (_("Moins de 18 ans"), ages["under_18"]),
            (_("18 à 24 ans"), ages["from_18_to_24"]),
            (_("25 à 29 ans"), ages["from_25_to_29"]),
            (_("30 à 54 ans"), ages["from_30_to_54"]),
            (_("55 ans et plus"), ages["from_55"]),
        ],
        "statuses": [(status.label, statuses[status.value]) for status in LabourStatusEntry],
        "months": [(month.strftime("%m/%Y"), n) for month, n in months],
        "housing": [(choice.label, housing.get(choice.value, 0)) for choice in Housing],
        "exit_reasons": [(choice.label, exit_reasons.get(choice.value, 0)) for choice in ExitReason]
        + [(_("Non renseigné"), exit_reasons.get("", 0))],
        "exit_status": [(choice.label, exit_status.get(choice.value, 0)) for choice in LabourStatusExit]
        + [(_("Non renseignée"), exit_status.get("", 0))],
    }


# --- statistical disclosure (issue 11) ------------------------------------------------------------------------
def reporting_periods(operation: Operation) -> set[tuple[date, date]]:
    """The operation's official reporting periods: each half-year to the managing authority's cut-offs (30 June,
    31 December), each calendar year and the whole operation, clipped to the operation's dates."""
    periods = {(operation.start_on, operation.end_on)}
    for year in range(operation.start_on.year, operation.end_on.year + 1):
        for start, end in (
            (date(year, 1, 1), date(year, 6, 30)),
            (date(year, 7, 1), date(year, 12, 31)),
            (date(year, 1, 1), date(year, 12, 31)),
        ):
            start, end = max(start, operation.start_on), min(end, operation.end_on)
            if start <= end:
                periods.add((start, end))
    return periods


def is_reporting_period(operation: Operation, start: date, end: date) -> bool:
    return (start, end) in reporting_periods(operation)


def masked_rows(rows: list[Row], limit: int | None) -> list[Row]:
    """Copies of `rows` with counts below `limit` as « < limit » (parcours.disclosure); unchanged when None."""
    from parcours.disclosure import mask

    if limit is None:
        return rows
    return [replace(row, values=mask(row.values, limit)) for row in rows]
