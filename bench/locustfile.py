"""The load-test mix (`make loadtest`): mostly field workers, a few coordinators and a funder.

Run by `python -m bench.loadtest`, which seeds the data, creates the accounts and writes `LOADTEST_DATA` (a JSON
file: logins, person ids of the workers' caseload, evaluation ids, the FSE operation and a rendered report).
Every request is named by its page (not its URL), so that the table has one row per page.
"""

import json
import os
import random
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOADTEST_DATA"]).read())  # noqa: SIM115
PASSWORD = DATA["password"]
WAIT = [float(n) for n in os.environ.get("LOADTEST_WAIT", "5 15").split()]


class _LoggedIn(HttpUser):
    abstract = True
    wait_time = between(*WAIT)  # a person reading the page, not a robot (`--wait`)
    login = ""

    def on_start(self):
        self.client.get("/comptes/connexion/", name="login")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/comptes/connexion/",
            {"username": self.login, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            headers={"Referer": self.host},
        )

    def post(self, url: str, data: dict, name: str):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(url, data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code}")


class Worker(_LoggedIn):
    weight = 16

    def on_start(self):
        self.login = random.choice(DATA["workers"])
        super().on_start()

    def person(self) -> int:
        return random.choice(DATA["persons"])

    @task(4)
    def caseload(self):
        self.client.get("/personnes/?vue=structure", name="caseload")

    @task(4)
    def person_file(self):
        self.client.get(f"/personnes/{self.person()}/", name="person file")

    @task(2)
    def event_entry(self):
        person = self.person()
        self.client.get(f"/personnes/{person}/evenements/ajouter/", name="event form")
        self.post(
            f"/personnes/{person}/evenements/ajouter/",
            {
                "kind": "NOTE",
                "at": datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M"),
                "visibility": "PRIVATE",
                "text": "Point d'étape (test de charge).",
                "submission_key": str(uuid.uuid4()),
            },
            "event save",
        )

    @task(2)
    def evaluation_autosave(self):
        if not DATA["evaluations"]:
            return
        evaluation = random.choice(DATA["evaluations"])
        page = self.client.get(f"/evaluations/{evaluation}/modifier/K/", name="evaluation section")
        match = re.search(r'name="lock_version"[^>]*value="(\d+)"', page.text)
        if match:  # the autosave (htmx) of the section; a concurrent edit answers 409 by design
            with self.client.post(
                f"/evaluations/{evaluation}/modifier/K/",
                {"lock_version": match.group(1), "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                headers={"HX-Request": "true"},
                name="evaluation autosave",
                catch_response=True,
            ) as response:
                if response.status_code in (200, 302, 409):
                    response.success()

    @task(1)
    def referrals(self):
        self.client.get("/personnes/orientations/", name="referral list")
        if DATA["referrals"]:
            referral = random.choice(DATA["referrals"])
            self.client.get(f"/personnes/orientations/{referral}/", name="referral answer page")


class Coordinator(_LoggedIn):
    weight = 3

    def on_start(self):
        self.login = DATA["coordinator"]
        super().on_start()

    @task
    def dashboard(self):
        self.client.get("/personnes/alertes/tableau-de-bord/", name="alerts dashboard")

    @task
    def fse_page(self):
        if DATA["operation"]:
            self.client.get(f"/fse/{DATA['operation']}/", name="FSE operation page")

    @task
    def directory_search(self):
        word = random.choice(["insertion emploi", "hébergement urgence", "logement", "santé"])
        self.client.get(f"/annuaire/?q={word}", name="directory search")


class Funder(_LoggedIn):
    weight = 1

    def on_start(self):
        self.login = DATA["funder"]
        super().on_start()

    @task
    def report_download(self):
        if DATA["report"]:
            self.client.get(f"/fse/rapports/{DATA['report']}/telecharger/", name="FSE report download")
