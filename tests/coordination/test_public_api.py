"""`__all__` lists match their modules (issue 10, item 6): every listed name exists, and every public
function, class or constant the module defines is listed."""

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "partenaires", "parcours", "evaluations", "alerts", "fse", "coordination"]


def _modules_with_all():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "/migrations/" in path.as_posix():
                continue
            tree = ast.parse(path.read_text())
            if any(
                isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
                for n in tree.body
            ):
                yield path, tree


def test_all_lists_match_their_modules():
    problems = []
    for path, tree in _modules_with_all():
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        module = importlib.import_module(name)
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        defined |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        public = {n for n in defined if not n.startswith("_")}
        missing = sorted(n for n in module.__all__ if not hasattr(module, n))
        unlisted = sorted(public - set(module.__all__))
        if missing or unlisted:
            problems.append(f"{name}: listed but missing {missing}, public but not listed {unlisted}")
    assert not problems, "\n".join(problems)
