"""Settings for Lexique, read from the environment (see .env.example)."""
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is acceptable only while DEBUG is on; production must set one.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "lexique",
]

MIDDLEWARE = [
    "lexique.platform.outage.HealthCheckMiddleware",  # first: probes need no host name, HTTPS or session
    "lexique.platform.routers.ReplicaReadsMiddleware",
    "lexique.platform.timeouts.PublicReadTimeoutMiddleware",  # after the router: it limits the replica too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads a request body: over-long ones are a 413, chunked ones read whole or a 411.
    "lexique.platform.bodies.BodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in person's language, noted when they send a form: their e-mails' language until they choose one.
    "lexique.web.languages.LanguageUsedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lexique.platform.signin.KnownDeviceMiddleware",
    # Last: turns a sign-in refused by django-axes into the lockout page (or the API's JSON error).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's own templates first (its name, colours, home text, footer, e-mail signature:
        # docs/customising.md), then the lexicon's, whose account pages replace the admin app's.
        "DIRS": [
            Path(env.str("SITE_TEMPLATES", default=str(BASE_DIR / "templates"))),
            BASE_DIR / "lexique" / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "string_if_invalid": env.str("TEMPLATE_STRING_IF_INVALID", default=""),
            # The lexicon's tags live with its views (lexique/web/templatetags), under their usual names.
            "libraries": {
                "lexique": "lexique.web.templatetags.lexique",
                "seo": "lexique.web.templatetags.seo",
            },
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Seconds a web process keeps its database connection (0: a new one per request); 60 suits production.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is tested before each request reuses it, so a database restart costs no error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
# A read replica of the primary (PostgreSQL streaming replication) for anonymous GET and HEAD requests.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    if "postgresql" in DATABASES["replica"]["ENGINE"]:
        # A replica host that does not answer is given up on quickly: public reads then go to the primary.
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 3, **DATABASES["replica"].get("OPTIONS", {})}
    DATABASE_ROUTERS = ["lexique.platform.routers.ReplicaRouter"]

# PostgreSQL: milliseconds any one statement of an anonymous GET may run before it is cancelled and
# the reader answered 503 with Retry-After (lexique/platform/timeouts.py); 0: no limit.
PUBLIC_READ_TIMEOUT_MS = env.int("PUBLIC_READ_TIMEOUT_MS", default=5000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a sign-in while the account or the address is locked out.
AUTHENTICATION_BACKENDS = [
    "lexique.platform.signin.SignInLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Local memory by default (one process). With several workers or hosts set CACHE_URL=redis://HOST:6379/0:
# throttle counters, cached API responses and the e-book build lock are then shared by all of them.
# A blank CACHE_URL= (a .env line left empty) means unset, as everywhere in .env.example.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://lexique")}

# Languages: French first, English second, for the interface and the content.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
LOCALE_PATHS = [BASE_DIR / "lexique" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# jQuery UI for the admin's translation tabs, from a PyPI package rather than a CDN (its script only).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "lexique.platform.staticfinders.PackageFileFinder",
]
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"
# The site's own static files (the stylesheet its templates/lexique/site/theme.html links: docs/customising.md).
SITE_STATIC = Path(env.str("SITE_STATIC", default=str(BASE_DIR / "static")))
STATICFILES_DIRS = [SITE_STATIC] if SITE_STATIC.is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Files the site keeps (built exports, edition files, logos, uploaded imports): under MEDIA_ROOT, or in
# an S3-compatible bucket (AWS S3, MinIO, Scaleway, OVHcloud...) when AWS_STORAGE_BUCKET_NAME is set
# (docs/deployment.md). The bucket stays private: downloads are redirected to presigned addresses.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        # Blank: AWS itself; else the address of the S3 API (http://minio:9000, https://s3.fr-par.scw.cloud).
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # Blank: boto3 finds them itself (AWS_ACCESS_KEY_ID..., an instance role).
        "access_key": env.str("AWS_S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_S3_SECRET_ACCESS_KEY", default="") or None,
        # A folder of the bucket for this site's files (several sites may share a bucket).
        "location": env.str("AWS_LOCATION", default=""),
        # "path" for MinIO and most self-hosted servers, "virtual" for AWS; blank: boto3's choice.
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own: private
        "querystring_auth": True,
        "file_overwrite": True,  # a name is written whole, once, by the site's own rules (lexique/platform/files.py)
    },
}
STORAGES = {
    "default": S3_STORAGE if AWS_STORAGE_BUCKET_NAME else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Seconds a presigned download address of the bucket stays valid (a reader's browser follows it at once).
LEXIQUE_FILES_URL_SECONDS = env.int("LEXIQUE_FILES_URL_SECONDS", default=300)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds before a silent mail server is given up on: a request never waits longer for it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a trial without a mail server):
# the folder where each e-mail is written as a file.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="") or None
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lexique <lexique@localhost>")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lexique:home"
LOGOUT_REDIRECT_URL = "lexique:home"

# The licence under which the published content is offered.
LEXIQUE_CONTENT_LICENCE = env.str("LEXIQUE_CONTENT_LICENCE", default="CC BY-SA 4.0")
LEXIQUE_CONTENT_LICENCE_URL = env.str(
    "LEXIQUE_CONTENT_LICENCE_URL", default="https://creativecommons.org/licenses/by-sa/4.0/"
)
# The typographic convention of French in the books and look-up dictionaries: "quebec" (the OQLF's: a no-break
# space before the colon only) or "france" (a narrow no-break space before ; : ! ?); docs/formats.md.
LEXIQUE_TYPOGRAPHY = env.str("LEXIQUE_TYPOGRAPHY", default="quebec")
if LEXIQUE_TYPOGRAPHY not in ("quebec", "france"):
    raise ImproperlyConfigured(f"LEXIQUE_TYPOGRAPHY is 'quebec' or 'france', not {LEXIQUE_TYPOGRAPHY!r}.")
# Who publishes the lexicon (the e-books' publisher and copyright holder); empty: its community.
LEXIQUE_PUBLISHER = env.str("LEXIQUE_PUBLISHER", default="")
# E-books are stored under MEDIA_ROOT/exports/: the standard ones all, the custom ones (own title or
# subtitle) at most this many, the least recently built going first.
LEXIQUE_EXPORT_CACHE_FILES = env.int("LEXIQUE_EXPORT_CACHE_FILES", default=200)
# Custom e-books one client address, and one account, may have built per hour (the tighter wins);
# stored ones are free.
LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = env.int("LEXIQUE_CUSTOM_EXPORTS_PER_HOUR", default=10)
# The same for an account younger than a day (its address's allowance still applies too).
LEXIQUE_NEW_ACCOUNT_EXPORTS_PER_HOUR = env.int("LEXIQUE_NEW_ACCOUNT_EXPORTS_PER_HOUR", default=3)
# Comments one account may write per hour (moderators are not counted).
LEXIQUE_COMMENTS_PER_HOUR = env.int("LEXIQUE_COMMENTS_PER_HOUR", default=30)
# E-books built at once on the whole site (shared through CACHE_URL when it is Redis, else per machine);
# keep it below the number of web workers, so that pages are served while books are built.
LEXIQUE_EXPORT_CONCURRENT_BUILDS = env.int("LEXIQUE_EXPORT_CONCURRENT_BUILDS", default=1)
# Books built in a child process, so that a web worker's memory is the same after a build as before.
LEXIQUE_EXPORT_ISOLATED_BUILDS = env.bool("LEXIQUE_EXPORT_ISOLATED_BUILDS", default=True)
# A build that failed is not tried again for the same published set for this many seconds (a
# publication tries it again at once): readers get an answer at once, the build slot stays free.
LEXIQUE_EXPORT_FAILURE_SECONDS = env.int("LEXIQUE_EXPORT_FAILURE_SECONDS", default=3600)
# An organisation's logo on its edition: an image of at most this many bytes (PNG or JPEG).
LEXIQUE_LOGO_MAX_BYTES = env.int("LEXIQUE_LOGO_MAX_BYTES", default=200 * 1024)
# A glossary to import (CSV, TBX, SKOS): 50,000 terms (MAX_ENTRIES) are 10 to 30 megabytes; a larger file is refused
# unread. Reading it holds its entries in memory (a few hundred megabytes at most for the largest TBX).
LEXIQUE_IMPORT_MAX_BYTES = env.int("LEXIQUE_IMPORT_MAX_BYTES", default=32 * 1024 * 1024)

# The task queue (Celery): books and files, imports, editions and their comparisons, e-mails run in a
# worker (`celery -A config worker`), never in a web request. CELERY_BROKER_URL names its Redis, e.g.
# redis://HOST:6379/1; unset (the embedded default, one process), tasks run at once where they are asked.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
# The queue the site sends to and its workers read: a second site on the same Redis names its own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="lexique")
# Imports, which can run for minutes, have a queue of their own, so that a dedicated worker (on its own host:
# `WORKER_QUEUES`, docker/start) can take them while books and e-mails never wait behind one. A worker
# started without a choice of queues reads both.
LEXIQUE_IMPORT_QUEUE = env.str("CELERY_IMPORT_QUEUE", default=f"{CELERY_TASK_DEFAULT_QUEUE}-imports")
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(LEXIQUE_IMPORT_QUEUE))
CELERY_TASK_ROUTES = {"lexique.import_file": {"queue": LEXIQUE_IMPORT_QUEUE}}
CELERY_TASK_EAGER_PROPAGATES = False
# Task states and progress (queued, started, n of m done, done, failed) are kept in the broker's Redis
# for CELERY_RESULT_EXPIRES seconds: what the progress pages and /api/v1/tasks/<id>/ read.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = env.int("CELERY_RESULT_EXPIRES", default=24 * 3600)
CELERY_RESULT_EXTENDED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it ends, not when it starts: a worker killed mid-task leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
# Seconds a task may run: past the soft limit it stops cleanly (SoftTimeLimitExceeded), past the hard one
# it is killed. An unacknowledged task comes back to the queue after the visibility timeout.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
# An import of tens of thousands of entries runs longer: its own limit (the hard one a minute later).
LEXIQUE_IMPORT_TIME_LIMIT = env.int("LEXIQUE_IMPORT_TIME_LIMIT", default=3600)
# A task not acknowledged after this many seconds is given to another worker: longer than any task runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * max(3600, CELERY_TASK_TIME_LIMIT, LEXIQUE_IMPORT_TIME_LIMIT + 60),
}
# Sooner than that, a task whose worker is gone (killed outright, or handing it back while Redis restarted)
# is handed back by the workers that live: each looks every LEXIQUE_ORPHAN_CHECK_SECONDS for a task
# unacknowledged for over LEXIQUE_ORPHAN_GRACE_SECONDS that no worker holds (lexique/platform/orphans.py).
LEXIQUE_ORPHAN_GRACE_SECONDS = env.int("LEXIQUE_ORPHAN_GRACE_SECONDS", default=60)
LEXIQUE_ORPHAN_CHECK_SECONDS = env.int("LEXIQUE_ORPHAN_CHECK_SECONDS", default=60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Retries of a task that failed for a passing reason (a full disk, Redis or the database away, every
# build slot taken): at most this many, after 1, 2, 4... times LEXIQUE_TASK_RETRY_DELAY seconds (with jitter).
LEXIQUE_TASK_MAX_RETRIES = env.int("LEXIQUE_TASK_MAX_RETRIES", default=5)
LEXIQUE_TASK_RETRY_DELAY = env.int("LEXIQUE_TASK_RETRY_DELAY", default=5)
# A worker yields to the web: its processes run at this nice value (0 to 19; I/O follows it on Linux), so that
# term pages keep their speed while books are built and files imported on the same host (config/celery.py).
LEXIQUE_WORKER_NICE = env.int("WORKER_NICE", default=19)

# Behind a reverse proxy that terminates TLS and says so in X-Forwarded-Proto (set it only then:
# a client could otherwise claim HTTPS itself).
if env.bool("SECURE_PROXY_SSL", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    # Production is HTTPS-only unless told otherwise (a trial on http://localhost sets these to 0).
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading commits the whole domain to HTTPS in browsers for months: the owner's decision, off by
    # default, so its reminder in `check --deploy` is silenced.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# Everything goes to standard output, one line per event (LOG_FORMAT=json: one JSON object per line),
# for the container's log collector: server errors included, with their traceback on the same line.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {
            "()": "lexique.platform.logformat.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        # Django's own handlers print only with DEBUG on; its records go to the root handler instead.
        "django": {"handlers": [], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING"), "propagate": True},
        "lexique": {"level": env.str("LOG_LEVEL", default="INFO")},
    },
}

# The public JSON API (lexique/api/): anonymous reads, token-authenticated proposals.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["lexique.api.parsers.LimitedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "lexique.api.throttles.AnonymousThrottle",
        "lexique.api.throttles.UserThrottle",
    ],
    # Requests per client and period (second, minute, hour, day); empty turns a limit off.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute") or None,
        "user": env.str("API_THROTTLE_USER", default="600/minute") or None,
        "token": env.str("API_THROTTLE_TOKEN", default="10/minute") or None,
    },
    "DEFAULT_SCHEMA_CLASS": "lexique.api.schema.LexiqueAutoSchema",
    "EXCEPTION_HANDLER": "lexique.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "lexique.api.pagination.PagePagination",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lexique API",
    "DESCRIPTION": (
        "The published lexicon of the digital transformation of arts and cultural organisations, "
        "in French and English: terms, domains, history and a changes feed for mirrors. "
        "Contributors propose terms and edits with a token; moderators review them."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # A synonym's kind and a publication event's kind are both called "kind": each enum named by what it is.
    "ENUM_NAME_OVERRIDES": {
        "DesignationKindEnum": "lexique.core.content.DesignationKind",
        "SynonymRegionEnum": "lexique.core.content.Region",
        "PartOfSpeechEnum": "lexique.core.grammar.PartOfSpeech",
        "GenderEnum": "lexique.core.grammar.Gender",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lexique.api.schema.forbid_unknown_request_fields",
    ],
}
# Anyone may read the API from a browser on another site; writes need a token, not cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Location"]
# How long a serialised API response stays in the cache (it is keyed on the published set's version).
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=3600)
# How long a web process may rely on the published set's version it last read (0: read it on every
# request). Publications are seen at once with a shared cache (CACHE_URL), within this delay without.
API_STATE_SECONDS = env.float("API_STATE_SECONDS", default=1.0)
# Anonymous pages, feeds and sitemaps kept per version of the published set, with ETag and Cache-Control
# (docs/deployment.md). Off only to measure what rendering every request costs (bench/bench_load.py --no-page-cache).
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)

# Reverse proxies in front of the site that append the client's address to X-Forwarded-For
# (unset or 0: none, REMOTE_ADDR is the client). Throttles, sign-in limits and logs all use it.
# An empty value (as .env.example has it) means unset.
NUM_PROXIES = int(env.str("NUM_PROXIES", default="") or env.str("API_NUM_PROXIES", default="") or 0)

# Request bodies: proposals are text of a few thousand characters; nothing legitimate comes near this.
# The API answers 413 above it; Django's own limit is the same, so both agree.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_BODY_BYTES", default=256 * 1024)

# Sign-in limits (django-axes, lexique/platform/signin.py): the site's form, the admin and the API's
# token endpoint share them. A client address is locked out of one account after LOGIN_FAILURE_LIMIT
# wrong passwords for LOGIN_COOLOFF_MINUTES: the pair (account, address), so that a stranger cannot
# lock the owner out from elsewhere. Slower limits, over every address for one account and over every
# account for one address, count LOGIN_BACKOFF_MINUTES; the account's never refuses a device or an
# address that signed in to it within LOGIN_KNOWN_DEVICE_DAYS.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "lexique.platform.clients.client_address"
AXES_LOCKOUT_CALLABLE = "lexique.platform.signin.lockout_response"
AXES_VERBOSE = False
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
LOGIN_ACCOUNT_BACKOFF_MINUTES = env.int("LOGIN_BACKOFF_MINUTES", default=60)
LOGIN_KNOWN_DEVICE_DAYS = env.int("LOGIN_KNOWN_DEVICE_DAYS", default=180)
# The owner of an account is told by e-mail (at most once an hour) once this many wrong passwords
# were tried on it within LOGIN_BACKOFF_MINUTES.
LOGIN_GUESSING_ALERT_FAILURES = env.int("LOGIN_GUESSING_ALERT_FAILURES", default=10)
# Password-reset e-mails: at most this many per hour for one e-mail address, and for one client address.
PASSWORD_RESET_EMAILS_PER_HOUR = env.int("PASSWORD_RESET_EMAILS_PER_HOUR", default=3)
PASSWORD_RESET_REQUESTS_PER_HOUR = env.int("PASSWORD_RESET_REQUESTS_PER_HOUR", default=20)

# API tokens (django-rest-knox): stored as hashes, several per account, each with a name.
KNOX_TOKEN_MODEL = "lexique.ApiToken"
# knox's own migrations would create its (swapped-out) table anyway, with a key on auth_user that
# flushing a PostgreSQL test database cannot see: our migration makes the only token table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX: dict[str, Any] = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=90)),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
}

# Content-Security-Policy (django-csp): our own files only, no inline script or style; a script a
# page must write inline carries the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF, csp_constants.NONCE],
        "style-src": [csp_constants.SELF, csp_constants.NONCE],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}

# Accounts made from one client address in an hour (the sign-up page answers 429 beyond).
SIGNUPS_PER_CLIENT_PER_HOUR = env.int("SIGNUPS_PER_CLIENT_PER_HOUR", default=5)

# The sign-up form refuses answers sent sooner than this after the page was served (a bot's pace).
SIGNUP_MIN_SECONDS = env.float("SIGNUP_MIN_SECONDS", default=2)

# Errors reported on terms without an account: at most this many from one client address in an hour, each
# sent no sooner than REPORT_MIN_SECONDS after its form was served.
ERROR_REPORTS_PER_CLIENT_PER_HOUR = env.int("ERROR_REPORTS_PER_CLIENT_PER_HOUR", default=5)
REPORT_MIN_SECONDS = env.float("REPORT_MIN_SECONDS", default=3)

# A moderator approving their own proposal: "allow_logged" (allowed, marked as self-approved in the
# moderation log and the term's history) or "refuse".
LEXIQUE_SELF_APPROVAL = env.str("LEXIQUE_SELF_APPROVAL", default="allow_logged")

# Entries without a definition (an imported translator's glossary: terms and equivalents only): "complete" keeps
# them as proposals, marked as lacking a definition, until one is written; "publish" lets a moderator publish
# them as equivalence-only entries.
LEXIQUE_MISSING_DEFINITION = env.str("LEXIQUE_MISSING_DEFINITION", default="complete")
if LEXIQUE_MISSING_DEFINITION not in ("complete", "publish"):
    raise ImproperlyConfigured("LEXIQUE_MISSING_DEFINITION is complete or publish.")
