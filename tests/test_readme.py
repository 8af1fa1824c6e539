"""The README cannot rot: every command and request it shows runs here, as a newcomer would copy it.

Requests (curl, ogrinfo, ogr2ogr) go to the live server with an administrator's token in $TOKEN; management
commands run in-process against the test database. Import examples run with --dry-run (the whole pipeline, then a
rollback) so the shared test database keeps its sample; the files they name are made from the sample first.
Synopsis lines (with FILE, ID, [options]) describe syntax and are not run; `make run` / `make test` are what
runs this suite.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

README = Path(__file__).resolve().parents[1] / "README.md"
ROOT = README.parent
HOST = "http://127.0.0.1:8000"
CLIENTS = {"curl", "ogrinfo", "ogr2ogr"}
IMPORTS = {"geodata_import", "geodata_import_admin", "geodata_import_indicators"}
SYNOPSIS = re.compile(r"\[|\b(FILE|ID|CRS|NAME|CODE|TOKEN_ID|USER)\b|\|")
# `make run` / `make test`: the suite itself or a long-running server; `export ...` + `docker compose`: the
# production recipe, which needs a container engine and certificates (docker-compose.yml is checked elsewhere).
NOT_RUN = {"make", "docker", "export"}
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
PASSWORD = "Đồng-Nai-readme-2026"


class Command(list):
    """The words of one README command, with the line as written (for the shell, when it needs one)."""

    line: str = ""


def readme_blocks() -> list[list[Command]]:
    """The README's fenced code blocks, each a list of commands (continuations joined, comments dropped); blocks
    fenced as another language (```python: a client library's recipe, run by its own test) are not commands."""
    blocks, lines, in_code, other = [], [], False, False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if not in_code:
                other = line[3:].strip() not in ("", "sh")
            elif not other:
                block = []
                for text in "\n".join(lines).replace("\\\n", " ").splitlines():
                    words = Command(shlex.split(text, comments=True))
                    if words:
                        words.line = text
                        block.append(words)
                blocks.append(block)
            in_code, lines = not in_code, []
            continue
        if in_code:
            lines.append(line)
    return [block for block in blocks if block]


def _kind(words: list[str]) -> str:
    if words[0] in CLIENTS:
        return "client"
    if words[0] in NOT_RUN:
        return "skip"
    if ASSIGNMENT.match(words[0]) and "manage.py" in words:
        return "shell"  # settings from the environment (e.g. production's check --deploy): its own process
    if "manage.py" in words[:2]:
        return "synopsis" if SYNOPSIS.search(" ".join(words)) else "command"
    if words[0].startswith("-") or ASSIGNMENT.match(words[0]):
        return "skip"  # the continuation of a skipped recipe
    return "unknown"


BLOCKS = readme_blocks()
COMMANDS = [words for block in BLOCKS for words in block]
MANAGEMENT_BLOCKS = [[w for w in block if _kind(w) == "command"] for block in BLOCKS]
MANAGEMENT_BLOCKS = [block for block in MANAGEMENT_BLOCKS if block]


def test_the_readme_shows_commands_and_every_one_is_known():
    kinds = [_kind(words) for words in COMMANDS]
    assert kinds.count("client") >= 8 and kinds.count("command") >= 8 and kinds.count("shell") >= 1
    assert "unknown" not in kinds, [" ".join(w) for w, k in zip(COMMANDS, kinds) if k == "unknown"]


@pytest.mark.parametrize("words", [w for w in COMMANDS if _kind(w) == "shell"], ids=lambda w: w.line[:70])
def test_each_command_with_its_own_environment_runs(words):
    """Lines such as `MAPSERVER_ENV=production ... manage.py check --deploy`, run by bash as written."""
    line = words.line.replace(" python manage.py", " .venv/bin/python manage.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAPSERVER_") and k != "DATABASE_URL"}
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, (done.stdout[-1000:], done.stderr[-1000:])


def _manage_args(words: list[str]) -> list[str]:
    return words[words.index("manage.py") + 1 :]


@pytest.fixture(scope="module")
def example_files(tmp_path_factory, django_db_setup, django_db_blocker):
    """The files the README's import examples name, made from the sample data in a scratch directory."""
    tmp_path = tmp_path_factory.mktemp("readme")
    with django_db_blocker.unblock():
        call_command("geodata_export", layer="schools", format="csv", output=str(tmp_path / "truong.csv"))
        call_command("geodata_export", layer="communes", format="gpkg", output=str(tmp_path / "ranh_gioi_xa.gpkg"))
        parcels = tmp_path / "all_parcels.gpkg"
        call_command("geodata_export", layer="land_parcels", format="gpkg", output=str(parcels))
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "ESRI Shapefile",
            str(tmp_path / "thua_dat.shp"),
            str(parcels),
            "-limit",
            "500",
            "-lco",
            "ENCODING=",
            "-nln",
            "thua_dat",
        ],
        check=True,
        capture_output=True,
    )
    return tmp_path


@pytest.mark.live
@pytest.mark.parametrize("words", [w for w in COMMANDS if _kind(w) == "client"], ids=lambda w: " ".join(w)[:70])
def test_each_request_of_the_readme_answers(words, live_server, tokens, tmp_path):
    if shutil.which(words[0]) is None:
        pytest.fail(f"{words[0]} is not installed (deploy/sysdeps.sh installs it)")
    argv = [word.replace(HOST, live_server.url) for word in words]
    env = {**os.environ, "TOKEN": tokens["t_admin"]}
    argv = [os.path.expandvars(word) if "$TOKEN" in word else word for word in argv]
    argv = [word.replace("$TOKEN", env["TOKEN"]) for word in argv]
    if argv[0] == "curl":
        argv[1:1] = ["-sS", "-w", "\n%{http_code}", "--max-time", "300"]
        done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=320)
        status = int(done.stdout.rsplit("\n", 1)[-1])
        assert done.returncode == 0 and 200 <= status < 300, (status, done.stdout[-500:], done.stderr[-500:])
        return
    done = subprocess.run(
        argv + ["--config", "GDAL_HTTP_TIMEOUT", "300"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0 and "ERROR" not in done.stderr, done.stderr[-1000:]


@pytest.mark.django_db
@pytest.mark.parametrize("block", MANAGEMENT_BLOCKS, ids=lambda b: " ".join(_manage_args(b[0]))[:60])
def test_each_block_of_management_commands_runs_in_order(block, example_files, monkeypatch, capsys):
    """A block is a sequence (create a user, then revoke and lock it): its commands run one after the other."""
    monkeypatch.chdir(example_files)
    for words in block:
        args = _manage_args(words)
        name, rest = args[0], args[1:]
        if name in IMPORTS and "--template" not in rest:
            rest = [*rest, "--dry-run"]
        if name == "geodata_import_indicators" and "--template" not in rest and not Path("chi_tieu.xlsx").exists():
            call_command("geodata_import_indicators", "--template", "chi_tieu.xlsx")
        if "--set-password" in rest:  # reads the password from standard input, as the README says
            monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        call_command(name, *rest)
        output = capsys.readouterr()
        assert "Traceback" not in output.out + output.err, " ".join(words)
