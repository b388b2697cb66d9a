"""Settings, read from the environment only. Every variable is documented in .env.example.

Defaults are safe for production (DEBUG off, secret required); `make demo` and the tests turn on what they need.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from tripwise.config.env import env_bool, env_list, env_rates, env_str

django_stubs_ext.monkeypatch()  # lets admin.ModelAdmin[Place] and friends be written at run time

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("TRIPWISE_VAR_DIR", str(CHECKOUT_DIR / "var")))

DEBUG = env_bool("TRIPWISE_DEBUG", default=False)
SECRET_KEY = env_str("TRIPWISE_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "TRIPWISE_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set TRIPWISE_DEBUG=1 for local work."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105 - DEBUG only, refused otherwise

ALLOWED_HOSTS = env_list("TRIPWISE_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("TRIPWISE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("TRIPWISE_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",  # live updates over WebSockets (tripwise.trips.live)
    "tripwise.places",
    "tripwise.guides",
    "tripwise.transit",
    "tripwise.trips",
    "tripwise.assistant",
    "tripwise.experiences",
    "tripwise.accounts",  # before allauth: its templates under account/ override allauth's
    "tripwise.mail",  # the outbox every transactional email leaves through
    "tripwise.tasks",  # background tasks: a database queue, or Celery with Redis (TRIPWISE_TASKS)
    "tripwise.newsletter",
    "tripwise.web",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tripwise.web.middleware.RejectNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tripwise.web.middleware.NotFoundMiddleware",
]

ROOT_URLCONF = "tripwise.config.urls"
WSGI_APPLICATION = "tripwise.config.wsgi.application"
ASGI_APPLICATION = "tripwise.config.asgi.application"  # HTTP and the live channel (WebSockets)

# Live updates (tripwise.trips.live): open plan pages hear each change through a channel layer. In memory by
# default (one server process); with several processes they must share Redis, or a change saved through one
# would never reach the browsers connected to another.
REDIS_URL = env_str("TRIPWISE_REDIS_URL").strip()
CHANNEL_LAYERS = {
    "default": (
        {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
        if REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}
# The cache holds counters that must be shared by every server process (newsletter sign-up limits): Redis
# when there is one, else this process's memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tripwise.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tripwise.sqlite3'}"),
        conn_max_age=int(env_str("TRIPWISE_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] not in (
    "",
    ":memory:",
):
    # SQLite will not create the folder of its file; a fresh checkout has no var/ yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent bookings on SQLite: every transaction takes the write lock when it begins (IMMEDIATE), so a
    # read-then-write transaction never fails half-way on another writer, and waits up to 20 s for its turn
    # instead of failing with "database is locked". WAL lets pages read while a booking writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No parallel workers for a web request's queries: starting and gathering them took 5-20 ms per nearby
    # ring on 2 CPUs, for scans of 1-5 ms (docs/benchmarks/nearby-latest.md); requests run side by side anyway.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c max_parallel_workers_per_gather=0"
if DATABASES["default"]["ENGINE"].endswith("postgresql") and (
    pool_size := int(env_str("TRIPWISE_DB_POOL", "0"))
):
    # A pool of connections per server process (psycopg_pool): a request borrows one instead of opening its
    # own (a few milliseconds each on PostgreSQL). Needs TRIPWISE_DB_CONN_MAX_AGE=0 (the default).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": pool_size,
        "timeout": 30,
    }
# How many HTTP requests one server process works on at once; the rest wait their turn (config/limits.py).
# Each holds a database connection, so processes x this must stay under PostgreSQL's max_connections. More
# threads than cores only queue for the interpreter lock: on 2 cores 4 and 8 booked about as fast (211 and 222
# a second), 16 slower (201) (docs/benchmarks/bookings-latest.md).
MAX_REQUESTS_IN_FLIGHT = int(env_str("TRIPWISE_MAX_REQUESTS_IN_FLIGHT", "4"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin signs in with a username
    "allauth.account.auth_backends.AuthenticationBackend",  # the site signs in with an email address
]
LOGIN_URL = "/accounts/login/"  # a path, not a URL name: views append ?next= to it
LOGIN_REDIRECT_URL = "/trips/"
LOGOUT_REDIRECT_URL = "/"

# Accounts (django-allauth, docs/accounts.md): the email address is the login and the only name shown.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_DISPLAY = "tripwise.accounts.selectors.user_display"
# Mandatory: nobody signs in before proving the address is theirs. Trips are shared by email, and an
# invitation must reach the person who owns that address, not someone who typed it at sign-up.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # in the browser that signed up, so its unsaved trips come along
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # mail scanners open links: the link shows a button, POST confirms
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Tripwise: "
ACCOUNT_ADAPTER = "tripwise.accounts.adapter.AccountAdapter"  # links in emails point at TRIPWISE_SITE_URL
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
# ACCOUNT_RATE_LIMITS: allauth's defaults (sign-ups, sign-ins, failed sign-ins, password resets and
# confirmation emails per IP address and per email address), counted in the default cache.

# Email: printed on the console in development; sent by SMTP otherwise.
EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = env_str("TRIPWISE_EMAIL_BACKEND", "console" if DEBUG else "smtp")
EMAIL_BACKEND = EMAIL_BACKENDS.get(EMAIL_BACKEND, EMAIL_BACKEND)  # a short name or a dotted path
EMAIL_HOST = env_str("TRIPWISE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("TRIPWISE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("TRIPWISE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("TRIPWISE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("TRIPWISE_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10  # a mail server that hangs must not hold a sign-up request for ever
DEFAULT_FROM_EMAIL = env_str("TRIPWISE_DEFAULT_FROM_EMAIL", "Tripwise <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (tripwise.mail): an email is stored with the transaction that causes it and sent after the commit.
# Off when a worker sends the outbox (outbox_send_due), so requests never wait on the mail server.
MAIL_SEND_ON_COMMIT = env_bool("TRIPWISE_MAIL_SEND_ON_COMMIT", default=True)
# Background tasks (tripwise.tasks, functions marked @task): "database" (default) keeps them in a table that
# `tripwise worker` runs, needing no other service; "celery" sends them to Celery workers through the broker
# (Redis); "eager" runs them in the process that enqueued them, right after the commit (tests, one-process demos).
TASKS_BACKEND = env_str("TRIPWISE_TASKS", "database").strip().lower()
if TASKS_BACKEND not in ("database", "celery", "eager"):
    raise ImproperlyConfigured(f"TRIPWISE_TASKS={TASKS_BACKEND!r}: use database, celery or eager.")
# Modules with @task functions besides the apps' own tasks.py (which are found by themselves), comma-separated.
TASKS_EXTRA_MODULES = env_list("TRIPWISE_TASK_MODULES")
CELERY_BROKER_URL = env_str("TRIPWISE_CELERY_BROKER_URL", "redis://127.0.0.1:6379/1").strip()
# Newsletter sign-ups per hour: from one client address (then refused), and for one email address (then
# quietly not mailed again, which tells nothing about the address).
NEWSLETTER_SIGNUPS_PER_CLIENT = int(env_str("TRIPWISE_NEWSLETTER_SIGNUPS_PER_CLIENT", "20"))
NEWSLETTER_SIGNUPS_PER_ADDRESS = int(env_str("TRIPWISE_NEWSLETTER_SIGNUPS_PER_ADDRESS", "3"))
# Sender tasks a campaign starts with: as many as the workers that should share it (each claims its own rows).
NEWSLETTER_SENDERS = int(env_str("TRIPWISE_NEWSLETTER_SENDERS", "2"))
# How long a campaign sender holds the rows it claimed: a killed sender's rows go to another after this.
NEWSLETTER_LEASE_SECONDS = int(env_str("TRIPWISE_NEWSLETTER_LEASE_SECONDS", "60"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
TIME_ZONE = "UTC"  # storage and logs; every place and feed carries its own IANA zone for what people see
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (package.json) and are served from here, never from a CDN.
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("vendor", CHECKOUT_DIR / "node_modules")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("TRIPWISE_MEDIA_ROOT", str(VAR_DIR / "media")))
SERVE_MEDIA = env_bool("TRIPWISE_SERVE_MEDIA", default=DEBUG)

# Maps: the tile URL is a setting so that an offline or private tile server can be used.
MAP_TILE_URL = env_str("TRIPWISE_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "TRIPWISE_MAP_TILE_ATTRIBUTION",
    "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a>",
)

# Money: value of one unit of each currency in tenge. Shown prices convert through this table.
CURRENCY_RATES = env_rates("TRIPWISE_CURRENCY_RATES", "KZT=1,USD=480,EUR=520,RUB=5.2,GBP=610,CNY=66")
DEFAULT_VISITOR_CURRENCY = env_str("TRIPWISE_DEFAULT_CURRENCY", "USD").upper()
if DEFAULT_VISITOR_CURRENCY not in CURRENCY_RATES:
    raise ImproperlyConfigured(
        f"TRIPWISE_DEFAULT_CURRENCY={DEFAULT_VISITOR_CURRENCY} has no rate in TRIPWISE_CURRENCY_RATES."
    )

# Planning: wall-clock seconds one plan may take in all; the solver searches for what is left once the
# problem is built (at least 0.15 s), and stops sooner when it stops improving.
PLAN_TIME_LIMIT = float(env_str("TRIPWISE_PLAN_TIME_LIMIT", "0.75"))

# The assistant's optional language model (docs/llm.md): any OpenAI-compatible chat API. Off while the base URL
# is empty; what it proposes is validated, and the offline understanding answers whenever it fails.
LLM_BASE_URL = env_str("TRIPWISE_LLM_BASE_URL").strip().rstrip("/")
if LLM_BASE_URL and not LLM_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"TRIPWISE_LLM_BASE_URL={LLM_BASE_URL!r} is not an http:// or https:// address, "
        "e.g. http://127.0.0.1:8080/v1 (leave it empty to turn the model off)."
    )
LLM_MODEL = env_str("TRIPWISE_LLM_MODEL").strip()
LLM_API_KEY = env_str("TRIPWISE_LLM_API_KEY").strip()
LLM_TIMEOUT = float(env_str("TRIPWISE_LLM_TIMEOUT", "20"))

SESSION_COOKIE_SECURE = env_bool("TRIPWISE_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TRIPWISE_LOG_LEVEL", "WARNING")},
}
