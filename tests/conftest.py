"""Fixtures shared by the whole test suite."""
import pytest

from .factories import UserFactory


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


@pytest.fixture
def fresh_api_cache(settings):
    """API tests: cached responses and throttle counters start empty, and the published set's
    version is read from the database each time (tests publish without committing)."""
    from django.core.cache import cache

    settings.API_STATE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()
