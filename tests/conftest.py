"""Fixtures shared by the whole test suite."""
import os

import pytest

from tests.support.factories import UserFactory
from tests.support.storage import moto_server, new_bucket, s3_storage_settings


@pytest.fixture
def contributor(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, whatever language an earlier request left active on this thread."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database starts over, and versions of the published
    set (which only grow on a real site) start over with it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def publications_seen_at_once(settings):
    """Tests publish without committing, so the after-commit signal that tells a process of a new version
    never fires: the version is read from the database on each request instead, as a committed
    publication would be seen (pages and feeds are cached per version)."""
    settings.API_STATE_SECONDS = 0


@pytest.fixture
def fresh_api_cache(settings):
    """API tests: cached responses and throttle counters start empty, and the published set's
    version is read from the database each time (tests publish without committing)."""
    from django.core.cache import cache

    settings.API_STATE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3 API (moto's standalone server) for the whole run: its address."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        pytest.skip("moto's S3 server is not installed")
    with moto_server() as address:
        yield address


@pytest.fixture(params=["local", "s3"])
def file_storage(request, settings, tmp_path):
    """The site's files in a store of their own: under a temporary MEDIA_ROOT, then in a new bucket of a
    real S3 API. The parameter's name."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(endpoint, new_bucket(endpoint))}
    return request.param


@pytest.fixture
def signup_timer_off(settings):
    """Sign-up forms accepted as soon as they are served, for tests about something else than the timer
    that refuses a bot's pace (tests/platform/test_security_signin.py checks the timer itself)."""
    settings.SIGNUP_MIN_SECONDS = 0


# Tools CI installs: a test that skips for want of one of them would hide that a check stopped running.
TOOL_SKIPS = ("browser tests skipped", "redis", "docker-compose", "libreoffice", "epub validation not run", "moto",
              "postgresql server binaries")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("LEXIQUE_TOOLS_REQUIRED")):
        return
    reason = str(report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr).lower()
    if any(tool in reason for tool in TOOL_SKIPS):
        report.outcome = "failed"
        report.longrepr = f"LEXIQUE_TOOLS_REQUIRED is set, and this test skipped: {reason}"
