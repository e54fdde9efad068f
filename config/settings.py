"""Settings for the whole project, driven by environment variables.

Defaults are safe for production (DEBUG off); `make run` and `make test` export a
development configuration themselves.
"""

import datetime
import os
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.storage import file_storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the application refuses to start "
            "without it; see .env.example."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. With DEBUG off the application refuses to start "
            "without it; see .env.example."
        )
elif not SECRET_KEY:
    SECRET_KEY = "development-only-insecure-key"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_tables2",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "units",
    # Before agreements: its post_migrate hook gives the roles this app's permissions.
    "documents",
    "agreements",
    "reports",
    "registry",
    "deadlines",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.SessionLifetimeMiddleware",
    "config.middleware.AdminBadParameterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout raised during login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "deadlines.context_processors.notices",
            ],
        },
    },
]

# Widgets render through the project's engine (its cached loader, templates/ first), so a
# widget may use a template of ours such as includes/select.html; "django.forms" above
# provides Django's own widget templates to that engine.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A larger page cache and memory-mapped reads: the reports aggregate whole tables.
    # WAL lets readers go on while one writer commits; writers take the write lock when
    # their transaction starts (IMMEDIATE) and wait up to `timeout` seconds for it
    # instead of failing at once with "database is locked" halfway through.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
    )
    sqlite_options.setdefault("timeout", env.int("SQLITE_BUSY_TIMEOUT", default=30))
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
# Connections are kept between requests (per worker thread): opening one cost more
# than serving a page from the cache, and on SQLite a new connection also starts with a
# cold page cache.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username and address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's organization and permissions cheaper.
    "units.auth.Backend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese documents write dates day first; the formats module keeps it so in
# every language, including English.
FORMAT_MODULE_PATH = ["config.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files: uploads, issued documents and job files ("default"), rendered PDFs ("reports").
# On the local disk by default (MEDIA_ROOT, REPORT_CACHE_DIR: one volume several servers
# mount); with STORAGE_BACKEND=s3 in an S3-compatible bucket (config/storage.py).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
STORAGES = {
    **file_storages(
        STORAGE_BACKEND,
        s3={
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            # Any S3-compatible store (MinIO, Ceph...); unset for AWS itself.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # "path" for stores reached by an address without the bucket in the host name.
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        },
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# Uploads: the signed scans of agreements and minutes of reviews.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# An XLSX file is a zip of XML parts: bounds on what it may unpack to (zip bombs).
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_ZIP_ENTRIES = env.int("IMPORT_MAX_ZIP_ENTRIES", default=500)

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}

# Background jobs (imports, large reports) run in a Huey consumer beside the web server.
# Without REDIS_URL the queue is a SQLite file under var/, so `make run` needs no other
# server; with it, consumers on several machines share one queue.
REDIS_URL = env.str("REDIS_URL", default="")
HUEY = {
    "name": env.str("HUEY_NAME", default="phoihop"),
    # Tests switch it on (tests/conftest.py); djhuey would otherwise follow DEBUG.
    "immediate": env.bool("HUEY_IMMEDIATE", default=False),
    "utc": True,
    "consumer": {
        "workers": env.int("HUEY_WORKERS", default=2),
        "worker_type": "thread",
        "periodic": True,
    },
}
if REDIS_URL:
    HUEY.update(huey_class="huey.RedisHuey", connection={"url": REDIS_URL})
else:
    HUEY_FILE = env.path("HUEY_FILE", default=VAR_DIR / "huey.sqlite3")
    # SqliteHuey opens its file as soon as the app loads, before any `make` target ran.
    Path(HUEY_FILE).parent.mkdir(parents=True, exist_ok=True)
    HUEY.update(huey_class="huey.SqliteHuey", filename=str(HUEY_FILE))
# A running job whose worker has not reported for this long is taken as dead.
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=600)
# A finished job's result file (an export, a batch of reports) is deleted after this many
# days; the job itself and its summary stay in the user's list.
JOB_RESULT_KEPT_DAYS = env.int("JOB_RESULT_KEPT_DAYS", default=7)
# Functions without arguments that the consumer runs on a schedule: dotted path ->
# crontab fields "minute hour day month day_of_week", in UTC (Vietnam is UTC+7).
PERIODIC_TASKS = {
    # 00:05 in Vietnam, just after the day an agreement ends.
    "agreements.services.agreements_expire_due": "5 17 * * *",
    "jobs.services.jobs_tidy": "*/5 * * * *",
    # 06:30 in Vietnam: notices of what falls due, then the e-mail digest.
    "deadlines.services.deadlines_daily": "30 23 * * *",
}

# A list export (XLSX, CSV) of more rows than this is written by a background job.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)
# A province's annual summary with more agreements than this renders as a background job.
ANNUAL_SUMMARY_JOB_AGREEMENTS = env.int("ANNUAL_SUMMARY_JOB_AGREEMENTS", default=300)

# Rendered PDFs are kept on disk, keyed by a fingerprint of the data they show.
REPORT_CACHE_DIR = env.path("REPORT_CACHE_DIR", default=VAR_DIR / "report-cache")
# A long appendix (REPORT_SPLIT_MIN_ROWS rows or more) is printed as two tables, laid out
# in two processes at once (reports.split); 1 keeps every render in the calling process.
# The worker gets REPORT_SPLIT_TIMEOUT seconds from the start of the render before it is
# stopped and the document is rendered in one process instead.
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
REPORT_RENDER_PROCESSES = env.int("REPORT_RENDER_PROCESSES", default=min(2, _CPUS or 1))
REPORT_SPLIT_MIN_ROWS = env.int("REPORT_SPLIT_MIN_ROWS", default=300)
REPORT_SPLIT_TIMEOUT = env.int("REPORT_SPLIT_TIMEOUT", default=60)

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="phoihop-demo")

# Deadlines (deadlines.rules): the day of the next year each kind's yearly review is due
# by, as (month, day); an agreement can name its own. Notices warn this many days ahead.
DEADLINES_REVIEW_DUE = {"regulation": (4, 30), "twinning": (4, 30)}
DEADLINES_NOTICE_DAYS = 30
DEADLINES_EXPIRING_MONTHS = 6

# E-mail (the daily digest): printed on the console unless EMAIL_URL names an SMTP server,
# e.g. smtp+tls://user:password@mail.example.vn:587.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="phoihop@localhost")

# Security: strict by default, relaxed only by explicit environment variables
# (an intranet served over plain HTTP sets SECURE_SSL_REDIRECT=0 and the cookie flags).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE after
# login whatever the activity (config.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)

# Password guessing (django-axes): AXES_FAILURE_LIMIT wrong passwords for one username
# from one address lock that pair out for AXES_COOLOFF_MINUTES; admins unlock in
# /admin/axes/. Both login pages (the app's and the admin's) are covered.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# With a TLS proxy in front, the client's address is the proxy's X-Forwarded-For entry.
AXES_IPWARE_PROXY_COUNT = 1 if env.bool("BEHIND_TLS_PROXY", default=False) else None

# Content-Security-Policy (django-csp): only our own scripts, styles, fonts and images;
# the report preview's one inline <style> carries the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = env.str(
    "PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), fullscreen=(self)",
)

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
        # Failed logins, lockouts and refused input (config.security); keep it in production.
        "security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
