import pytest
from django.test import Client


@pytest.fixture
def client_for():
    """A test client logged in as `user`."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
