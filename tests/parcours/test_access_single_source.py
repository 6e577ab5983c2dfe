"""`parcours/access.py` is the only code that reads follow-ups, consents and referrals to decide who sees a
person (issue 10, item 3). This test reads the source of every app (no database) and fails when a module
elsewhere filters `Consent`, `FollowUp` or `Referral` by a structure, a referent or a sender, or follows
such a relation from another model (`person__followups__structure_id__in=…`).

Writes (create, update, select_for_update…) are allowed: services own their tables. The few reads that are
not visibility decisions are listed in `ALLOWED` with the reason; an entry that no longer matches fails too,
so the list cannot rot.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "audit",
    "outbox",
    "partenaires",
    "parcours",
    "evaluations",
    "alerts",
    "concertation",
    "observatoire",
    "fse",
    "dpo",
    "coordination",
]
POLICY = "parcours/access.py"
# Seed data runs without a user: it decides nothing about visibility.
SKIPPED_NAMES = {"demo.py", "demo_plan.py"}

GUARDED_MODELS = {"Consent", "FollowUp", "Referral"}
GUARDED_RELATIONS = {"followups", "consents", "referrals", "referrals_received", "referrals_sent"}
WRITES = {"create", "bulk_create", "update", "delete", "select_for_update", "get_or_create", "update_or_create"}
# A lookup naming a party of the relation: the structure, the referent, the sender, the person who collected.
PARTY = re.compile(r"(^|__)((to_|from_)?structure|referent|sent_by|collected_by(_structure)?)(_id)?(__|$)")
RELATION_LOOKUP = re.compile(r"(^|__)(" + "|".join(sorted(GUARDED_RELATIONS)) + r")__")

ALLOWED = {
    ("parcours/models/people.py", "PersonQuerySet.with_referent"): (
        "a caseload filter ('people I am the referent of'), always applied on top of visible_to"
    ),
    ("parcours/services.py", "referral_accept"): (
        "a write path: reuses the receiving structure's open follow-up of that kind instead of creating one"
    ),
    ("parcours/rights.py", "warn_before_anonymisation"): (
        "a job without a user: finds whom to warn (the lead referent) of a file about to be anonymised"
    ),
    ("observatoire/templatetags/observatoire_tags.py", "_worker_figures"): (
        "counts only on the worker's home card: their own referent caseload, the referrals their structures got"
    ),
    ("observatoire/views.py", "matrix_referrals"): (
        "the pair of structures is the drill-down's subject; the rows are already limited by Person.visible_to"
    ),
    ("parcours/templatetags/parcours_tags.py", "parcours_home_cards"): (
        "splits into received and sent the referrals already filtered by Referral.objects.visible_to"
    ),
}


def _chain(node):
    """The root of a method chain `A.b(...).c(...)` and its calls, outermost first."""
    attrs, calls = [], []
    while True:
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node, attrs, calls


def _lookup_keys(calls) -> list[str]:
    """Every keyword given to the chain's calls, including those of nested `Q(...)`/`Exists(...)`; a lookup
    compared with None (`exclude(referent=None)`) names no party."""
    keys = set()
    for call in calls:
        for item in [*call.keywords, *call.args]:
            for node in ast.walk(item):
                is_none = (
                    isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant) and node.value.value is None
                )
                if isinstance(node, ast.keyword) and node.arg and not is_none:
                    keys.add(node.arg)
    return sorted(keys)


def scan_source(source: str) -> list[tuple[str, int, str]]:
    """(enclosing function, line, reason) of each read deciding visibility from a guarded table."""
    tree = ast.parse(source)
    findings = []

    class Visitor(ast.NodeVisitor):
        def __init__(self):
            self.stack, self.inner = [], set()

        def _scope(self, node):
            self.stack.append(node.name)
            self.generic_visit(node)
            self.stack.pop()

        visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

        def visit_Call(self, node):
            if id(node) not in self.inner:
                root, attrs, calls = _chain(node)
                for call in calls:
                    self.inner.add(id(call))
                self._check(node, root, attrs, calls)
            self.generic_visit(node)

        def _check(self, node, root, attrs, calls):
            where = ".".join(self.stack) or "<module>"
            if WRITES.intersection(attrs) or (isinstance(root, ast.Name) and not attrs):
                return  # a write, or a model instance being built (`FollowUp(person=…, structure=…)`)
            keys = _lookup_keys(calls)
            guarded_root = (isinstance(root, ast.Name) and root.id in GUARDED_MODELS) or bool(
                GUARDED_RELATIONS.intersection(attrs)
            )
            if guarded_root and any(PARTY.search(k) for k in keys):
                findings.append((where, node.lineno, "guarded table filtered by a party"))
                return
            for key in keys:
                match = RELATION_LOOKUP.search(key)
                if match and PARTY.search(key[match.end() :]):
                    findings.append((where, node.lineno, f"lookup {key}"))
                    return

    Visitor().visit(tree)
    return findings


def _app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == POLICY or path.name in SKIPPED_NAMES:
                continue
            yield relative, path


def test_only_the_access_policy_reads_consents_followups_and_referrals_for_visibility():
    found = {}
    for relative, path in _app_modules():
        for where, line, reason in scan_source(path.read_text()):
            found.setdefault((relative, where), []).append(f"{relative}:{line} in {where}: {reason}")
    forbidden = [line for key, lines in found.items() if key not in ALLOWED for line in lines]
    assert not forbidden, "Visibility decided outside parcours/access.py:\n" + "\n".join(forbidden)
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"ALLOWED entries that no longer match anything (remove them): {stale}"


def test_the_scan_catches_the_copies_it_is_meant_to_catch():
    flagged = """
def visible(user, structures):
    a = FollowUp.objects.open().filter(structure_id__in=structures)
    b = Alert.objects.exclude(person__followups__structure_id__in=structures)
    c = Referral.objects.pending().aggregate(n=Count("pk", filter=Q(to_structure_id__in=structures)))
    d = person.consents.filter(collected_by_structure=structure)
"""
    assert [line for _w, line, _r in scan_source(flagged)] == [3, 4, 5, 6]
    allowed = """
def write(person, structure):
    FollowUp.objects.create(person=person, structure=structure)
    FollowUp.objects.open().filter(person_id__in=[1]).update(referent=None)
    Referral.objects.select_for_update().get(pk=1, to_structure=structure)
    person.followups.select_related("structure").order_by("id")
"""
    assert scan_source(allowed) == []
