import pytest

from tests.fse.factories import OperationFactory


@pytest.fixture
def operation(funder):
    """An FSE+ operation funded by the `funder` fixture's organisation."""
    return OperationFactory(funders=[funder.memberships.get().structure])
