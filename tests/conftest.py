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
