import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_password_reset_limits():
    """The password reset rate limit counts in Redis, which outlives a test's transaction: start from zero.

    Only the limiter's keys are deleted (the same Redis database carries the Celery broker's queues)."""

    def clear():
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match="*password-reset:*"):
            client.delete(key)

    clear()
    yield
    clear()
