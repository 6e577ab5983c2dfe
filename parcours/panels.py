"""Panels a higher app provides to the people app's pages (the dependency inverted, README §2).

`parcours` sits below `evaluations` and may not import it; yet the action plan suggests objectives from the
barriers of the latest finalised evaluation, the housing request shows its « volet insertion professionnelle »
and a referral carries the evaluation's synthesis. The higher app registers one function per panel in its
`AppConfig.ready` (`panels.register(panels.BARRIERS, fn)`); the pages call `panels.provide(name, …)`, which
answers the panel's empty value while nobody registered.

Panels (every function receives already-authorised objects; none may show ◆ items unless said):
- `LATEST_EVALUATION(person_id) -> (evaluation_id, finalised_at) | None`
- `BARRIERS(person, *, health: bool) -> list[BarrierSuggestion]`: active barriers of the latest finalised
  evaluation (the HEALTH one only when `health`).
- `EMPLOYMENT_SECTION(person, *, evaluation_id=None) -> EmploymentSection | None`: the « volet insertion
  professionnelle » of the latest (or the given) finalised evaluation, never a ◆ item.
- `REFERRAL_SYNTHESIS(request, person) -> str`: the synthesis of the latest finalised evaluation without ◆
  items, as HTML (R2's REFERRAL view), "" when there is none.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LATEST_EVALUATION = "latest_evaluation"
BARRIERS = "barriers"
EMPLOYMENT_SECTION = "employment_section"
REFERRAL_SYNTHESIS = "referral_synthesis"

_EMPTY = {LATEST_EVALUATION: None, BARRIERS: [], EMPLOYMENT_SECTION: None, REFERRAL_SYNTHESIS: ""}
_providers: dict[str, Callable] = {}


@dataclass(frozen=True)
class BarrierSuggestion:
    theme: str  # the evaluation's barrier theme code (MOBILITY, HOUSING…)
    label: str  # its French label
    situations: tuple = ()  # French labels of the situations ticked
    is_health: bool = False


@dataclass
class EmploymentSection:
    evaluation_id: int
    version_no: int
    finalised_at: object
    structure_name: str
    rows: list = field(default_factory=list)  # (label, value) pairs, in order, values as French text

    def as_text(self, title: str) -> str:
        """Plain text ready to paste into SI-SIAO."""
        lines = [title, *(f"{label} : {value}" for label, value in self.rows)]
        return "\n".join(lines)


def register(name: str, provider: Callable) -> None:
    if name not in _EMPTY:
        raise ValueError(f"Unknown panel {name!r}")
    _providers[name] = provider


def provide(name: str, *args, **kwargs):
    provider = _providers.get(name)
    if provider is None:
        return _EMPTY[name]
    return provider(*args, **kwargs)
