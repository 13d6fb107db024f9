"""Settings, all from environment variables through small typed helpers that fail loudly."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("TIENDO_DATA_DIR", str(Path.cwd() / "var"))).expanduser().resolve()

# "production" turns on everything a server on the internet needs (below) and refuses to
# start without its own secret key; "development" (the default) is a laptop or the demo.
TIENDO_ENV = env_str("TIENDO_ENV", "development")
if TIENDO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"TIENDO_ENV must be development or production, not {TIENDO_ENV!r}")
PRODUCTION = TIENDO_ENV == "production"

DEBUG = env_bool("TIENDO_DEBUG", False) and not PRODUCTION
SECRET_KEY = os.environ.get("TIENDO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION or (not DEBUG and env_bool("TIENDO_REQUIRE_SECRET_KEY", False)):
        raise ImproperlyConfigured(
            "TIENDO_SECRET_KEY must be set in production (50 random characters, e.g. from "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))')")
    # Development and demo only: a fixed key is fine on a laptop, and production sets its own.
    SECRET_KEY = "tiendo-insecure-development-key"
ALLOWED_HOSTS = env_list("TIENDO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "tiendo.audit",
    "tiendo.org",
    "tiendo.accounts",
    "tiendo.indicators",
    "tiendo.plans",
    "tiendo.data",
    "tiendo.analytics",
    "tiendo.web",
    "tiendo.exchange",
    "tiendo.reports",
    "tiendo.standards",
    "tiendo.assignments",
    "tiendo.poverty",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application server itself (tiendo serve): compressed and cached
    # for a year in production, found afresh in the apps' folders in development.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tiendo.api.middleware.api_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tiendo.web.middleware.database_busy",
    "tiendo.web.middleware.content_security_policy",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiendo.urls"
WSGI_APPLICATION = "tiendo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tiendo.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tiendo.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes. One writer at a time: a write
    # takes the lock when its transaction begins (IMMEDIATE) and waits up to a minute for
    # it, so that a form saved while a large upload is checked or stored waits for it
    # rather than failing with "database is locked" (as a read turned write does at once).
    # A page cache of up to 64 MiB a connection instead of 2 MiB: a million-value import
    # updates four indexes of the values table all over, 33.8–35.2 s → 32.1–32.7 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536;",
        transaction_mode="IMMEDIATE", timeout=60)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# Log-in protection by django-axes: every log-in (the log-in page, /admin/login/, anything
# calling authenticate) goes through its backend first. Failures are counted in the
# database (one row per user name and address, updated under SELECT FOR UPDATE in a
# transaction), so parallel attempts cannot slip past the limit. A user name is locked from
# one address only: nobody can lock everybody out. Wrong API tokens count against the
# address under the name API_TOKEN_USERNAME (tiendo/accounts/throttle.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(env_str("TIENDO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env_str("TIENDO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tiendo.accounts.views.locked_out"
# The client's address: REMOTE_ADDR, unless this many reverse proxies of ours stand in front
# (then the address the nearest of them saw, from X-Forwarded-For). 0: trust no header.
TIENDO_TRUSTED_PROXIES = int(env_str("TIENDO_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "tiendo.accounts.throttle.client_address"

# Passwords people choose (the admin, changepassword, createsuperuser) are checked.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(env_str("TIENDO_PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_AUTOREFRESH = not PRODUCTION
if PRODUCTION:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Production: cookies only over HTTPS, HSTS, HTTP sent to HTTPS. Behind a reverse proxy that
# ends TLS, TIENDO_PROXY_SSL_HEADER names the header it sets (e.g. X-Forwarded-Proto).
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("TIENDO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env_str("TIENDO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TIENDO_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("TIENDO_HSTS_PRELOAD", True)
    SECURE_REFERRER_POLICY = "same-origin"
    if env_str("TIENDO_PROXY_SSL_HEADER", ""):
        header = "HTTP_" + env_str("TIENDO_PROXY_SSL_HEADER", "").upper().replace("-", "_")
        SECURE_PROXY_SSL_HEADER = (header, "https")
    # /api/v1/health answers a load balancer on plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]

# The pages' Content Security Policy (empty: none sent). No inline script exists in them.
TIENDO_CSP = env_str("TIENDO_CSP", "default-src 'self'; script-src 'self'; "
                     "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                     "object-src 'none'; base-uri 'self'; form-action 'self'; "
                     "frame-ancestors 'none'")

# Status band "gần đạt" (near): achievement at or above this share of the target, while not
# met. Empty means the band is off unless a target set turns it on.
TIENDO_NEAR_PCT = env_str("TIENDO_NEAR_PCT", "")
# The engine reads the aggregates kept on write first (docs/aggregates.md); off: values only.
TIENDO_AGGREGATES = env_bool("TIENDO_AGGREGATES", True)

# Separation of duties: a report is approved by someone other than its submitter, unless
# this is on and the submitter is the only specialist at the level that approves the unit.
TIENDO_SELF_APPROVAL_WHEN_ALONE = env_bool("TIENDO_SELF_APPROVAL_WHEN_ALONE", False)

# Uploads: sheets above this many rows are refused with a message (send a CSV instead), and
# files above this many bytes are refused before they are read.
TIENDO_UPLOAD_MAX_ROWS = int(env_str("TIENDO_UPLOAD_MAX_ROWS", "200000"))
TIENDO_UPLOAD_MAX_BYTES = int(env_str("TIENDO_UPLOAD_MAX_BYTES", str(100 * 1024 * 1024)))
# A workbook is a zip: refused before it is opened when its parts unpack to more than this
# many bytes in all or to more than this many times the file's size (a "zip bomb"), and
# while it is read past this many cells or a cell longer than this many characters (Excel's
# own limit is 32,767).
TIENDO_UPLOAD_MAX_UNPACKED_BYTES = int(env_str("TIENDO_UPLOAD_MAX_UNPACKED_BYTES",
                                               str(512 * 1024 * 1024)))
TIENDO_UPLOAD_MAX_RATIO = int(env_str("TIENDO_UPLOAD_MAX_RATIO", "100"))
TIENDO_UPLOAD_MAX_CELLS = int(env_str("TIENDO_UPLOAD_MAX_CELLS", "5000000"))
TIENDO_UPLOAD_MAX_CELL_CHARS = int(env_str("TIENDO_UPLOAD_MAX_CELL_CHARS", "32767"))
# Background work (uploads, reports, reminders) runs as jobs: "database" keeps them in the
# database for `tiendo worker` to run; "immediate" runs each at once in the process that asks
# (tests, or a laptop without a worker). TIENDO_EXCHANGE_INLINE also runs uploads at once.
TIENDO_EXCHANGE_INLINE = env_bool("TIENDO_EXCHANGE_INLINE", False)
TIENDO_TASKS = env_str("TIENDO_TASKS", "database")
if TIENDO_TASKS not in ("database", "immediate"):
    raise ImproperlyConfigured(f"TIENDO_TASKS must be database or immediate, not {TIENDO_TASKS!r}")
TASKS = {"default": {"BACKEND": (
    "django_tasks_db.DatabaseBackend" if TIENDO_TASKS == "database"
    else "django_tasks.backends.immediate.ImmediateBackend")}}
# The worker sends the reminders of the reporting schedules this often (0: never; then
# `tiendo remind` does). Each reminder goes once per schedule, unit and period anyway.
TIENDO_REMIND_EVERY_MINUTES = int(env_str("TIENDO_REMIND_EVERY_MINUTES", str(24 * 60)))
# Marking a task of these document kinds done needs evidence (a file or the completing
# document); tasks are "due soon" this many days before their deadline.
TIENDO_TASK_EVIDENCE_KINDS = env_str("TIENDO_TASK_EVIDENCE_KINDS", "resolution,decision").split(",")
TIENDO_TASK_DUE_SOON_DAYS = int(env_str("TIENDO_TASK_DUE_SOON_DAYS", "7"))
TIENDO_TASK_REMIND_EVERY_MINUTES = int(env_str("TIENDO_TASK_REMIND_EVERY_MINUTES",
                                               str(24 * 60)))
# Uploads are deleted this many days after they were sent; one still "checking" after this
# many minutes without its process is reported as interrupted.
TIENDO_UPLOAD_KEEP_DAYS = int(env_str("TIENDO_UPLOAD_KEEP_DAYS", "30"))
TIENDO_UPLOAD_STALE_MINUTES = int(env_str("TIENDO_UPLOAD_STALE_MINUTES", "30"))
# API tokens work this many days after they are made (unless revoked first); a token's
# "last used" time is written at most once in this many minutes, so reads stay reads.
TIENDO_API_TOKEN_DAYS = int(env_str("TIENDO_API_TOKEN_DAYS", "90"))
TIENDO_API_TOKEN_TOUCH_MINUTES = int(env_str("TIENDO_API_TOKEN_TOUCH_MINUTES", "5"))
# Django's cache holds the progress of uploads. One process
# keeps it in its memory; several (the web server's and the job worker's) need one they
# share: a directory, TIENDO_CACHE_DIR, or DATA_DIR/cache when jobs go to the worker.
CACHE_DIR = env_str("TIENDO_CACHE_DIR", str(DATA_DIR / "cache") if TIENDO_TASKS == "database"
                    else "")
if CACHE_DIR:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": CACHE_DIR}}
# Reminders of the reporting schedule; the console backend prints them in development.
EMAIL_BACKEND = env_str("TIENDO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TIENDO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env_str("TIENDO_EMAIL_FROM", "tiendo@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TIENDO_LOG_LEVEL", "WARNING")},
}
