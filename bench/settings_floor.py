"""Settings for bench_api.py: the site's settings plus a trivial JsonResponse view, the framework's floor.

The floor goes through the same middleware as the API, so the ratio measures what the API adds.
"""
from config.settings import *  # noqa: F401,F403
from config.settings import DATABASES, REST_FRAMEWORK

# One client address makes every request: throttling would measure 429s, not the API.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}
# Persistent connections, as a production PostgreSQL deployment has (the floor opens none).
DATABASES["default"]["CONN_MAX_AGE"] = 600
ROOT_URLCONF = "bench.urls_floor"
