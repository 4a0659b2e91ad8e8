"""Settings shared by every environment. Every value comes from the environment (12-factor);
`.env.example` documents each variable. The thin modules dev/test/production only set defaults."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from wmo.api.limits import ID_SCHEMA, KEY_SCHEMA  # plain constants

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is a convenience for developers; real deployments set the environment itself.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HMAC key for pseudonymising BSNs; without it no client record can be stored.
WMO_PSEUDONYM_KEY = env("WMO_PSEUDONYM_KEY")

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
    "wmo.accounts",
    "wmo.api",
    "wmo.referrals",
    "wmo.quality",
    "wmo.demo",
    "districts",
    "providers",
    "procurement",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wmo.api.middleware.ApiVersionMiddleware",
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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- REST API (NL API Design Rules) ---
API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous machine client then gets 401 with a challenge, not 403.
        "wmo.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wmo.accounts.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["wmo.api.filters.ApiFilterBackend"],
    # JSON only (NL API Design Rules); a form or other body type is a 415.
    "DEFAULT_PARSER_CLASSES": ["wmo.api.parsers.ApiJsonParser"],
    "DEFAULT_PAGINATION_CLASS": "wmo.api.pagination.PagePagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wmo.api.exceptions.problem_exception_handler",
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "PAGE_SIZE": 100,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
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
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a `status` with its own choices: each enum gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "MotionStatusEnum": "procurement.models.Motion.Status",
        "MotionRequestStatusEnum": "procurement.models.MotionRequest.Status",
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
CELERY_TASK_EAGER_PROPAGATES = True
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
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
}
# On a lost broker connection a running late-acknowledged task cannot be acknowledged any more
# and will be delivered again: stop it rather than compute it twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds to pause between indicator families: 0 in production; tests and demos raise it to
# watch the progress bar and to stop a worker in the middle of a run.
INDICATORS_STEP_DELAY = env.float("INDICATORS_STEP_DELAY", default=0.0)
# Seconds a running indicator computation may go without a heartbeat (written at every step,
# each well under 10 s at 1,000,000 referrals) before it counts as dead and is replaced.
INDICATORS_HEARTBEAT_TIMEOUT = env.float("INDICATORS_HEARTBEAT_TIMEOUT", default=120.0)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
HEALTHZ_WORKER_TIMEOUT = env.float("HEALTHZ_WORKER_TIMEOUT", default=1.0)

# After each quarter closes (the 1st of Jan/Apr/Jul/Oct) and nightly for the running quarter.
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
}
