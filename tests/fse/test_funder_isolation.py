"""Every FSE URL pattern, walked as a funder of the operation with forged ids: never a participant (R6)."""

import pytest
from django.urls import get_resolver, reverse

from tests.fse.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def fse_patterns():
    resolver = get_resolver()
    fse = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "fse")
    for pattern in fse.url_patterns:
        yield f"fse:{pattern.name}", list(pattern.pattern.converters)


@pytest.mark.parametrize("method", ["get", "post"])
def test_funder_never_reaches_a_participant(client, funder, operation, method):
    participant = ParticipantFactory(operation=operation, last_name="Zyxwvutsrq", phone="0611223344")
    ids = {"pk": operation.pk, "participant_pk": participant.pk, "report_pk": 999999}
    texts = {"code": "EECO01", "scope": "period", "column": "total", "fmt": "csv"}
    client.force_login(funder)
    walked = 0
    for name, converters in fse_patterns():
        kwargs = {key: ids.get(key, texts.get(key)) for key in converters}
        url = reverse(name, kwargs=kwargs)
        response = getattr(client, method)(url)
        walked += 1
        body = b"" if getattr(response, "streaming", False) else response.content
        assert b"Zyxwvutsrq" not in body, url
        assert b"0611223344" not in body, url
        assert participant.number.encode() not in body, url
        if "participant" in name or name in ("fse:indicator_cell",):
            # 404 (R6); a POST on a read-only page is refused by its method first (405), with no content.
            assert response.status_code == (404 if method == "get" else response.status_code), url
            assert response.status_code in (404, 405), (url, response.status_code)
        else:
            assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
    assert walked >= 14


def test_htmx_fragment_is_the_same_html_as_the_full_page(client, coordinator, operation):
    from fse.models import Report

    report = Report.objects.create(
        operation=operation, period_start=operation.start_on, period_end=operation.end_on, progress=30
    )
    client.force_login(coordinator)
    url = reverse("fse:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode().strip()
    assert fragment in page
