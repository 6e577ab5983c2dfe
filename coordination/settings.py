"""Settings for coordination: one module, every knob an environment variable.

Each variable is read once through django-environ, which raises ImproperlyConfigured on a bad value.
Defaults are production-safe (DEBUG off); `make run` and the tests set what development needs.
Every variable is documented in docs/environment.md and .env.example.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The embedded servers (coordination/embedded.py) export these two when they are not given.
try:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test`, which start an embedded PostgreSQL, "
        "or `.venv/bin/python -m coordination.embedded -- <command>`."
    ) from exc
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: the access policy's OR of subqueries inflates estimated costs past `jit_above_cost`, and
# compiling then took longer than the query (22 ms of a 47 ms name search at 1,000,000 people, 400 ms of the
# cohort's 770 ms). Short interactive statements and our set-wise jobs alike run faster without it.
# Sort and hash memory per operation: PostgreSQL's default 4 MB sent the partnership matrix's sort of a
# territory's referrals to disk at 1,000,000 people.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_flags = [] if env.bool("DATABASE_JIT", default=False) else ["-c jit=off"]
_flags.append(f"-c work_mem={env.str('DATABASE_WORK_MEM', default='16MB')}")
_options["options"] = " ".join([_options.get("options", ""), *_flags]).strip()
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is not set. Use `make run` / `make test`, which start an embedded Redis.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "pgtrigger",
    "pghistory",
    "coordination",
    # Our apps, bottom layer first (docs/architecture.md: a lower app never imports a higher one).
    "accounts",
    "audit",
    "partenaires",
    "parcours",
    "evaluations",
    "alerts",
    "concertation",
    "fse",
    "observatoire",
    # Development only (`make bench`, `seed_bench`): nothing imports it.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ActiveMembershipMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coordination.urls"
WSGI_APPLICATION = "coordination.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coordination.context_processors.membership",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (privacy.md §8): 5 failures in 15 minutes for an account or an IP lock it out.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Per account *and* IP (issue 11): failures of one account lock that account from that IP only, so that one
# office behind a NAT is never locked out together and nobody can lock someone else's account from outside.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"])
AXES_VERBOSE = False

# Sessions live in the database so that web nodes stay stateless; idle timeout of 30 minutes.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []

# Content-Security-Policy: no inline script, nothing from another origin (offline-capable).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our English date formats are British (day first), whatever English the browser asks for.
FORMAT_MODULE_PATH = ["coordination.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
# Third-party front-end assets come from npm (package-lock.json), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"  # never served publicly: uploads go through views applying the access policy
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            # The production image sets the manifest storage after collectstatic (Dockerfile).
            default="whitenoise.storage.CompressedStaticFilesStorage",
        )
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible object storage for uploads and generated reports (django-storages).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="coordination <ne-pas-repondre@coordination.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "coordination",
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis broker, JSON only, tasks acknowledged after they ran, bounded in time.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_DEFAULT_QUEUE = "default"

CELERY_TASK_ROUTES = {
    "fse.tasks.*": {"queue": "reports"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# One static schedule; each entry says when it runs. Later issues add their jobs here.
CELERY_BEAT_SCHEDULE = {
    # Every day at 03:30 (Europe/Paris): drop expired sessions.
    "clear-expired-sessions": {
        "task": "coordination.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo1234")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Axes logs usernames (e-mails) of failed logins: keep it at WARNING, never at INFO.
        "axes": {"level": "WARNING"},
    },
}
HEALTHZ_WORKER_TIMEOUT = env.float("HEALTHZ_WORKER_TIMEOUT", default=1.0)

# In development, WhiteNoise serves static files straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- partenaires ---
# A structure whose entry was not reviewed for this many days reminds its managers (at most once a period).
DIRECTORY_REVIEW_AFTER_DAYS = env.int("DIRECTORY_REVIEW_AFTER_DAYS", default=183)
DIRECTORY_REVIEW_REMINDER_EVERY_DAYS = env.int("DIRECTORY_REVIEW_REMINDER_EVERY_DAYS", default=30)
# The weekly digest lists the partner actions of the next this-many days.
DIRECTORY_DIGEST_HORIZON_DAYS = env.int("DIRECTORY_DIGEST_HORIZON_DAYS", default=28)
# Every Monday at 07:00 (Europe/Paris): remind managers of entries not reviewed for 6 months (once a month each).
CELERY_BEAT_SCHEDULE["partenaires-review-reminders"] = {
    "task": "partenaires.tasks.send_review_reminders",
    "schedule": crontab(day_of_week="mon", hour=7, minute=0),
}
# Every Monday at 07:30 (Europe/Paris): the weekly digest of coming partner actions to subscribers.
CELERY_BEAT_SCHEDULE["partenaires-action-digest"] = {
    "task": "partenaires.tasks.send_action_digest",
    "schedule": crontab(day_of_week="mon", hour=7, minute=30),
}

# --- parcours ---
# Attaches the acting user and URL to the change history written by pghistory's triggers.
MIDDLEWARE += ["pghistory.middleware.HistoryMiddleware", "audit.middleware.DeniedAccessMiddleware"]
# Every day at 02:15 (Europe/Paris): referrals without an answer 30 days after sending expire (sender told).
CELERY_BEAT_SCHEDULE["expire-referrals"] = {
    "task": "parcours.tasks.expire_referrals",
    "schedule": crontab(hour=2, minute=15),
}

# --- parcours: the action plan and the partners' activity (issue 13) ---
# Every day at 07:15 (Europe/Paris): the digest of the facts users chose to hear of once a day.
CELERY_BEAT_SCHEDULE["parcours-activity-digests"] = {
    "task": "parcours.tasks.send_activity_digests",
    "schedule": crontab(hour=7, minute=15),
}

# --- parcours alerts ---
CELERY_TASK_ROUTES["alerts.tasks.*"] = {"queue": "alerts"}
# Every day at 01:30 (Europe/Paris): every alert rule over every person (queue `alerts`).
CELERY_BEAT_SCHEDULE["run-alerts-nightly"] = {
    "task": "alerts.tasks.run_alerts_nightly",
    "schedule": crontab(hour=1, minute=30),
    "options": {"queue": "alerts"},
}
# Every day at 06:30: alerts not acknowledged after the configured days go to the coordinators.
CELERY_BEAT_SCHEDULE["escalate-alerts"] = {
    "task": "alerts.tasks.escalate_alerts",
    "schedule": crontab(hour=6, minute=30),
    "options": {"queue": "alerts"},
}
# Every day at 07:00: the e-mail digest of open alerts, one per user (counts and links).
CELERY_BEAT_SCHEDULE["alert-digests"] = {
    "task": "alerts.tasks.send_alert_digests",
    "schedule": crontab(hour=7, minute=0),
    "options": {"queue": "alerts"},
}

# --- fse ---
# FSE / FSE+ reporting: operations, participants, indicators, PDF reports (queue `reports`, see CELERY_TASK_ROUTES).
# WeasyPrint logs every layout step at INFO: keep its warnings only.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}
LOGGING["loggers"]["fontTools"] = {"level": "WARNING"}

# --- accounts: second factor (privacy.md §8) ---
# TOTP through django-otp, recovery codes through its static device; required for coordinators,
# administrators and the DPO (accounts.mfa.MFARequiredMiddleware), available to everyone.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE += ["django_otp.middleware.OTPMiddleware", "accounts.mfa.MFARequiredMiddleware"]
OTP_TOTP_ISSUER = "Coordination"
# An administrator may remove a lost device, never read its secret (its QR code would let them sign in as its owner).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- dpo: the DPO's dashboard, break-glass, retention and the person's rights (privacy.md §5-§7) ---
INSTALLED_APPS += ["dpo"]
# Every day at 03:00 (Europe/Paris): retention (warnings, follow-ups without contact, anonymisation, FSE
# records, export files, unused accounts, old audit rows), then the "many files opened" notices of yesterday.
CELERY_BEAT_SCHEDULE["apply-retention"] = {
    "task": "dpo.tasks.apply_retention",
    "schedule": crontab(hour=3, minute=0),
}
CELERY_BEAT_SCHEDULE["bulk-access-notices"] = {
    "task": "dpo.tasks.flag_bulk_access",
    "schedule": crontab(hour=0, minute=20),
}
# --- privacy and security hardening (issue 11, privfix) ---
# A NUL byte in a query string answers 400 with a French message instead of a database error.
MIDDLEWARE += ["coordination.middleware.RejectNulBytesMiddleware"]
# Every response to a signed-in user: Cache-Control no-store (personal data never cached).
MIDDLEWARE += ["coordination.middleware.NoStoreForSignedInMiddleware"]
# Password reset requests: at most this many per e-mail address and per IP in the window (429 beyond).
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)
# Funders see every count below this threshold as « < 5 » on a custom period (parcours/disclosure.py); the
# official report of an operation's reporting periods keeps exact figures.
STATISTICAL_DISCLOSURE_THRESHOLD = env.int("STATISTICAL_DISCLOSURE_THRESHOLD", default=5)
# --- concertation (issue 12) ----------------------------------------------------------------------------
# Commission minutes are PDFs: rendered on the `reports` queue, like the FSE reports.
CELERY_TASK_ROUTES["concertation.tasks.render_minutes"] = {"queue": "reports"}
# --- observatoire ---
# Below the coordinator, an aggregate under this value is shown as « < N » (privacy: small numbers).
OBSERVATOIRE_SMALL_NUMBER_THRESHOLD = env.int("OBSERVATOIRE_SMALL_NUMBER_THRESHOLD", default=5)
CELERY_TASK_ROUTES["observatoire.tasks.*"] = {"queue": "reports"}
# The monthly dashboards read a materialised summary (observatoire/summary.py), rebuilt set-wise this often
# (seconds at 100,000 people): the figures are at most this old.
CELERY_BEAT_SCHEDULE["observatoire-refresh-summary"] = {
    "task": "observatoire.tasks.refresh_summary",
    "schedule": env.int("OBSERVATOIRE_SUMMARY_REFRESH_SECONDS", default=3600),
}
# --- evaluations: the cohort page reads a summary (evaluations/cohort.py), rebuilt set-wise this often (seconds at
# 1,000,000 people): its counts are at most this old; the names it lists are re-checked live.
CELERY_TASK_ROUTES["evaluations.tasks.*"] = {"queue": "reports"}
CELERY_BEAT_SCHEDULE["evaluations-refresh-cohort"] = {
    "task": "evaluations.tasks.refresh_cohort",
    "schedule": env.int("EVALUATIONS_COHORT_REFRESH_SECONDS", default=900),
}
# --- outbox (production strength, issue 15) ---
# The transactional outbox of Celery jobs, once-only form submissions and exclusive nightly jobs (docs/outbox.md).
INSTALLED_APPS += ["outbox"]
MIDDLEWARE += ["outbox.middleware.SubmissionMiddleware"]
# Seconds a page waits for the broker when it publishes a job; beyond, the job waits in the outbox.
OUTBOX_PUBLISH_TIMEOUT = env.float("OUTBOX_PUBLISH_TIMEOUT", default=2.0)
# Every minute: publish the jobs kept while Redis was down.
CELERY_BEAT_SCHEDULE["outbox-flush"] = {
    "task": "outbox.tasks.flush_outbox",
    "schedule": env.int("OUTBOX_FLUSH_EVERY_SECONDS", default=60),
}
# Beat's nightly and weekly jobs run at most once a day (a restarted or second beat does not run them twice).
for _entry in (
    "clear-expired-sessions",
    "expire-referrals",
    "run-alerts-nightly",
    "escalate-alerts",
    "alert-digests",
    "partenaires-review-reminders",
    "partenaires-action-digest",
):
    CELERY_BEAT_SCHEDULE[_entry]["kwargs"] = {"scheduled": True}

# --- observability (production strength, issue 15; docs/operations.md) ---
# First middleware: the request id (`X-Request-ID`, carried into Celery tasks) and the latency per view.
MIDDLEWARE.insert(0, "coordination.observability.RequestIdMiddleware")
LOGGING["filters"] = {"context": {"()": "coordination.observability.ContextFilter"}}
LOGGING["formatters"]["json"] = {"()": "coordination.observability.JsonFormatter"}
LOGGING["formatters"]["plain"]["format"] = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
LOGGING["handlers"]["console"]["filters"] = ["context"]
# `json` (one object per line, for a log collector) or `plain`.
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="plain")
# `/metrics` (Prometheus text format) answers only with `Authorization: Bearer <METRICS_TOKEN>`; empty: 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Request latencies and task durations are counted in Redis (shared by every process); off: nothing is counted.
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=True)
# Optional error reporting; the events are scrubbed of personal data (coordination/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from coordination import sentry

    sentry.init(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
# A job taken by a worker that dies (host lost, SIGKILL) goes back to its queue after this many seconds
# (acks_late); it must exceed the longest task (CELERY_TASK_TIME_LIMIT).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)}
