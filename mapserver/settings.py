"""Settings, read from the environment (see .env.example); bad values fail at start-up."""

from __future__ import annotations

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


MAPSERVER_ENV = os.environ.get("MAPSERVER_ENV", "local")
if MAPSERVER_ENV not in {"local", "production"}:  # a typo must not quietly drop the production safeguards
    raise ImproperlyConfigured(f"MAPSERVER_ENV must be local or production, got {MAPSERVER_ENV!r}")
PRODUCTION = MAPSERVER_ENV == "production"
DEBUG = _env_bool("MAPSERVER_DEBUG", False)
SECRET_KEY = os.environ.get("MAPSERVER_SECRET_KEY", "")
if PRODUCTION and not SECRET_KEY:  # whatever MAPSERVER_DEBUG says
    raise ImproperlyConfigured("MAPSERVER_SECRET_KEY must be set in production")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("MAPSERVER_DEBUG must be off in production (debug pages show settings and code)")
SECRET_KEY = SECRET_KEY or "local-development-key-not-for-production"
ALLOWED_HOSTS = [h for h in os.environ.get("MAPSERVER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MAPSERVER_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
CSRF_FAILURE_VIEW = "mapserver.csrf.csrf_failure"  # JSON {"code", "description"} on API paths


def _env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or CIDR networks, validated."""
    networks = []
    for item in os.environ.get(name, "").split(","):
        if item.strip():
            try:
                networks.append(str(ipaddress.ip_network(item.strip(), strict=False)))
            except ValueError as exc:
                raise ImproperlyConfigured(f"{name}: {item.strip()!r} is not an IP address or network") from exc
    return networks


# Reverse proxies (addresses or CIDR) whose X-Forwarded-For right-most hop is taken as the client address in
# the audit log; empty: REMOTE_ADDR only (a client could otherwise forge its address).
MAPSERVER_TRUSTED_PROXIES = _env_networks("MAPSERVER_TRUSTED_PROXIES")

_LOCAL_DB_PORT = _env_int("MAPSERVER_DB_PORT", 5433)  # the project-local cluster of deploy/localdb.sh
# DATABASE_URL is what the server connects as: the app role, which reads and writes rows but cannot change the
# schema; migrations and data loads run as the owner role (MAPSERVER_MIGRATE_DATABASE_URL, used by the Makefile and
# docker-compose). Unset: the local cluster, as the app role in production and as the owner elsewhere, so that
# manage.py and the test suite (which creates its own database) work as they are; `make run` serves as the app role.
_LOCAL_DB_USER = "mapserver_app:mapserver_app" if PRODUCTION else "mapserver:mapserver"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"postgis://{_LOCAL_DB_USER}@127.0.0.1:{_LOCAL_DB_PORT}/mapserver"
# The role migrate grants row privileges to (mapserver/grants.py; skipped when the database has no such role).
MAPSERVER_DB_APP_ROLE = os.environ.get("MAPSERVER_DB_APP_ROLE", "mapserver_app")
# Connections: a psycopg pool per worker process (Django's OPTIONS["pool"]). The ASGI server runs each request's
# sync code in a thread of its own, so per-thread persistent connections (CONN_MAX_AGE) would be opened per request
# and never reused; the pool is shared by the threads of a process. CONN_HEALTH_CHECKS makes the pool check a
# connection before handing it out, so the first request after a PostgreSQL restart gets a fresh one instead of a
# dead one. MAPSERVER_DB_POOL=off falls back to persistent connections (with the same health checks).
MAPSERVER_DB_POOL = _env_bool("MAPSERVER_DB_POOL", True)
MAPSERVER_DB_POOL_SIZE = _env_int("MAPSERVER_DB_POOL_SIZE", 8)  # connections per worker process, at most
MAPSERVER_DB_POOL_TIMEOUT = _env_int("MAPSERVER_DB_POOL_TIMEOUT", 5)  # seconds a request waits for one, then 503
if MAPSERVER_DB_POOL_SIZE < 1 or MAPSERVER_DB_POOL_TIMEOUT < 1:
    raise ImproperlyConfigured("MAPSERVER_DB_POOL_SIZE and MAPSERVER_DB_POOL_TIMEOUT must be >= 1")
try:
    _db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if MAPSERVER_DB_POOL else _env_int("MAPSERVER_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
_db["ENGINE"] = "django.contrib.gis.db.backends.postgis"
_db.setdefault("OPTIONS", {})["connect_timeout"] = 5
if MAPSERVER_DB_POOL:
    _db["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": MAPSERVER_DB_POOL_SIZE,
        "timeout": MAPSERVER_DB_POOL_TIMEOUT,
        "max_idle": 300,
        "reconnect_timeout": 3600,  # keep trying to reconnect through a long outage (the default gives up at 5 min)
    }
_db["TEST"] = {"NAME": os.environ.get("MAPSERVER_TEST_DB", "test_mapserver")}
DATABASES = {"default": _db}

# Read replicas (docs/scaling.md): with MAPSERVER_REPLICA_DATABASE_URL set, mapserver.dbrouter sends the reads of
# safe requests (items, tiles, queries, scenario reads) to this streaming replica, and everything else (writes, the
# rest of a request that wrote, sessions, auth, audit, commands) to the primary. A replica that is down, or lags
# more than MAPSERVER_REPLICA_MAX_LAG_SECONDS behind, is skipped (reads go to the primary) and probed again after
# MAPSERVER_REPLICA_RETRY_SECONDS; its state is re-read at most every MAPSERVER_REPLICA_CHECK_SECONDS per process.
# After a write, the caller reads from the primary for MAPSERVER_REPLICA_PIN_SECONDS (a cookie), to see it.
MAPSERVER_REPLICA_DATABASE_URL = os.environ.get("MAPSERVER_REPLICA_DATABASE_URL", "")
MAPSERVER_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("MAPSERVER_REPLICA_MAX_LAG_SECONDS", "5"))
MAPSERVER_REPLICA_CHECK_SECONDS = float(os.environ.get("MAPSERVER_REPLICA_CHECK_SECONDS", "1"))
MAPSERVER_REPLICA_RETRY_SECONDS = float(os.environ.get("MAPSERVER_REPLICA_RETRY_SECONDS", "10"))
MAPSERVER_REPLICA_PIN_SECONDS = _env_int("MAPSERVER_REPLICA_PIN_SECONDS", 10)
if min(MAPSERVER_REPLICA_MAX_LAG_SECONDS, MAPSERVER_REPLICA_CHECK_SECONDS, MAPSERVER_REPLICA_RETRY_SECONDS) < 0:
    raise ImproperlyConfigured("MAPSERVER_REPLICA_*_SECONDS must be >= 0")
if MAPSERVER_REPLICA_DATABASE_URL:
    try:
        _replica = dj_database_url.parse(MAPSERVER_REPLICA_DATABASE_URL, conn_max_age=_db["CONN_MAX_AGE"])
    except ValueError as exc:
        raise ImproperlyConfigured(f"MAPSERVER_REPLICA_DATABASE_URL is not a database URL: {exc}") from exc
    _replica["ENGINE"] = _db["ENGINE"]
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = 2  # a dead replica costs little: reads fall back
    _replica["TEST"] = {"MIRROR": "default"}  # the test suite reads its own database (tests/mapserver: a real one)
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["mapserver.dbrouter.ReplicaRouter"]

# Database time limits per request class (mapserver/timeouts.py), in seconds: statement_timeout, lock_timeout and
# idle_in_transaction_session_timeout are set on the connection each time a request of that class takes one, and
# `request` is the deadline after which the request's running SQL is cancelled (then a JSON 503 "Timeout").
# A request's class comes from its path (MAPSERVER_EXPORT_PATHS: exports); management commands that run scheduled
# work use mapserver.timeouts.request_class("scheduled"); every other request is "interactive". Outside requests
# and such blocks (migrations, data loads) PostgreSQL's own settings apply.
MAPSERVER_DB_TIMEOUTS = {
    "interactive": {"statement": 45, "lock": 5, "idle_in_transaction": 30, "request": 60},
    "export": {"statement": 120, "lock": 10, "idle_in_transaction": 60, "request": 180},
    "scheduled": {"statement": 600, "lock": 30, "idle_in_transaction": 120, "request": 0},  # 0: no deadline
}
for _name, _limits in MAPSERVER_DB_TIMEOUTS.items():
    for _key in ("statement", "lock", "idle_in_transaction", "request"):
        _limits[_key] = _env_int(f"MAPSERVER_DB_TIMEOUT_{_name.upper()}_{_key.upper()}", _limits[_key])
        if _limits[_key] < 0:
            raise ImproperlyConfigured(f"MAPSERVER_DB_TIMEOUT_{_name.upper()}_{_key.upper()} must be >= 0")
MAPSERVER_EXPORT_PATHS = [r"^/api/scenarios/[^/]+/runs/[^/]+/export$", r"^/ogcapi/jobs/[^/]+/results$"]
# Seconds clients are told to wait (Retry-After) when the database is unavailable or a request timed out.
MAPSERVER_RETRY_AFTER = _env_int("MAPSERVER_RETRY_AFTER", 5)

# Prometheus /metrics (mapserver/metrics.py) answers an admin's bearer token, or clients in these networks.
MAPSERVER_METRICS_NETWORKS = _env_networks("MAPSERVER_METRICS_NETWORKS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "axes",  # login failure counting and lockout (mapserver.login)
    "mapserver.apps.MapserverConfig",
    "geodata",
    "layers.apps.LayersConfig",
    "tiles",
    "scenarios",
    "reports",
    "cameras",
    "alerts",
    "indicators",
    "procrastinate.contrib.django",  # the PostgreSQL job queue the scheduler runs on
    "scheduler",
    "sta",
    "live",
]
for _extra in os.environ.get("MAPSERVER_EXTRA_APPS", "").split(","):
    if _extra:
        INSTALLED_APPS.append(_extra)

# The scheduler (scheduler/): jobs come from each app's jobs.py, registered when procrastinate's app is ready.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
PROCRASTINATE_ON_APP_READY = "scheduler.tasks.register_jobs"
# The jobs this process's workers run (comma-separated names; empty: every declared job).
MAPSERVER_SCHEDULER_JOBS = frozenset(
    j.strip() for j in os.environ.get("MAPSERVER_SCHEDULER_JOBS", "").split(",") if j.strip()
)

MIDDLEWARE = [
    "mapserver.requestlog.RequestMiddleware",  # first: request class and deadline, JSON log line, metrics
    "mapserver.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mapserver.dbrouter.ReplicaReadMiddleware",  # before sessions: their writes pin the caller to the primary
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mapserver.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mapserver.audit_hooks.AuditMiddleware",  # before PrincipalMiddleware: sees its bad-token 401s too
    "mapserver.middleware.PrincipalMiddleware",
    "mapserver.middleware.ApiErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its 429 answer
]

ROOT_URLCONF = "mapserver.urls"
WSGI_APPLICATION = "mapserver.wsgi.application"
ASGI_APPLICATION = "mapserver.asgi.application"  # what `make run` serves (deploy/gunicorn.conf.py)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mapserver" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("MAPSERVER_STATIC_ROOT", BASE_DIR / ".data" / "staticfiles"))
WHITENOISE_USE_FINDERS = True
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Authentication hardening (README "Security"). Our Account.locked is the administrators' lock; django-axes is the
# brute-force lock: MAPSERVER_LOGIN_FAILURE_LIMIT wrong passwords for one username from one client address, or
# MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT from one address over all usernames, refuse logins (429) until
# MAPSERVER_LOGIN_COOLOFF_MINUTES have passed without a further failure.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MAPSERVER_LOGIN_FAILURE_LIMIT = _env_int("MAPSERVER_LOGIN_FAILURE_LIMIT", 20)
MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT = _env_int(
    "MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT", 5 * MAPSERVER_LOGIN_FAILURE_LIMIT
)
MAPSERVER_LOGIN_COOLOFF_MINUTES = _env_int("MAPSERVER_LOGIN_COOLOFF_MINUTES", 15)
if MAPSERVER_LOGIN_FAILURE_LIMIT < 1 or MAPSERVER_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("MAPSERVER_LOGIN_FAILURE_LIMIT and MAPSERVER_LOGIN_COOLOFF_MINUTES must be >= 1")
if MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT < MAPSERVER_LOGIN_FAILURE_LIMIT:
    raise ImproperlyConfigured("MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT must be >= MAPSERVER_LOGIN_FAILURE_LIMIT")
AXES_FAILURE_LIMIT = MAPSERVER_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=MAPSERVER_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # this order: mapserver.login reads it
AXES_HANDLER = "mapserver.login.LoginFailureHandler"
AXES_LOCKOUT_CALLABLE = "mapserver.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mapserver.audit.client_address"  # the same address as the audit log and rate limits
AXES_RESET_ON_SUCCESS = False  # a success must not wipe the per-address count (one known password would reset it)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after MAPSERVER_SESSION_IDLE_MINUTES without a request (renewed at most once a minute by
# mapserver.sessions.IdleSessionMiddleware, so idle-based without a write per tile).
MAPSERVER_SESSION_IDLE_MINUTES = _env_int("MAPSERVER_SESSION_IDLE_MINUTES", 30)
if MAPSERVER_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("MAPSERVER_SESSION_IDLE_MINUTES must be >= 1")
SESSION_COOKIE_AGE = MAPSERVER_SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_SAMESITE = "Lax"  # HttpOnly and Secure: with the other cookie settings below

# API tokens expire after MAPSERVER_TOKEN_DAYS unless issued with --days N or --no-expiry (mapserver_token).
MAPSERVER_TOKEN_DAYS = _env_int("MAPSERVER_TOKEN_DAYS", 90)
if MAPSERVER_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("MAPSERVER_TOKEN_DAYS must be >= 1")

_RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _env_rate_limits(name: str, defaults: dict[str, str]) -> dict[str, tuple[int, int]]:
    """`bucket=N/unit,...` (unit s, m, h or d; `bucket=off` drops one, `off` drops all) -> {bucket: (N, seconds)}."""
    raw = os.environ.get(name, "").strip()
    if raw.lower() == "off":
        return {}
    given = dict(defaults)
    for item in filter(None, (part.strip() for part in raw.split(","))):
        bucket, _, rate = item.partition("=")
        if bucket.strip() not in defaults:
            raise ImproperlyConfigured(f"{name}: unknown bucket {bucket.strip()!r}; one of {', '.join(defaults)}")
        given[bucket.strip()] = rate.strip()
    limits = {}
    for bucket, rate in given.items():
        if rate.lower() == "off":
            continue
        count, _, unit = rate.partition("/")
        if not count.isdigit() or int(count) < 1 or unit not in _RATE_UNITS:
            raise ImproperlyConfigured(f"{name}: {bucket}={rate!r} is not N/s, N/m, N/h or N/d with N >= 1")
        limits[bucket] = (int(count), _RATE_UNITS[unit])
    return limits


# Requests per caller (the user when authenticated, else the client address) and window (mapserver.ratelimit).
MAPSERVER_RATE_LIMITS = _env_rate_limits(
    "MAPSERVER_RATE_LIMITS",
    {"open311_post": "30/m", "report_submit": "30/m", "login": "20/m", "query": "120/m", "scenario_run": "30/m"},
)

# Transport and browser hardening. In production nginx terminates TLS (deploy/nginx.conf.template) and sets
# X-Forwarded-Proto, which is trusted only then: the app port must be reachable from nginx alone.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = _env_bool("MAPSERVER_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks call the app port directly over HTTP
SECURE_HSTS_SECONDS = _env_int("MAPSERVER_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("MAPSERVER_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_bool("MAPSERVER_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True

# Origins of camera HLS streams the browser may fetch (Content-Security-Policy connect-src/media-src).
MAPSERVER_CSP_MEDIA_ORIGINS = [o for o in os.environ.get("MAPSERVER_CSP_MEDIA_ORIGINS", "").split(",") if o]

# Where the real reference data (districts, 2025 communes) is read from.
MAPSERVER_REFERENCE_DATA = Path(os.environ.get("MAPSERVER_REFERENCE_DATA", BASE_DIR / "geodata" / "reference"))
# Cache of rendered tiles (tiles app) and raster files (geodata).
MAPSERVER_TILE_CACHE = _env_bool("MAPSERVER_TILE_CACHE", True)  # off: render every tile (benchmarks)
MAPSERVER_TILE_CACHE_DIR = Path(os.environ.get("MAPSERVER_TILE_CACHE_DIR", BASE_DIR / ".data" / "tilecache"))
MAPSERVER_RASTER_DIR = Path(os.environ.get("MAPSERVER_RASTER_DIR", BASE_DIR / ".data" / "rasters"))
MAPSERVER_MEDIA_DIR = Path(os.environ.get("MAPSERVER_MEDIA_DIR", BASE_DIR / ".data" / "media"))
# Report photos go through Django's storage API, so several app servers share them: a shared volume by default
# (MAPSERVER_MEDIA_DIR/reports), or any storage backend, e.g. django-storages' S3 one for an S3-compatible store:
# MAPSERVER_PHOTO_STORAGE=storages.backends.s3.S3Storage MAPSERVER_PHOTO_STORAGE_OPTIONS='{"bucket_name": ...}'.
_PHOTO_BACKEND = os.environ.get("MAPSERVER_PHOTO_STORAGE", "mapserver.storage.MediaDirStorage")
try:
    _PHOTO_OPTIONS = json.loads(os.environ.get("MAPSERVER_PHOTO_STORAGE_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"MAPSERVER_PHOTO_STORAGE_OPTIONS is not JSON: {exc}") from exc
if not isinstance(_PHOTO_OPTIONS, dict):
    raise ImproperlyConfigured("MAPSERVER_PHOTO_STORAGE_OPTIONS must be a JSON object")
if _PHOTO_BACKEND == "mapserver.storage.MediaDirStorage":
    _PHOTO_OPTIONS.setdefault("subdir", "reports")
STORAGES = {
    "default": {"BACKEND": "mapserver.storage.MediaDirStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": {"BACKEND": _PHOTO_BACKEND, "OPTIONS": _PHOTO_OPTIONS},
}
# Backups (mapserver_backup, make backup) are written here; the restore check restores into a scratch database
# made from this template, which must hold PostGIS (template1 locally; template_postgis in the PostGIS image).
MAPSERVER_BACKUP_DIR = Path(os.environ.get("MAPSERVER_BACKUP_DIR", BASE_DIR / ".data" / "backups"))
MAPSERVER_RESTORE_CHECK_TEMPLATE = os.environ.get("MAPSERVER_RESTORE_CHECK_TEMPLATE", "template1")
# Camera streams the server itself opens (cameras_check, ffprobe): only these URL schemes, and only hosts whose
# every resolved address lies in these networks, so a camera record cannot make the server reach the internet or
# other services (SSRF). Default: the private ranges and loopback; set empty to probe nothing.
_CAMERA_PROBE_SCHEMES = {"rtsp", "rtsps", "http", "https"}  # what cameras/probe.py knows how to open
MAPSERVER_CAMERA_NETWORKS = (
    _env_networks("MAPSERVER_CAMERA_NETWORKS")
    if "MAPSERVER_CAMERA_NETWORKS" in os.environ
    else ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128"]
)
MAPSERVER_CAMERA_SCHEMES = [
    s.strip().lower()
    for s in os.environ.get("MAPSERVER_CAMERA_SCHEMES", "rtsp,rtsps,http,https").split(",")
    if s.strip()
]
if set(MAPSERVER_CAMERA_SCHEMES) - _CAMERA_PROBE_SCHEMES:
    raise ImproperlyConfigured("MAPSERVER_CAMERA_SCHEMES: only rtsp, rtsps, http and https can be probed")
# Sensors (sta/): a sensor with no observation for this many minutes raises a "no data" alert (job sensors.silent).
MAPSERVER_SENSOR_SILENT_MINUTES = _env_int("MAPSERVER_SENSOR_SILENT_MINUTES", 60)
if MAPSERVER_SENSOR_SILENT_MINUTES < 1:
    raise ImproperlyConfigured("MAPSERVER_SENSOR_SILENT_MINUTES must be >= 1")
# The MQTT broker (mosquitto) the bridge (manage.py sta_mqtt_bridge) connects to, as the user that may read every
# observation topic and publish stored observations back; sta_mqtt_config writes the broker's files into the dir.
MAPSERVER_MQTT_HOST = os.environ.get("MAPSERVER_MQTT_HOST", "127.0.0.1")
MAPSERVER_MQTT_PORT = _env_int("MAPSERVER_MQTT_PORT", 1883)
MAPSERVER_MQTT_BIND = os.environ.get("MAPSERVER_MQTT_BIND", "127.0.0.1")  # the broker's listening address
MAPSERVER_MQTT_USER = os.environ.get("MAPSERVER_MQTT_USER", "mapserver-bridge")
MAPSERVER_MQTT_PASSWORD = os.environ.get(
    "MAPSERVER_MQTT_PASSWORD", "" if MAPSERVER_ENV == "production" else "dev-bridge"
)
MAPSERVER_MQTT_DIR = Path(os.environ.get("MAPSERVER_MQTT_DIR", BASE_DIR / ".data" / "mqtt"))
# Alert e-mail (live/notify.py, job alerts.notify): the SMTP server and the sender address.
EMAIL_HOST = os.environ.get("MAPSERVER_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = _env_int("MAPSERVER_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("MAPSERVER_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MAPSERVER_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("MAPSERVER_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("MAPSERVER_MAIL_FROM", "ioc-canhbao@dongnai.gov.vn")
# The camera stream gateway (cameras/gateway.py): where its HLS output goes, how many streams may run at once, and
# after how many seconds without a fetch a stream is stopped.
MAPSERVER_CAMERA_GATEWAY_DIR = Path(os.environ.get("MAPSERVER_CAMERA_GATEWAY_DIR", BASE_DIR / ".data" / "hls"))
MAPSERVER_CAMERA_MAX_STREAMS = _env_int("MAPSERVER_CAMERA_MAX_STREAMS", 8)
MAPSERVER_CAMERA_IDLE_SECONDS = _env_int("MAPSERVER_CAMERA_IDLE_SECONDS", 30)
if MAPSERVER_CAMERA_MAX_STREAMS < 1 or MAPSERVER_CAMERA_IDLE_SECONDS < 5:
    raise ImproperlyConfigured("MAPSERVER_CAMERA_MAX_STREAMS must be >= 1 and MAPSERVER_CAMERA_IDLE_SECONDS >= 5")
MAPSERVER_SAMPLE_SEED = _env_int("MAPSERVER_SAMPLE_SEED", 20250701)
MAPSERVER_SAMPLE_SCALE = float(os.environ.get("MAPSERVER_SAMPLE_SCALE", "1.0"))
if not 0 < MAPSERVER_SAMPLE_SCALE <= 10:
    raise ImproperlyConfigured("MAPSERVER_SAMPLE_SCALE must be in (0, 10]")

# Request log: one JSON line per request on stdout (mapserver.requestlog; MAPSERVER_REQUEST_LOG=off drops it);
# warnings, errors and the tracebacks of 500s on stderr (under the supervisor: .data/log/web-error.log).
MAPSERVER_REQUEST_LOG = _env_bool("MAPSERVER_REQUEST_LOG", True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [pid %(process)d] %(message)s"},
        "json": {"()": "mapserver.logformat.JsonLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "loggers": {
        "mapserver.request": {
            "handlers": ["requests"],
            "level": "INFO" if MAPSERVER_REQUEST_LOG else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MAPSERVER_LOG_LEVEL", "WARNING")},
}

# GDAL 3.6 (Debian 12) cannot block file/network access in spatial references; we never pass user-supplied
# SRS strings to GDAL (CRS parsing goes through pyproj and an allow-list), so the warning is silenced.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
