"""Settings, read from the environment (see .env.example); bad values fail at start-up."""

from __future__ import annotations

import ipaddress
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
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=_env_int("MAPSERVER_DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
_db["ENGINE"] = "django.contrib.gis.db.backends.postgis"
_db.setdefault("OPTIONS", {})["connect_timeout"] = 5
_db["TEST"] = {"NAME": os.environ.get("MAPSERVER_TEST_DB", "test_mapserver")}
DATABASES = {"default": _db}

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
    "sta",
    "live",
]
for _extra in os.environ.get("MAPSERVER_EXTRA_APPS", "").split(","):
    if _extra:
        INSTALLED_APPS.append(_extra)

MIDDLEWARE = [
    "mapserver.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MAPSERVER_LOG_LEVEL", "WARNING")},
}

# GDAL 3.6 (Debian 12) cannot block file/network access in spatial references; we never pass user-supplied
# SRS strings to GDAL (CRS parsing goes through pyproj and an allow-list), so the warning is silenced.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
