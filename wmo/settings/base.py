"""Settings shared by every environment. Every value comes from the environment (12-factor);
`.env.example` documents each variable. The thin modules dev/test/production only set defaults."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from wmo.api.limits import ID_SCHEMA, KEY_SCHEMA  # plain constants

from .redis_urls import redis_database

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is a convenience for developers; real deployments set the environment itself.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Empty when unset: production.py then refuses to start with a message naming the variable
# (dev.py and test.py set throwaway defaults).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Demo logins with known passwords may be made (manage.py create_demo_users): the embedded
# default of `make run` only (settings/dev.py).
DEMO_ACCOUNTS = env.bool("WMO_DEMO_ACCOUNTS", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HMAC key for pseudonymising BSNs; without it no client record can be stored.
WMO_PSEUDONYM_KEY = env("WMO_PSEUDONYM_KEY", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "auditlog",
    "wmo.accounts",
    "wmo.api",
    "wmo.imports",
    "wmo.catalogue",
    "wmo.referrals",
    "wmo.quality",
    "wmo.finance",
    "wmo.demo",
    "districts",
    "providers",
    "procurement",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wmo.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wmo.accounts.audit.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an expired session leaves a message for the login page.
    "wmo.accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wmo.api.middleware.ApiVersionMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during the view into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wmo.urls"
WSGI_APPLICATION = "wmo.wsgi.application"

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
                "wmo.accounts.context_processors.navigation",
            ],
            "builtins": ["wmo.templatetags"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Reusing a connection saves a PostgreSQL connect (several ms) on every request; health checks
# drop one the server has closed instead of failing the next request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default computes the demo indicators in a background process while the
    # server answers: WAL lets pages read during its writes, and a write waits its turn
    # (IMMEDIATE, timeout) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # The engine's covering index (referral_closed_on_idx) lists its extra columns for
    # PostgreSQL; SQLite makes the index without them, as intended, and Django warned so at
    # every start of `make run`.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Every `.iterator()` here reads to the end (downloads, the transition monitor), but
    # PostgreSQL plans a server-side cursor for its first 10 % of rows (cursor_tuple_fraction):
    # nested loops where hash joins win. The monitor's 17,105 rows took 293 ms instead of 138.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c cursor_tuple_fraction=1.0".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The NL Design System CSS comes from npm: `npm run build` copies the files we serve into
# static/vendor/ (not committed), and collectstatic fingerprints them for whitenoise.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Uploads (wmo/imports) ---
# An upload waits here, outside the web root and readable by the app only, until its import
# job ends; the web and worker processes must share it (docker-compose: the `uploads` volume).
IMPORT_UPLOAD_DIR = env("IMPORT_UPLOAD_DIR", default=str(BASE_DIR / "uploads"))
# Seconds a running import may go without a heartbeat before its worker counts as dead and a
# new delivery of its message takes it over.
IMPORT_HEARTBEAT_TIMEOUT = env.float("IMPORT_HEARTBEAT_TIMEOUT", default=120.0)
# Share of the time an upload's import job works (0 < share <= 1): it pauses between its batches
# so the web pages keep their speed on a small machine while large files come in (issue 14's
# load figures); 1 never pauses. The command-line importers always run at full speed.
IMPORT_DUTY_CYCLE = env.float("IMPORT_DUTY_CYCLE", default=0.5)
# The first handler stops taking in a file beyond the import limit (50 MB), before it is stored.
FILE_UPLOAD_HANDLERS = [
    "wmo.imports.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Doors: login throttling, sessions, security headers, error pages ---
# Proxies in front of the app that append to X-Forwarded-For (0: clients connect directly).
# Login lockout and the API's anonymous throttle key on the client address taken from it.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)

# django-axes: after DJANGO_LOGIN_FAILURE_LIMIT failed logins for one username from one address,
# that pair is locked out for DJANGO_LOGIN_LOCKOUT_MINUTES (each further try starts the wait
# anew); a successful login clears the count. Attempts live in the database, so every web
# process sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wmo.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "wmo.accounts.lockout.client_ip"
# The start-up banner would land in every command's output (exports to stdout among them).
AXES_VERBOSE = False

# Sessions end after DJANGO_SESSION_IDLE_MINUTES without a request, and DJANGO_SESSION_MAX_HOURS
# (a working day) after signing in however active the user is (wmo.accounts.sessions). The
# cookie lives as long as the longest session, so an expired one can still be recognised and
# explained on the login page.
WMO_SESSION_IDLE_SECONDS = env.int("DJANGO_SESSION_IDLE_MINUTES", default=30) * 60
WMO_SESSION_MAX_SECONDS = int(env.float("DJANGO_SESSION_MAX_HOURS", default=9.0) * 3600)
# The last-activity stamp is rewritten at most this often: not a session write per request.
WMO_SESSION_ACTIVITY_RESOLUTION = 60
SESSION_COOKIE_AGE = WMO_SESSION_MAX_SECONDS

# Content-Security-Policy (django-csp): scripts and styles only from our own origin or with the
# request's nonce; no inline script, no eval. Pages that need more (ReDoc) widen it for
# themselves only (wmo/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # The NL Design System CSS draws its check marks as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the app never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Error pages in the house style; under /api/ problem+json (wmo/errors.py).
CSRF_FAILURE_VIEW = "wmo.errors.csrf_failure"

# --- audit trail (wmo/accounts/audit.py) ---
# django-auditlog's log entry, extended (imports, exports, several records per line).
AUDITLOG_LOGENTRY_MODEL = "accounts.AuditEntry"
# Its own migrations would create the table of the model we replace: an unused table whose key
# to auth_user makes every TRUNCATE of the users (a test's flush) fail. Without them there is none.
MIGRATION_MODULES = {"auditlog": None}
# How long audit lines are kept before the nightly purge removes them. NEN 7513 asks to keep the
# log of a record as long as the record; Wmo records are kept until five years after the support
# ended, and support in aanvullende zorg rarely runs beyond two years: 7 years after the line.
# Below one year is refused (the database refuses it too).
WMO_AUDIT_RETENTION_DAYS = env.int("WMO_AUDIT_RETENTION_DAYS", default=7 * 365 + 2)

# --- REST API (NL API Design Rules) ---
API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous machine client then gets 401 with a challenge, not 403.
        "wmo.api.authentication.ApiTokenAuthentication",
        "wmo.api.authentication.ApiSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wmo.accounts.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["wmo.api.filters.ApiFilterBackend"],
    # JSON only (NL API Design Rules); a form or other body type is a 415.
    "DEFAULT_PARSER_CLASSES": ["wmo.api.parsers.ApiJsonParser"],
    "DEFAULT_PAGINATION_CLASS": "wmo.api.pagination.PagePagination",
    # JSON for browsers too: the documentation is ReDoc (/api/v1/docs). DRF's browsable API
    # pages had no language, an unnamed button and low contrast (axe, issue 18) and needed
    # style attributes allowed in the Content-Security-Policy.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wmo.api.exceptions.problem_exception_handler",
    # Rates come from API_THROTTLE_RATES, read per request (wmo.api.throttles).
    "DEFAULT_THROTTLE_CLASSES": [
        "wmo.api.throttles.AnonymousRateThrottle",
        "wmo.api.throttles.UserRateThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "PAGE_SIZE": 100,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
# Requests per period ("60/min", "1000/hour"); empty switches that throttle off. Anonymous
# callers are counted per address, signed-in users per account. Counts live in the cache (shared
# by every web process when Redis is configured, see CACHES).
API_THROTTLE_RATES = {
    "anon": env("DJANGO_API_THROTTLE_ANON", default="60/min") or None,
    "user": env("DJANGO_API_THROTTLE_USER", default="1200/min") or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wmo aanvullende zorg — API",
    "DESCRIPTION": (
        "API van de gemeente Utrecht voor het opdrachtgeverschap Wmo aanvullende zorg. "
        "Volgt de NL API Design Rules: Nederlandse meervoudige resources, geen trailing slash, "
        "een API-Version-header en foutmeldingen als application/problem+json."
    ),
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a `status` with its own choices: each enum gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "MotionStatusEnum": "procurement.models.Motion.Status",
        "MotionRequestStatusEnum": "procurement.models.MotionRequest.Status",
        # One status list for an option in the contract and in the tender ("gelicht").
        "OptionStatusEnum": "providers.models.OptionStatus",
    },
    # The error answers (problem+json) every operation really gives, and the string limits.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wmo.api.schema.document_problems",
    ],
    "PATH_CONVERTER_OVERRIDES": {"api_id": ID_SCHEMA, "api_key": KEY_SCHEMA},
}

# --- Celery ---
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker the app runs tasks in-process, so the embedded default needs no services.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# ... and then off the request, in a thread of this process (wmo/background.py): `make run`
# (settings/dev.py) sets it, so an upload's page shows the import's progress.
WMO_TASKS_IN_BACKGROUND = env.bool("WMO_TASKS_IN_BACKGROUND", default=False)
# In-process a task behaves as on a worker: a retry runs again at once (Celery's own apply),
# a failure ends on the task's run or job row and is raised only by `result.get()`.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# A task is acknowledged only after it finished, so a killed worker's task is redelivered: at
# once when a pool child dies (reject on worker lost), else when Redis hands unacknowledged
# messages out again after the visibility timeout. That timeout must exceed the longest
# countdown (indicator retries and look-agains: at most INDICATORS_HEARTBEAT_TIMEOUT); a run
# that outlasts it and gets a second delivery is recognised by its heartbeat and not computed
# twice (indicators.tasks).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that accepts connections but does not answer (frozen, half-open network) must not
# hold a web request: each socket operation gives up after CELERY_BROKER_SOCKET_TIMEOUT seconds,
# so queueing from a page fails within a few seconds and the work waits in PostgreSQL
# (wmo.dispatch). It must stay above kombu's 1 s BRPOP wait of an idle worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
    "socket_connect_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
}
# On a lost broker connection a running late-acknowledged task cannot be acknowledged any more
# and will be delivered again: stop it rather than compute it twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds a running indicator computation may go without a heartbeat (written at every step,
# each well under 10 s at 1,000,000 referrals) before it counts as dead and is replaced.
INDICATORS_HEARTBEAT_TIMEOUT = env.float("INDICATORS_HEARTBEAT_TIMEOUT", default=120.0)
# Seconds between a form or API edit and the recompute it queues: edits in that time share the
# run, so a busy morning of registrations costs a recompute a minute, not one per referral.
INDICATORS_CHANGE_DELAY = env.float("INDICATORS_CHANGE_DELAY", default=60.0)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"


# --- Cache ---
# With Redis (services, docker compose) one cache for every web process and worker, so a page
# one process rendered (the dashboards) and the API throttle counts hold for all; by default on
# the broker's Redis, database 2. Without Redis (the embedded default) a cache per process.
# An unreachable Redis counts as an empty cache (wmo/cache.py): pages are built, not broken.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=redis_database(CELERY_BROKER_URL, 2))
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "wmo.cache.ForgivingRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "wmo",
            # A Redis that hangs costs a page half a second per cache call, not the request.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default gives the "django" logger a console handler of its own when DEBUG
        # is on, which printed every line of it twice beside the root's (make run: each 404,
        # "Watching for file changes"); here it only passes its records on to the root.
        "django": {"level": LOG_LEVEL},
        # django-axes logs every successful login and its clean-ups at INFO; failures and
        # lockouts (WARNING) are what an operator needs.
        "axes": {"level": env("DJANGO_AXES_LOG_LEVEL", default="WARNING")},
    },
}
HEALTHZ_WORKER_TIMEOUT = env.float("HEALTHZ_WORKER_TIMEOUT", default=1.0)
# E-mail (the transition warning): sent only when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="wmo@utrecht.nl")

# After each quarter closes (the 1st of Jan/Apr/Jul/Oct: that quarter, and the half-year and year
# that closed with it) and nightly for the running quarter, half-year and year (indicators.tasks).
# The DatabaseScheduler copies these into django-celery-beat's tables, editable in the admin.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "indicators-closed-quarter": {
        "task": "indicators.compute_closed_quarter",
        "schedule": crontab(minute=30, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "indicators-running-quarter": {
        "task": "indicators.compute_running_quarter",
        "schedule": crontab(minute=15, hour=1),
    },
    # Audit lines older than WMO_AUDIT_RETENTION_DAYS: the only way they are ever deleted.
    "audit-trail-purge": {
        "task": "accounts.purge_audit_trail",
        "schedule": crontab(minute=45, hour=3),
    },
    # Within 60 days before the move to 2027, contract managers are warned weekly while clients
    # are unresolved (wmo.referrals.notices; TRANSITION.md).
    "transition-warning": {
        "task": "referrals.warn_transition",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
    # Work recorded while the broker was away is sent once it is back (wmo.dispatch).
    "wmo-dispatch-pending": {"task": "wmo.dispatch_pending", "schedule": 60.0},
}
