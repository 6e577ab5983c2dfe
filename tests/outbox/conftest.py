from tests.fse.conftest import _media_in_a_temporary_directory, operation  # noqa: F401 (fixtures)
from tests.parcours.conftest import person  # noqa: F401 (fixture)
