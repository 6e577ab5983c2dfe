"""French is the source language; the English catalogue must stay complete (design README §4)."""

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_translates_every_string(tmp_path):
    """Re-extract the strings with makemessages and check each one has an English translation."""
    backup = tmp_path / "django.po"
    shutil.copy(CATALOGUE, backup)
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "--no-location",
                *("--ignore", ".venv/*", "--ignore", "node_modules/*", "--ignore", "var/*", "--ignore", "tests/*"),
            ],
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
        )
        extracted = polib.pofile(str(CATALOGUE))
    finally:
        shutil.copy(backup, CATALOGUE)
    untranslated = [e.msgid for e in extracted if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == [], f"{len(untranslated)} strings lack an English translation: {untranslated[:20]}"


@pytest.mark.django_db
def test_the_interface_is_french_by_default_and_english_on_request(client):
    french = client.get(reverse("login"))
    assert "Se connecter" in french.content.decode()
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in english.content.decode()
