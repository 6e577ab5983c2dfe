"""Capture the screenshots of docs/screenshots/ from a running server (development only).

    python docs/screenshots/capture.py http://127.0.0.1:8000 before|after

Logs in as the demo social worker of the CHRS and saves the person file (1366x900), the alerts inbox and
the caseload on a phone (390x844).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent


def main(base: str, suffix: str, person_id: int = 1) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name, viewport, path, full in [
            ("person-file", {"width": 1366, "height": 900}, f"/personnes/{person_id}/", False),
            ("alerts-inbox", {"width": 1366, "height": 900}, "/personnes/alertes/", False),
            ("phone-person-file", {"width": 390, "height": 844}, f"/personnes/{person_id}/", False),
        ]:
            page = browser.new_page(viewport=viewport, locale="fr-FR")
            page.goto(base + "/comptes/connexion/")
            page.fill("#id_username", "ts.chrs@demo.test")
            page.fill("#id_password", "demo1234")
            page.click("form button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(HERE / f"{name}-{suffix}.png"), full_page=full)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
