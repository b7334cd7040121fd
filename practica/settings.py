"""Practica settings: every operator-facing value comes from the environment.

Server configuration lives here (env vars, listed in ``.env.example``); community policy lives in
the database (fields on Organization and Community). See docs/decisions/0001-foundation.md.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from practica.lib.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PRACTICA_VAR_DIR", str(BASE_DIR / "var")))

# Under pytest the default environment is "test" (no DEBUG, no static autorefresh, fast hashes).
ENV = env_choice(
    "PRACTICA_ENV",
    ("development", "production", "test"),
    "test" if "pytest" in sys.modules else "development",
)
TESTING = ENV == "test"
PRODUCTION = ENV == "production"
DEBUG = env_bool("PRACTICA_DEBUG", default=ENV == "development")


def _secret_key() -> str:
    """In production the key must be given; elsewhere one is made once and kept in var/."""
    key = env_secret("PRACTICA_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("PRACTICA_SECRET_KEY (or PRACTICA_SECRET_KEY_FILE) is required")
    if TESTING:
        return "test-only-insecure-key-" + "x" * 40
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("PRACTICA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PRACTICA_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("PRACTICA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("PRACTICA_SITE_NAME", "Practica")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "practica.accounts",
    "practica.communities",
    "practica.realtime",
    "practica.notifications",
    "practica.scheduling",
    "practica.practice.activities",
    "practica.practice.norms",
    "practica.practice.meetings",
    "practica.tags",
    "practica.qa",
    "practica.expertise",
    "practica.search",
    "practica.wiki",
    "practica.recognition",
    "practica.resources",
    "practica.practice.consultancy",
    "practica.practice.feedback",
    "practica.practice.coaching",
    "practica.api",
    "practica.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "practica.web.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "practica.web.middleware.UserTimezoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "practica.urls"
WSGI_APPLICATION = "practica.wsgi.application"
ASGI_APPLICATION = "practica.asgi.application"

TEMPLATES = [
    {
        # Our pages: Jinja2 rendered 2.7x faster than Django templates on these machines.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "practica" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "practica.web.jinja.environment",
            "autoescape": True,
            "auto_reload": DEBUG,
        },
    },
    {
        # Only for templates that libraries ship (allauth, admin); our overrides live in
        # practica/templates and extend a shell that mirrors the Jinja2 one.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "practica" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practica.web.context.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'practica.sqlite3'}")
if TESTING and env_str("PRACTICA_TEST_DATABASE_URL"):
    DATABASE_URL = env_str("PRACTICA_TEST_DATABASE_URL")


def _database(url: str) -> dict[str, object]:
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_health_checks=True))
    engine = str(config["ENGINE"])
    if engine == "django.db.backends.sqlite3":
        name = str(config["NAME"])
        if name not in ("", ":memory:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers proceed during a write; IMMEDIATE transactions take the write lock
        # up front, so two writers queue instead of failing with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = None
    elif engine == "django.db.backends.postgresql":
        # Persistent connections: closing them per request doubled CPU here (GOTCHAS.md).
        config["CONN_MAX_AGE"] = env_int("PRACTICA_DB_CONN_MAX_AGE", 600, minimum=0)
    else:
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported engine {engine}")
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Per-process cache: fine for version-keyed fragments; sessions stay in the database so
    # several workers agree on them (LocMem sessions break with >1 worker, GOTCHAS.md).
    # Django's default of 300 entries would hold the pages of ~60 questions (each caches its
    # thread, answers and panels: decision 0015); 10,000 entries of a few KB each stay well
    # under 100 MB per worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("PRACTICA_LOCMEM_ENTRIES", 10_000, minimum=100)},
        }
    }
    # django.contrib.sessions' database store, reading with plain SQL (practica.accounts.sessions).
    SESSION_ENGINE = "practica.accounts.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, with the per-request user lookup compiled once.
AUTHENTICATION_BACKENDS = [
    "practica.accounts.backends.ModelBackend",
    "practica.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 at full strength costs ~50 ms per hash; the tests hash hundreds of passwords.
    PASSWORD_HASHERS = ["practica.lib.testing_hashers.FastArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "PRACTICA_EMAIL_VERIFICATION", ("mandatory", "optional", "none"), "mandatory"
)
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_FORMS = {"signup": "practica.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "practica.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = False if TESTING else {}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {}
if env_str("PRACTICA_OIDC_SERVER_URL"):
    # Single sign-on by configuration only; see docs/howto/single-sign-on.md.
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env_str("PRACTICA_OIDC_PROVIDER_ID", "sso"),
                "name": env_str("PRACTICA_OIDC_NAME", "Single sign-on"),
                "client_id": env_str("PRACTICA_OIDC_CLIENT_ID"),
                "secret": env_secret("PRACTICA_OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env_str("PRACTICA_OIDC_SERVER_URL")},
            }
        ]
    }
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("PRACTICA_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("PRACTICA_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("PRACTICA_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_secret("PRACTICA_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("PRACTICA_EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("PRACTICA_EMAIL_USE_SSL", default=EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("PRACTICA_EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("PRACTICA_FROM_EMAIL", "Practica <practica@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Internationalization ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "practica" / "static",
    # Installed by `npm ci` from package-lock.json; never copied into the repository.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/htmx-ext-sse", BASE_DIR / "node_modules" / "htmx-ext-sse" / "dist"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "servestatic.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Static files are served by servestatic's WSGI wrapper in wsgi.py, not its middleware: the
# middleware is async-only and would put every page of our WSGI app through async_to_sync
# (docs/decisions/0003-static-files-without-a-thread-hop.md). Django serves them in tests.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Uploads (resources): never served from MEDIA_URL, only through views that check access.
# S3-compatible object storage by configuration (django-storages); private objects, served
# through short-lived signed URLs after the access check (docs/resources.md).
if env_str("PRACTICA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PRACTICA_S3_BUCKET"),
            "endpoint_url": env_str("PRACTICA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PRACTICA_S3_REGION") or None,
            "access_key": env_str("PRACTICA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("PRACTICA_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("PRACTICA_S3_URL_SECONDS", 300, minimum=10),
            "file_overwrite": False,
        },
    }
# The first handler enforces each organization's upload limit while the body streams in
# (practica/resources/uploads.py); the others are Django's defaults.
FILE_UPLOAD_HANDLERS = [
    "practica.resources.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = env_str("PRACTICA_UPLOAD_TEMP_DIR") or None

# --- Security (production defaults on; each can be relaxed behind a TLS-terminating proxy) ---
SESSION_COOKIE_SECURE = env_bool("PRACTICA_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("PRACTICA_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("PRACTICA_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("PRACTICA_HSTS_PRELOAD", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("PRACTICA_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    # The operator chose not to join browsers' preload list (a hard-to-undo commitment).
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# --- API --------------------------------------------------------------------------------------
API_TOKEN_RATE = env_str("PRACTICA_API_TOKEN_RATE", "10/m")
RATELIMIT_ENABLE = True
# django-ratelimit is used as a library (practica.api calls django_ratelimit.core), not as an
# installed app, so its cache system check (E003: LocMem "is not a shared cache") does not run.
# Counters live in CACHES["default"]: shared by all workers with REDIS_URL; per process with the
# LocMem default, which still bounds guessing on a single-process or development server.
# Behind a proxy every client shares the proxy's REMOTE_ADDR; name the META key of a header the
# proxy sets to the single client address (e.g. HTTP_X_REAL_IP), never a spoofable list.
RATELIMIT_IP_META_KEY = env_str("PRACTICA_RATELIMIT_IP_META_KEY") or None

# --- Logging: one JSON line per request (practica.request) ------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "practica.lib.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("PRACTICA_LOG_LEVEL", "INFO")},
    "loggers": {
        "practica.request": {
            "handlers": ["console"],
            "level": "WARNING" if TESTING else "INFO",
            "propagate": False,
        },
        "django.request": {"level": "ERROR"},
    },
}

# --- Real time (docs/realtime.md) -------------------------------------------------------------
# Stream processes tail the outbox table every REALTIME_POLL_SECONDS; with REDIS_URL they are
# woken by Redis pub/sub on "<prefix>:events" instead (tests use their own prefix).
REALTIME_REDIS_URL = env_str("PRACTICA_REALTIME_REDIS_URL", REDIS_URL)
REALTIME_CHANNEL_PREFIX = env_str("PRACTICA_REALTIME_CHANNEL_PREFIX", "practica")
REALTIME_POLL_SECONDS = env_int("PRACTICA_REALTIME_POLL_MS", 100, minimum=10) / 1000
# The port where browsers reach the stream process on the pages' hostname (`practica serve`
# sets it for its children; 0: the stream is on the pages' own origin, e.g. one port, or a proxy
# routing /events/stream). Pages then open it with credentials; realtime/stream.py answers CORS
# for pages of the same hostname only.
REALTIME_STREAM_PORT = env_int("PRACTICA_STREAM_PUBLIC_PORT", 0, minimum=0)
REALTIME_KEEPALIVE_SECONDS = env_int("PRACTICA_REALTIME_KEEPALIVE_SECONDS", 15, minimum=1)
REALTIME_RETENTION_HOURS = env_int("PRACTICA_REALTIME_RETENTION_HOURS", 48, minimum=1)
