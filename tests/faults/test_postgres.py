"""PostgreSQL restarts under a running web server: the next request succeeds (CONN_HEALTH_CHECKS).

The test runs its own PostgreSQL 16 (the pgserver wheel's binaries) on a free port, loaded with a copy of the
test database, so that restarting it disturbs nobody.
"""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coordination import backup
from parcours.models import Event
from tests.faults.conftest import free_port
from tests.parcours.conftest import person  # noqa: F401 (fixture)

pytestmark = pytest.mark.faults


class PrivatePostgres:
    def __init__(self):
        self.bin = backup.pg_binary("pg_ctl", 16).parent
        self.dir = Path(tempfile.mkdtemp(prefix="coordination-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        # PostgreSQL refuses to run as root: run it as `nobody` then.
        self.user = "nobody" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.dir, self.user)
            self.dir.chmod(0o755)

    def run(self, *args: str) -> None:
        subprocess.run([*args], check=True, capture_output=True, user=self.user, cwd=self.dir, timeout=120)

    def start(self) -> "PrivatePostgres":
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.pg_ctl("start")
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "coordination")
        return self

    def pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w",
                 "-m", "fast", action)  # fmt: skip

    def stop(self) -> None:
        try:
            self.pg_ctl("stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/coordination"


def test_postgresql_restart_the_next_request_succeeds(stack, person, worker, tmp_path):  # noqa: F811
    client = Client()
    client.force_login(worker)  # the session row travels with the copy
    archive = backup.backup(tmp_path / "copy")
    pg = PrivatePostgres().start()
    try:
        # The private server over TCP, whatever the test database's own connection (the embedded one is a socket).
        private = {"NAME": "coordination", "HOST": "127.0.0.1", "PORT": pg.port, "USER": "postgres", "PASSWORD": ""}
        backup.restore(archive, db={**connection.settings_dict, **private, "OPTIONS": {}}, media_root=tmp_path / "m")
        stack.start_web(DATABASE_URL=pg.url)
        browser = requests.Session()
        browser.cookies.set("sessionid", client.cookies["sessionid"].value)
        page = stack.web_url + reverse("parcours:person_detail", args=[person.pk])
        assert browser.get(page, timeout=60).status_code == 200

        pg.pg_ctl("restart")  # the web process keeps its (now dead) connection (CONN_MAX_AGE=60)

        assert browser.get(page, timeout=60).status_code == 200
        saved = stack.post(
            browser,
            reverse("parcours:event_create", args=[person.pk]),
            {
                "kind": "NOTE",
                "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "visibility": "PRIVATE",
                "text": "Après le redémarrage.",
                "submission_key": str(uuid.uuid4()),
            },
        )
        assert saved.status_code == 302, saved.text[:2000]
        assert not Event.objects.exists()  # it went to the private server, not the test database
        health = requests.get(stack.web_url + "/healthz", timeout=30).json()
        assert health["database"] == "ok"
    finally:
        stack.close()
        pg.stop()
