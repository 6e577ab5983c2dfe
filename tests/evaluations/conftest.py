"""Reuse the privacy cast of the people app around `person`."""

import pytest

from tests.parcours.conftest import (  # noqa: F401
    admin_user,
    coordination_consent,
    employment_structure,
    employment_worker,
    partners_consent,
    past_follower,
    person,
    referral_recipient,
)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_test_database_sessions(django_db_setup, django_db_blocker):
    """Playwright's sync API runs tests in greenlets: a connection opened in one context can be left idle in
    another (seen after the browser journeys), and the test database could then not be dropped at the end
    of the session. Close such leftovers before pytest-django drops the database."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
