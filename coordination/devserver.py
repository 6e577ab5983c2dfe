"""`make run`: migrate, seed the demo once, print how to log in, then run web + worker + beat (honcho)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_MARKER = BASE_DIR / "var" / "demo-seeded"


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, cwd=BASE_DIR)


def prepare(run=manage, marker: Path = DEMO_MARKER) -> None:
    """Migrate; on the first start only, seed the demo and run the alert rules once, so that the inbox is not
    empty until the nightly run while the home page already counts people without contact."""
    run("migrate", "--no-input")
    if not marker.exists():
        run("seed_demo")
        run("run_alerts")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()


def main() -> int:
    port = os.environ.setdefault("PORT", "8000")
    prepare()
    password = os.environ.get("DEMO_PASSWORD", "demo1234")
    from accounts.demo import DEMO_TOTP_SECRET  # plain constants: no Django needed

    print(
        f"""
  coordination is starting on http://127.0.0.1:{port}  (health: http://127.0.0.1:{port}/healthz)
  Demo logins (password: {password}):
    ts.chrs@demo.test       social worker, CHRS
    cip.aci@demo.test       insertion counsellor, ACI
    resp.chrs@demo.test     manager, CHRS
    coordination@demo.test  coordinator
    financeur@demo.test     funder
    admin@demo.test         administrator (/admin/)
    dpo@demo.test           data protection officer (DPO)
  Coordinator, administrator and DPO sign in with a second factor (TOTP). Demo secret, for an
  authenticator app: {DEMO_TOTP_SECRET}
  or print the current code: .venv/bin/python manage.py demo_otp coordination@demo.test
  Ctrl-C stops everything.
""",
        flush=True,
    )
    venv_bin = Path(sys.executable).parent
    # The Procfile names gunicorn and celery: they come from the virtualenv.
    env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    procfile = str(BASE_DIR / "Procfile")
    return subprocess.call([str(venv_bin / "honcho"), "start", "-f", procfile, "-p", port], cwd=BASE_DIR, env=env)


if __name__ == "__main__":
    sys.exit(main())
