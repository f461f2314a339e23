"""siplan settings: everything that differs between machines comes from the environment."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_env_file(path, environ):
    """Add the KEY=value lines of `path` (a `.env`) to `environ`; a variable already there wins."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            environ.setdefault(key.strip(), value.strip().strip("'\""))


def base_url(environ):
    """SIPLAN_BASE_URL, else the address `make run` serves (HOST, e.g. 127.0.0.1:8101), without a final /."""
    url = environ.get("SIPLAN_BASE_URL") or f"http://{environ.get('HOST') or '127.0.0.1:8000'}"
    return url.rstrip("/")


# A laptop's `.env` (git-ignored; `make run` creates it with a generated SECRET_KEY and DEBUG=1), so that
# `python manage.py ...` works as written; SIPLAN_ENV_FILE names another file, or none when empty. Tests run
# with the environment they are given, never a developer's .env.
ENV_FILE = os.environ.get("SIPLAN_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and "pytest" not in sys.modules:
    read_env_file(Path(ENV_FILE), os.environ)

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_tables2",
    "simple_history",
    "accounts",
    "goals",
    "reports",
    "approvals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "siplan.middleware.RememberLanguageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "siplan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"menu": "siplan.menu"},
        },
    },
]

WSGI_APPLICATION = "siplan.wsgi.application"

# CONN_MAX_AGE (seconds) keeps each web thread's connection open between requests: a new one costs 1.4 ms of our CPU
# and about 13 ms before the first query (a PostgreSQL backend starts; docs/deploy.md). Checked before reuse, so a
# restarted database costs no error.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# E-mail (password reset, notifications): printed on the console under DEBUG (`make run`), SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "siplan@localhost")

# Spanish (Guatemala) first; English can follow through Django's i18n.
LANGUAGE_CODE = "es-gt"
LANGUAGES = [("es-gt", "Español (Guatemala)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Guatemala"
USE_I18N = True
USE_TZ = True
# Django's Spanish formats use a decimal comma; Guatemala writes 14,466,570.00.
FORMAT_MODULE_PATH = ["siplan.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads and stored documents: the file system by default (one machine, or a volume every machine mounts); an
# S3-compatible store (MinIO, AWS, DigitalOcean Spaces...) when AWS_STORAGE_BUCKET_NAME is set, so that any web
# or worker container reads what another wrote (docs/deploy.md "Scaling out"). Files are private: they are served
# through views that check the reader, never from a public URL.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("SIPLAN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SIPLAN_S3_REGION") or None,
            "access_key": os.environ.get("SIPLAN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("SIPLAN_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# One cache for every machine: Redis when REDIS_URL is set (rate limits, cached pages and anything a web container
# must share with the others), this process's memory otherwise. Sessions live in the database, which every machine
# already shares; with Redis they are also read from it (cached_db: written through to the database, so a Redis
# restart signs nobody out), which spares each request its session query. Never with the per-process cache: a
# session ended in one process would live on in the others' copies.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "siplan"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
IMPORT_EXPORT_SKIP_ADMIN_ACTION_EXPORT_UI = False

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Hardening, kept together (docs/deploy.md explains each choice).
INSTALLED_APPS += ["csp", "axes"]
# Axes must come last: it turns a locked-out login into the lockout page.
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "siplan.middleware.NoStoreWhenSignedInMiddleware",  # signed-in pages are not kept by browsers or proxies
]

# Content-Security-Policy: every script and style comes from our own static files; no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: the verification QR code on approved reports
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins of one user from one address, that
# pair waits AXES_COOLOFF_MINUTES. The pair, not the address alone: an institution's staff share one public IP.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "1" if DEBUG else "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "siplan.views.locked_out"

# A session lasts a working day and ends when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(9 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# Request bodies: forms up to 2.5 MB in memory; uploads larger than that stream to a temporary file, and each
# form limits its own files (goals.forms, goals.validators). The proxy in front should cap bodies at ~25 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
# The programme page posts twelve months per product and 24 per subproduct (the entry page two per row): a plan
# of 2,000 subproducts is some 55,000 fields. DATA_UPLOAD_MAX_MEMORY_SIZE still bounds the body.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 60_000
# Medios de verificación (goals.evidence): each file at most SIPLAN_EVIDENCE_MAX_BYTES (10 MB), at most
# SIPLAN_EVIDENCE_MAX_FILES files on a product's or subproduct's month.
SIPLAN_EVIDENCE_MAX_BYTES = int(os.environ.get("SIPLAN_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
SIPLAN_EVIDENCE_MAX_FILES = int(os.environ.get("SIPLAN_EVIDENCE_MAX_FILES", "10"))
# The files background jobs make for one user (large drafts' PDFs, bulk zips) are deleted by
# `manage.py purge_job_files` once their job finished more than this many days ago (jobs.outputs).
SIPLAN_JOB_FILES_MAX_AGE_DAYS = int(os.environ.get("SIPLAN_JOB_FILES_MAX_AGE_DAYS", "7"))
# An institution's draft figures (a report, its products' progress) are computed once per change of its data and
# kept this many seconds in Django's cache (goals.versions.cached_figures); a write makes them unreachable at once.
SIPLAN_FIGURES_CACHE_SECONDS = int(os.environ.get("SIPLAN_FIGURES_CACHE_SECONDS", "3600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO, and warns about screen-only CSS.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}

# The public address printed (as a QR code and a short URL) on approved reports for verification.
SIPLAN_BASE_URL = base_url(os.environ)
# Advanced electronic signature (Decreto 47-2008): <dir>/<INSTITUTION CODE>.p12, its passphrase in
# the environment variable SIPLAN_SIGNING_PASSPHRASE_<CODE>. Without a certificate, PDFs are not signed.
SIPLAN_SIGNING_CERTIFICATES_DIR = os.environ.get("SIPLAN_SIGNING_CERTIFICATES_DIR", "")
# The code under which SEGEPLAN's certificate is kept there (<dir>/<code>.p12): it signs the Congress report.
SIPLAN_CONGRESS_SIGNER = os.environ.get("SIPLAN_CONGRESS_SIGNER", "SEGEPLAN")

# Open-data API (api/): read-only JSON under /api/v1/, its OpenAPI 3 schema and Swagger UI served from
# our own static files (drf-spectacular-sidecar). Approved reports are public; the rest needs a token.
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",  # also refused while django-axes locks its user out
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIPLAN — API de datos abiertos",
    "DESCRIPTION": (
        "Datos de solo lectura de los planes institucionales: instituciones, plan anual, ejecución y "
        "programación mensual, y los reportes cuatrimestrales aprobados (públicos). Las cifras son "
        'decimales escritos como texto con dos lugares ("1234.50").'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Without deep links an operation's path is text inside its toggle button, not a link nested in a button.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "PATH_CONVERTER_OVERRIDES": {
        "code": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,20}$"},
        "sha256": {"type": "string", "pattern": r"^[0-9a-f]{64}$"},
        "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
    },
}

# Background work (django-tasks, the backport of Django 6.0's django.tasks; README "Background work"). The queue
# is a table of the same database, worked by `manage.py db_worker` (docker-compose's worker service). Without
# TASKS_BACKEND=database, as under `make run`, a job runs at once in the process that enqueues it.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "jobs", "notifications", "oversight"]
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("TASKS_BACKEND", "immediate")],
    }
}
# A download that arrives before the approval's documents are stored waits for the worker's job (queued or running)
# up to this many seconds after the approval, rather than rendering them on the web tier; then it makes them itself.
SIPLAN_DOCUMENTS_WAIT = int(os.environ.get("SIPLAN_DOCUMENTS_WAIT", "30"))
