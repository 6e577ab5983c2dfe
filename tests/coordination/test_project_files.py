"""No Docker engine runs here: check that docker-compose.yml and the Procfile run commands that exist."""

import re
import shlex
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import get_commands

BASE_DIR = Path(settings.BASE_DIR)


def _python_modules_exist(command: list[str]) -> None:
    program = command[0]
    if program == "gunicorn":
        module = command[1].split(":")[0]
        assert (BASE_DIR / (module.replace(".", "/") + ".py")).exists(), module
    elif program == "celery":
        assert command[1:3] == ["-A", "coordination"]
        assert command[3] in {"worker", "beat"}
    elif program == "python" and command[1] == "manage.py":
        assert command[2] in get_commands(), f"unknown management command {command[2]}"
    else:
        raise AssertionError(f"unexpected program {program}")


def test_docker_compose_services_and_their_commands():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"]
        command = service["command"]
        command = command if isinstance(command, list) else shlex.split(command)
        if command[:2] == ["sh", "-c"]:
            command = [command[2]]
        for part in " ".join(command).split("&&"):
            _python_modules_exist(shlex.split(part))
        assert "DATABASE_URL" in str(service.get("environment")) or service.get("env_file")


def test_dockerfile_installs_weasyprint_libraries():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "libpango-1.0-0" in dockerfile
    assert "python:3.11" in dockerfile


def test_procfile_commands_exist():
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if not line.strip():
            continue
        _name, command = line.split(":", 1)
        _python_modules_exist(shlex.split(command))


def test_every_environment_variable_is_documented():
    documented = (BASE_DIR / "docs" / "environment.md").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    source = (BASE_DIR / "coordination" / "settings.py").read_text()

    names = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', source))
    assert names, "no variable found"
    for name in sorted(names):
        assert f"`{name}`" in documented, f"{name} missing from docs/environment.md"
        assert f"{name}=" in example, f"{name} missing from .env.example"
