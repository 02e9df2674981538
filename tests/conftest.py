"""Fixtures shared by the whole test suite."""
import pytest

from .factories import UserFactory


@pytest.fixture
def contributor(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)
