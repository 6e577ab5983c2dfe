"""The palette passes WCAG AA: every button and badge colour pair of static/css/app.css, computed here (axe checks
text it can see on the pages it visits; this covers hover and active states and badges too)."""

import re

import pytest
from django.conf import settings

CSS = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
WHITE = "#ffffff"


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rule(selector: str) -> dict[str, str]:
    """The custom properties and colours declared for `selector` in app.css."""
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"{selector} is not styled in app.css"
    return dict(re.findall(r"([-\w]+)\s*:\s*(#[0-9a-fA-F]{6})", match.group(1)))


@pytest.mark.parametrize(
    ("selector", "background", "text"),
    [
        (".btn-primary", "--bs-btn-bg", WHITE),
        (".btn-primary", "--bs-btn-hover-bg", WHITE),
        (".btn-primary", "--bs-btn-active-bg", WHITE),
        (".btn-secondary", "--bs-btn-bg", WHITE),
        (".btn-outline-primary", "--bs-btn-hover-bg", WHITE),
        (".btn-outline-secondary", "--bs-btn-hover-bg", WHITE),
        (".btn-outline-danger", "--bs-btn-hover-bg", WHITE),
        (".btn-danger", "--bs-btn-bg", WHITE),
        (".text-bg-danger", "background-color", WHITE),
        (".text-bg-success", "background-color", WHITE),
        (".text-bg-primary", "background-color", WHITE),
        (".text-bg-secondary", "background-color", WHITE),
    ],
)
def test_filled_buttons_and_badges_pass_aa(selector, background, text):
    colour = rule(selector)[background]
    assert contrast(colour, text) >= 4.5, f"{selector} {background} {colour} on {text}"


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (".btn-outline-primary", "--bs-btn-color"),
        (".btn-outline-secondary", "--bs-btn-color"),
        (".btn-outline-danger", "--bs-btn-color"),
    ],
)
def test_outline_buttons_pass_aa_on_the_page_and_on_the_header(selector, text):
    colour = rule(selector)[text]
    for surface in (WHITE, rule(".site-header")["background"]):
        assert contrast(colour, surface) >= 4.5, f"{selector} {colour} on {surface}"


def test_the_body_text_and_links_pass_aa():
    root = rule(":root")
    for name in ("--bs-body-color", "--bs-link-color", "--bs-link-hover-color", "--bs-primary", "--bs-danger"):
        assert contrast(root[name], WHITE) >= 4.5, name
