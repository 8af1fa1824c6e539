"""Settings, read from the environment (see .env.example); bad values fail at start-up."""
from __future__ import annotations

import os
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


DEBUG = _env_bool("MAPSERVER_DEBUG", False)
SECRET_KEY = os.environ.get("MAPSERVER_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("MAPSERVER_ENV", "local") == "production":
        raise ImproperlyConfigured("MAPSERVER_SECRET_KEY must be set in production")
    SECRET_KEY = "local-development-key-not-for-production"
ALLOWED_HOSTS = [h for h in os.environ.get("MAPSERVER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MAPSERVER_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

_LOCAL_DB_PORT = _env_int("MAPSERVER_DB_PORT", 5433)  # the project-local cluster of deploy/localdb.sh
DATABASE_URL = os.environ.get("DATABASE_URL") or f"postgis://mapserver:mapserver@127.0.0.1:{_LOCAL_DB_PORT}/mapserver"
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
    "mapserver.apps.MapserverConfig",
    "geodata",
    "layers.apps.LayersConfig",
    "tiles",
    "scenarios",
    "reports",
    "cameras",
]
for _extra in os.environ.get("MAPSERVER_EXTRA_APPS", "").split(","):
    if _extra:
        INSTALLED_APPS.append(_extra)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mapserver.middleware.PrincipalMiddleware",
    "mapserver.middleware.ApiErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# Where the real reference data (districts, 2025 communes) is read from.
MAPSERVER_REFERENCE_DATA = Path(os.environ.get("MAPSERVER_REFERENCE_DATA", BASE_DIR / "geodata" / "reference"))
# Cache of rendered tiles (tiles app) and raster files (geodata).
MAPSERVER_TILE_CACHE = _env_bool("MAPSERVER_TILE_CACHE", True)  # off: render every tile (benchmarks)
MAPSERVER_TILE_CACHE_DIR = Path(os.environ.get("MAPSERVER_TILE_CACHE_DIR", BASE_DIR / ".data" / "tilecache"))
MAPSERVER_RASTER_DIR = Path(os.environ.get("MAPSERVER_RASTER_DIR", BASE_DIR / ".data" / "rasters"))
MAPSERVER_MEDIA_DIR = Path(os.environ.get("MAPSERVER_MEDIA_DIR", BASE_DIR / ".data" / "media"))
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
