"""The changes feed: a mirror copies every published term, then keeps up, even while moderators approve."""
import threading
import time

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from lexique import services
from lexique.models import Term
from tests.support.factories import UserFactory, content, publish_term

pytestmark = pytest.mark.usefixtures("fresh_api_cache")


@pytest.fixture(autouse=True)
def generous_rates(settings):
    # A mirror that polls in a loop would be throttled at the default rates (as it should in production).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}


class Mirror:
    """What a third party would write from the README: page through terms/, then follow changes/."""

    def __init__(self, client):
        self.client = client
        self.terms = {}
        self.cursor = None
        self.requests = 0

    def get(self, url):
        response = self.client.get(url)
        self.requests += 1
        assert response.status_code == 200, response.content
        return response.json()

    def copy_everything(self, between_pages=lambda: None):
        url = "/api/v1/terms/?page_size=4"
        while url:
            page = self.get(url)
            if self.cursor is None:
                # Where the feed stood when the copy began: what changes during the copy is replayed after.
                self.cursor = page["version"]
            self.terms.update({term["slug"]: term for term in page["results"]})
            url = page["next"]
            between_pages()

    def follow_changes(self):
        """Read the feed until it has nothing more right now; return the number of events applied."""
        applied = 0
        while True:
            page = self.get(f"/api/v1/changes/?cursor={self.cursor}&page_size=5")
            expected = int(self.cursor) + 1
            for event in page["results"]:
                # Sequences have no gaps: anything but the next number is a missed or repeated event.
                assert event["sequence"] == expected, (event["sequence"], expected)
                expected += 1
                if event["kind"] == "retired":
                    self.terms.pop(event["slug"], None)
                elif event["term"] is not None:
                    self.terms[event["slug"]] = event["term"]
                applied += 1
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return applied


def published_now():
    client = APIClient()
    terms, url = {}, "/api/v1/terms/?page_size=100"
    while url:
        page = client.get(url).json()
        terms.update({term["slug"]: term for term in page["results"]})
        url = page["next"]
    return terms


@pytest.mark.django_db
def test_the_feed_is_in_sequence_order_with_a_cursor_and_retirements(moderator):
    first = publish_term(headword_fr="premier", moderator=moderator)
    publish_term(headword_fr="second", moderator=moderator)
    services.retire(first, by=moderator, reason="Doublon.")
    client = APIClient()
    page = client.get("/api/v1/changes/?page_size=2").json()
    assert [(e["sequence"], e["kind"], e["slug"]) for e in page["results"]] == [
        (1, "published", "premier"), (2, "published", "second")]
    assert page["results"][0]["term"] is None  # retired since: the next event says so
    assert page["has_more"] is True and page["cursor"] == 2
    rest = client.get(page["next"]).json()
    assert [(e["sequence"], e["kind"]) for e in rest["results"]] == [(3, "retired")]
    assert rest["has_more"] is False
    assert client.get(rest["next"]).json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_an_invalid_cursor_is_a_400(cursor):
    response = APIClient().get(f"/api/v1/changes/?cursor={cursor}")
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


@pytest.mark.django_db
def test_since_starts_the_feed_at_a_time(moderator):
    publish_term(headword_fr="avant", moderator=moderator)
    assert APIClient().get("/api/v1/changes/?since=2999-01-01T00:00:00Z").json()["results"] == []
    assert len(APIClient().get("/api/v1/changes/?since=2000-01-01T00:00:00Z").json()["results"]) == 1
    assert APIClient().get("/api/v1/changes/?since=hier").status_code == 400


@pytest.mark.django_db
def test_a_mirror_stays_equal_to_the_published_set_while_approvals_interleave(moderator):
    for n in range(12):
        publish_term(headword_fr=f"terme {n:02d}", moderator=moderator)
    mirror = Mirror(APIClient())
    rounds = iter(range(6))
    # The copy and the approvals interleave: a page, an approval, a page...
    mirror.copy_everything(between_pages=lambda: _editor_step(moderator, next(rounds, 99), retire=False))
    for n in range(6, 9):
        _editor_step(moderator, n)
        mirror.follow_changes()
    assert mirror.terms == published_now()


@pytest.mark.django_db
def test_a_mirror_built_from_the_feed_alone_is_exact_even_with_retirements(moderator):
    for n in range(10):
        publish_term(headword_fr=f"terme {n:02d}", moderator=moderator)
    mirror = Mirror(APIClient())
    mirror.cursor = 0
    for n in range(6):
        mirror.follow_changes()
        _editor_step(moderator, n)
    mirror.follow_changes()
    assert mirror.terms == published_now()
    assert len(mirror.terms) == 10  # one new term, one retired


def _editor_step(moderator, n, *, retire=True):
    """One approval of an edit; at n == 1 a new term too, at n == 2 a retirement."""
    if n == 99:
        return
    author = UserFactory()
    term = Term.objects.published().order_by("slug")[n % 3]
    base = term.current_revision
    edit = services.propose_edit(term=term, author=author, base_revision=base,
                                 content={**base.content(), "definition_fr": f"Version {n}."})
    services.approve(edit, by=moderator)
    if n == 1:
        services.approve(services.propose_term(author=author, content=content(headword_fr=f"nouveau {n}")),
                         by=moderator)
    if n == 2 and retire:
        services.retire(Term.objects.published().order_by("slug")[5], by=moderator, reason="Doublon.")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_a_mirror_syncs_while_another_connection_approves_edits():
    moderator = UserFactory(moderator=True)
    for n in range(20):
        publish_term(headword_fr=f"terme {n:02d}", moderator=moderator)
    done = threading.Event()
    errors = []

    def approve_in_background():
        try:
            for n in range(15):
                _editor_step(moderator, n, retire=False)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=approve_in_background)
    mirror = Mirror(APIClient())
    thread.start()
    mirror.copy_everything()
    while not done.is_set():
        mirror.follow_changes()
        time.sleep(0.02)
    thread.join(timeout=60)
    mirror.follow_changes()
    assert not errors, errors
    assert mirror.terms == published_now()
