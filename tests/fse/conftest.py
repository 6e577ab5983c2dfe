import pytest

from tests.fse.factories import OperationFactory


@pytest.fixture
def operation(funder):
    """An FSE+ operation funded by the `funder` fixture's organisation."""
    return OperationFactory(funders=[funder.memberships.get().structure])


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings, tmp_path):
    """Reports and uploaded files of the tests go to a throw-away directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
