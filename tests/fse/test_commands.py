import io
import json

import pytest
from django.core.management import CommandError, call_command

from fse.models import Operation
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db


def test_create_fse_operation():
    StructureFactory(name="DDETS test", kind="FUNDER")
    out = io.StringIO()
    call_command(
        "create_fse_operation", "OP-1", title="Ma première opération", programme="fse-plus",
        start="2025-01-01", end="2026-12-31", funder=["DDETS test"], stdout=out,
    )  # fmt: skip
    operation = Operation.objects.get(number="OP-1")
    assert (operation.programme, operation.funders.get().name) == ("FSE_PLUS", "DDETS test")
    assert "Opération OP-1 créée." in out.getvalue()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"start": "2025-13-01", "end": "2026-01-01"}, "Date invalide"),
        ({"start": "2026-01-01", "end": "2025-01-01"}, "La date de fin doit être postérieure"),
        ({"start": "2025-01-01", "end": "2026-01-01", "funder": ["Inconnue"]}, "Structure inconnue"),
    ],
)
def test_create_fse_operation_bad_input(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_fse_operation", "OP-2", title="T", programme="fse-2014", **options)
    assert not Operation.objects.exists()


def test_create_fse_operation_twice_is_refused():
    OperationFactory(number="OP-3")
    with pytest.raises(CommandError):
        call_command(
            "create_fse_operation", "OP-3", title="T", programme="fse-plus", start="2025-01-01", end="2025-12-31"
        )


def test_fse_indicators_json():
    operation = OperationFactory()
    ParticipantFactory(operation=operation)
    ParticipantFactory(operation=operation, man=True, inactive=True)
    out = io.StringIO()
    call_command("fse_indicators", operation=operation.number, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["EECO01"] == {"women": 1, "men": 1, "non_binary": 0, "total": 2}
    assert data["EECO15"] == {"women": None, "men": None, "non_binary": None, "total": None}
    out = io.StringIO()
    call_command(
        "fse_indicators", operation=operation.number, start="2026-01-01", end="2026-06-30", json=True, stdout=out
    )
    assert json.loads(out.getvalue())["EECO01"]["total"] == 0


def test_fse_indicators_bad_input():
    with pytest.raises(CommandError, match="Opération inconnue"):
        call_command("fse_indicators", operation="NOPE", json=True)
    operation = OperationFactory()
    with pytest.raises(CommandError, match="La fin de la période"):
        call_command("fse_indicators", operation=operation.number, start="2026-01-01", end="2025-01-01")
