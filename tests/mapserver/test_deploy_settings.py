"""The production path: settings refuse unsafe starts and pass `check --deploy`; nginx serves HTTPS only, with HSTS
and rate limits (deploy/nginx.conf.template, checked with the real nginx); docker-compose wires it together."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import ssl
import string
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
PRODUCTION = {
    "MAPSERVER_ENV": "production",
    "MAPSERVER_ALLOWED_HOSTS": "ioc.example.vn",
    "MAPSERVER_SECRET_KEY": "".join(
        secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50)
    ),
}
RATE_LIMITED = {  # path → (the location that must match it, POST only)
    "/open311/v2/requests.json": ("^~ /open311/v2/requests", True),
    "/report/submit": ("= /report/submit", True),
    "/accounts/login/": ("= /accounts/login/", True),
    "/api/query": ("= /api/query", False),
    "/api/scenarios/flood/run": ("~ ^/api/scenarios/[^/]+/run$", True),
    "/ogcapi/processes/flood/execution": ("~ ^/ogcapi/processes/[^/]+/execution$", True),  # the same runs
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, with the MAPSERVER_* settings of the test run replaced by env."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAPSERVER_") or k == "MAPSERVER_DB_PORT"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production():
    done = manage("check", "--deploy", **PRODUCTION)
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output and "ERRORS" not in output


@pytest.mark.parametrize("debug", ["off", "on"])
def test_production_refuses_to_start_without_a_secret_key(debug):
    env = {**PRODUCTION, "MAPSERVER_DEBUG": debug}
    del env["MAPSERVER_SECRET_KEY"]
    done = manage("check", **env)
    assert done.returncode != 0
    assert "MAPSERVER_SECRET_KEY must be set in production" in done.stderr


def test_production_refuses_debug():
    done = manage("check", **PRODUCTION, MAPSERVER_DEBUG="on")
    assert done.returncode != 0
    assert "MAPSERVER_DEBUG must be off in production" in done.stderr


def test_an_unknown_environment_name_is_refused():
    done = manage("check", MAPSERVER_ENV="prod")
    assert done.returncode != 0 and "MAPSERVER_ENV must be local or production" in done.stderr


def _settings(**env: str) -> dict:
    names = [
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "DEBUG",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names}}}))"
    )
    done = manage("shell", "-c", code, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_settings_harden_transport_and_cookies():
    assert _settings(**PRODUCTION) == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "DEBUG": False,
    }
    tuned = _settings(
        **PRODUCTION, MAPSERVER_SSL_REDIRECT="off", MAPSERVER_HSTS_SECONDS="600", MAPSERVER_HSTS_PRELOAD="off"
    )
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD")
    assert [tuned[n] for n in names] == [False, 600, False]


def test_local_settings_do_not_trust_a_proxy_header_or_force_https():
    local = _settings(MAPSERVER_ENV="local")
    assert local["SECURE_PROXY_SSL_HEADER"] is None and not local["SECURE_SSL_REDIRECT"]
    assert local["SECURE_HSTS_SECONDS"] == 0 and not local["SESSION_COOKIE_SECURE"]


# nginx: the template parsed into (directive, args, children) blocks.


def parse_nginx(text: str) -> list[tuple[str, list[str], list]]:
    """A small nginx configuration parser: comments dropped, quotes kept, blocks nested."""
    tokens = re.findall(r'"[^"]*"|[{};]|(?:\$\{\w+\}|[^\s{};"])+', re.sub(r"#[^\n]*", "", text))

    def block(pos: int) -> tuple[list, int]:
        items, words = [], []
        while pos < len(tokens):
            token = tokens[pos]
            pos += 1
            if token == ";":
                items.append((words[0], words[1:], []))
                words = []
            elif token == "{":
                children, pos = block(pos)
                items.append((words[0], words[1:], children))
                words = []
            elif token == "}":
                return items, pos
            else:
                words.append(token)
        return items, pos

    return block(0)[0]


def find(items: list, name: str) -> list[tuple[str, list[str], list]]:
    return [item for item in items if item[0] == name]


def servers() -> dict[str, list]:
    """The server blocks by their listen directive's port."""
    parsed = parse_nginx(TEMPLATE.read_text())
    return {find(children, "listen")[0][1][0]: children for _, _, children in find(parsed, "server")}


def test_nginx_serves_https_with_the_certificate_from_the_environment():
    https = servers()["443"]
    assert find(https, "listen")[0][1][:2] == ["443", "ssl"]
    assert find(https, "ssl_certificate")[0][1] == ["${MAPSERVER_TLS_CERT}"]
    assert find(https, "ssl_certificate_key")[0][1] == ["${MAPSERVER_TLS_KEY}"]
    assert find(https, "ssl_protocols")[0][1] == ["TLSv1.2", "TLSv1.3"]


def test_nginx_redirects_http_to_https():
    http = servers()["80"]
    catch_all = [children for _, args, children in find(http, "location") if args == ["/"]][0]
    assert find(catch_all, "return")[0][1] == ["301", "https://$host$request_uri"]
    assert not find(http, "proxy_pass") and not any(find(c, "proxy_pass") for _, _, c in find(http, "location"))


def test_nginx_sends_hsts():
    parsed = parse_nginx(TEMPLATE.read_text())
    https = servers()["443"]
    assert ["Strict-Transport-Security", "$mapserver_hsts", "always"] in [a for _, a, _ in find(https, "add_header")]
    hsts_map = [c for _, args, c in find(parsed, "map") if args[1] == "$mapserver_hsts"][0]
    fallback = {name: args[0] for name, args, _ in hsts_map}['""']
    assert fallback == '"max-age=${MAPSERVER_HSTS_SECONDS}; includeSubDomains"'
    static = [c for _, args, c in find(https, "location") if args == ["/static/"]][0]  # add_header there: not inherited
    assert ["Strict-Transport-Security", "$mapserver_hsts", "always"] in [a for _, a, _ in find(static, "add_header")]


@pytest.mark.parametrize("path", RATE_LIMITED)
def test_nginx_rate_limits(path):
    parsed = parse_nginx(TEMPLATE.read_text())
    https = servers()["443"]
    assert find(https, "limit_req_status")[0][1] == ["429"]
    location, post_only = RATE_LIMITED[path]
    modifier, pattern = location.split(" ", 1)
    assert _location_for(https, path) == [modifier, pattern]
    children = [c for _, args, c in find(https, "location") if args == [modifier, pattern]][0]
    zone = find(children, "limit_req")[0][1][0].removeprefix("zone=")
    zones = {args[1].removeprefix("zone=").split(":")[0]: args[0] for _, args, _ in find(parsed, "limit_req_zone")}
    assert zones[zone] == ("$mapserver_post_client" if post_only else "$binary_remote_addr")
    assert find(children, "proxy_pass")[0][1] == ["http://mapserver_app"]


def _location_for(server: list, path: str) -> list[str]:
    """The location nginx picks for path: exact, then the longest prefix unless ^~, then the first regex."""
    locations = [args for _, args, _ in find(server, "location")]
    exact = [a for a in locations if a[0] == "=" and a[1] == path]
    if exact:
        return exact[0]
    prefixes = sorted((a for a in locations if len(a) == 1 or a[0] == "^~"), key=lambda a: -len(a[-1]))
    prefix = next((a for a in prefixes if path.startswith(a[-1])), None)
    if prefix and prefix[0] == "^~":
        return prefix
    regex = next((a for a in locations if a[0] == "~" and re.search(a[1], path)), None)
    return regex or prefix


def test_the_template_and_docker_compose_agree():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    used = set(re.findall(r"\$\{(MAPSERVER_[A-Z_]+)\}", TEMPLATE.read_text()))
    assert used <= set(web["environment"]), "every template variable is set for nginx"
    assert "./deploy/nginx.conf.template:/etc/nginx/templates/default.conf.template:ro" in web["volumes"]
    mounts = " ".join(web["volumes"])
    assert "${MAPSERVER_TLS_CERT" in mounts and "${MAPSERVER_TLS_KEY" in mounts
    assert {p.split(":")[-1] for p in web["ports"]} == {"80", "443"}


def test_docker_compose_has_the_scaled_shape():
    """Primary and streaming replica, pgbouncer, two app servers on shared volumes, nginx over both."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"db", "db-replica", "pgbouncer", "migrate", "app", "app2", "web"} <= set(services)
    app, app2 = services["app"], services["app2"]
    assert app["environment"] == app2["environment"] and app["volumes"] == app2["volumes"]
    assert "@pgbouncer:" in app["environment"]["DATABASE_URL"] and "@db-replica:" in str(app["environment"])
    assert {v.split(":")[0] for v in app["volumes"]} >= {"tilecache", "appdata"}  # shared tiles, photos, rasters
    web = services["web"]["environment"]
    assert {web["MAPSERVER_UPSTREAM"], web["MAPSERVER_UPSTREAM_SECOND"]} == {"app:8000", "app2:8000"}
    replica = services["db-replica"]
    assert replica["depends_on"]["db"]["condition"] == "service_healthy" and replica["restart"] == "unless-stopped"
    script = (ROOT / "deploy" / "db" / "replica.sh").read_text()
    assert "pg_basebackup" in script and " -R" in script
    for name in ("db-replica", "pgbouncer", "app2"):
        assert services[name]["restart"] == "unless-stopped" and services[name]["healthcheck"]["test"], name


def test_docker_compose_separates_the_roles_and_loads_no_sample_unasked():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    app, migrate, db, web = (services[name] for name in ("app", "migrate", "db", "web"))
    assert app["environment"]["DATABASE_URL"].startswith("postgis://mapserver_app:")
    assert "MAPSERVER_DB_PASSWORD" not in str(app["environment"]), "the app never holds the owner's password"
    assert migrate["environment"]["MAPSERVER_MIGRATE_DATABASE_URL"].startswith("postgis://mapserver:")
    assert "DATABASE_URL" not in migrate["environment"]
    assert migrate["environment"]["MAPSERVER_LOAD_SAMPLE"] == "${MAPSERVER_LOAD_SAMPLE:-0}"
    assert db["environment"]["POSTGRES_USER"] == "postgres"
    for name in ("db", "app", "web"):
        assert services[name]["restart"] == "unless-stopped" and services[name]["healthcheck"]["test"], name
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    nginx_address = web["networks"]["default"]["ipv4_address"]
    assert app["environment"]["MAPSERVER_TRUSTED_PROXIES"] == f"${{MAPSERVER_TRUSTED_PROXIES:-{nginx_address}}}"
    script = (ROOT / "deploy" / "migrate.sh").read_text()
    assert 'if [ "${MAPSERVER_LOAD_SAMPLE:-0}" = 1 ]' in script and "--admin-only" in script


# The rendered template checked, then run, by the real nginx (deploy/sysdeps.sh installs it for `make test`).


def render(tmp_path: Path, upstream: str, ports: tuple[int, int] | None = None) -> Path:
    """The template rendered as the nginx image does, inside a minimal main configuration; returns nginx.conf."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=ioc.example.vn",
            "-keyout",
            tmp_path / "key.pem",
            "-out",
            tmp_path / "cert.pem",
        ],
        check=True,
        capture_output=True,
    )
    values = {
        "MAPSERVER_TLS_CERT": str(tmp_path / "cert.pem"),
        "MAPSERVER_TLS_KEY": str(tmp_path / "key.pem"),
        "MAPSERVER_UPSTREAM": upstream,
        "MAPSERVER_UPSTREAM_SECOND": upstream,
        "MAPSERVER_HSTS_SECONDS": "31536000",
    }
    text = re.sub(r"\$\{(MAPSERVER_[A-Z_]+)\}", lambda m: values[m.group(1)], TEMPLATE.read_text())
    if ports:  # unprivileged ports for the running test; nothing else changes
        for standard, port in zip(("80", "443"), ports):
            text = text.replace(f"listen {standard} ", f"listen 127.0.0.1:{port} ")
    (tmp_path / "default.conf").write_text(text)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # writable temporary paths, also when not root
    temp = "".join(f"{kind}_temp_path {tmp_path / kind};\n" for kind in kinds)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}include {tmp_path / 'default.conf'};\n}}\n"
    )
    return main


def nginx() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(binary), "nginx is missing: deploy/sysdeps.sh installs it (WITH_BROWSER=1, as make test does)"
    return binary


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    main = render(tmp_path, "127.0.0.1:8000")
    done = subprocess.run(
        [nginx(), "-t", "-c", main, "-p", tmp_path, "-e", tmp_path / "error.log"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for gunicorn: answers 200 with the forwarded protocol it was told."""

    def _answer(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(self.headers.get("X-Forwarded-Proto", "").encode())

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def test_nginx_redirects_adds_hsts_and_answers_429(tmp_path):
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = _free_port(), _free_port()
    main = render(tmp_path, f"127.0.0.1:{upstream.server_port}", (http_port, https_port))
    server = subprocess.Popen(
        [nginx(), "-c", main, "-p", tmp_path, "-e", tmp_path / "error.log", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        context = ssl.create_default_context(cafile=tmp_path / "cert.pem")
        context.check_hostname = False
        base = f"https://127.0.0.1:{https_port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None

        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(f"http://127.0.0.1:{http_port}/api/layers?x=1")
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == "https://127.0.0.1/api/layers?x=1"

        with urllib.request.urlopen(f"{base}/api/layers", context=context) as answer:
            assert answer.read() == b"https"  # X-Forwarded-Proto set by nginx, whatever the client sends
            assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

        def login(method: str) -> int:
            request = urllib.request.Request(
                f"{base}/accounts/login/", data=b"u=x" if method == "POST" else None, method=method
            )
            try:
                with urllib.request.urlopen(request, context=context) as answer:
                    return answer.status
            except urllib.error.HTTPError as error:
                return error.code

        posts = [login("POST") for _ in range(25)]  # rate 30/min, burst 20
        assert posts[0] == 200 and posts[-1] == 429
        assert login("GET") == 200  # the login page itself is not limited
    finally:
        server.terminate()
        server.wait(10)
        upstream.shutdown()
