"""Fixtures shared by every test, and the guard-rails of style.md.

Guard-rails: unknown variables in our templates fail the test; every POST form carries a CSRF
token; querysets without an explicit order come back in random order, so that no test passes
by luck of the physical row order.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.expressions import OrderBy
from django.db.models.functions import Random
from django.db.models.sql.compiler import SQLCompiler
from django.template.base import FilterExpression
from django.test import Client, override_settings

from tests.accounts import otp
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.partenaires.factories import StructureFactory

# Every `client.force_login(user)` also verifies a second factor for users who need one (tests/accounts/otp.py).
otp.install()

OUR_TEMPLATE_DIRS = tuple(
    str(path)
    for path in [settings.BASE_DIR / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    + list(Path(settings.BASE_DIR).glob("coordination/*/templates"))
)
INVALID = "<<invalid template variable %s>>"


# --- guard-rail: unknown template variables -------------------------------------------------------
@pytest.fixture(autouse=True, scope="session")
def _fail_on_unknown_template_variables():
    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = INVALID
    original_resolve = FilterExpression.resolve

    def resolve(self, context, ignore_failures=False):
        value = original_resolve(self, context, ignore_failures)
        if isinstance(value, str) and value.startswith("<<invalid template variable "):
            current = getattr(context.render_context, "template", None) or context.template
            current_name = str(getattr(getattr(current, "origin", None), "name", ""))
            if current_name.startswith(OUR_TEMPLATE_DIRS):
                raise AssertionError(f"Unknown template variable {self.token!r} in {current_name}")
            return ""
        return value

    FilterExpression.resolve = resolve
    yield
    FilterExpression.resolve = original_resolve


# --- speed: a fast password hasher --------------------------------------------------------------
@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """PBKDF2's million rounds cost ~0.7 s per demo account and per login: tests check behaviour, not hashing
    strength. `override_settings` also clears Django's cache of hashers."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# --- guard-rail: CSRF token in every POST form -----------------------------------------------------
FORM_RE = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


@pytest.fixture(autouse=True)
def _csrf_token_in_every_form(monkeypatch):
    original_request = Client.request

    def request(self, **request):
        response = original_request(self, **request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not getattr(response, "streaming", False):
            for form in FORM_RE.findall(response.content.decode()):
                assert "csrfmiddlewaretoken" in form, f"A POST form without CSRF token in {request.get('PATH_INFO')}"
        return response

    monkeypatch.setattr(Client, "request", request)


# --- guard-rail: unordered querysets come back in random order ------------------------------------
@pytest.fixture(autouse=True, scope="session")
def _random_order_for_unordered_queries():
    original_get_order_by = SQLCompiler.get_order_by

    def get_order_by(self):
        result = original_get_order_by(self)
        query = self.query
        plain_rows = query.default_cols or query.values_select
        if result or not plain_rows or query.distinct or query.combinator or query.group_by is not None:
            return result
        return [(OrderBy(Random()), ("RANDOM()", (), False))]

    SQLCompiler.get_order_by = get_order_by
    yield
    SQLCompiler.get_order_by = original_get_order_by


# --- every test starts in French ------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _french(settings):
    """A request in English leaves English active in the thread: reset it so no test depends on order."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- the fixed cast of test users ------------------------------------------------------------------
@pytest.fixture
def structure(db):
    return StructureFactory(name="CHRS Les Tilleuls (test)", kind="CHRS")


@pytest.fixture
def other_structure(db):
    return StructureFactory(name="ACI Les Jardins (test)", kind="ACI")


@pytest.fixture
def worker(structure):
    """A social worker of `structure`."""
    return MembershipFactory(structure=structure, social_worker=True).user


@pytest.fixture
def colleague(structure):
    """Another social worker of the same structure."""
    return MembershipFactory(structure=structure, social_worker=True).user


@pytest.fixture
def outsider(other_structure):
    """An insertion counsellor of another structure."""
    return MembershipFactory(structure=other_structure, counsellor=True).user


@pytest.fixture
def manager(structure):
    return MembershipFactory(structure=structure, manager=True).user


@pytest.fixture
def coordinator(db):
    return MembershipFactory(coordinator=True).user


@pytest.fixture
def dpo(db):
    """The data protection officer (privacy.md §2): a membership with role DPO."""
    return MembershipFactory(dpo=True).user


@pytest.fixture
def funder(db):
    return MembershipFactory(funder=True).user


@pytest.fixture
def user_without_membership(db):
    return UserFactory()


# --- browser ----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, started as the machine allows (root, no network beyond loopback)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then drops its 0.15 s colour transitions, so that axe never measures a button's
    # contrast halfway through one (a flaky color-contrast failure on a focused menu button).
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris", "reduced_motion": "reduce"}


# --- a real Celery worker ------------------------------------------------------------------------------
@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread of this process) consuming every queue of our Redis broker.

    Tests using it must commit their data (transactional_db): the worker reads through its own connection.
    """
    from celery.contrib.testing.worker import start_worker

    from coordination.celery import app

    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        queues=["default", "alerts", "reports"],
        shutdown_timeout=30,
    ) as worker:
        yield worker
