"""Settings for the test suite: the real settings, with a throw-away key and fast hashing."""
import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# DEBUG is off in tests, as in production: a public address, and plain HTTP for the test client.
os.environ.setdefault("SITE_URL", "https://lexique.test")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Static files come from the apps' folders (no collectstatic before the tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tests publish without committing: a book built in another process would not see their terms
# (the tests of isolated builds turn it back on, with committed data).
LEXIQUE_EXPORT_ISOLATED_BUILDS = False

# Tasks run where they are asked (the queue's own tests start a real worker on Redis instead).
CELERY_BROKER_URL = None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
