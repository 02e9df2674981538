"""Pages about the whole published set (feeds, sitemaps, anonymous pages, edition comparisons): no read of
the whole set per request, one copy per version, validators a reverse proxy can honour."""
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique import services
from lexique.editions.services import publish_edition
from lexique.publishing import sitemaps
from lexique.services.discussion import comment_on_term
from tests.support.factories import UserFactory, content, publish_term

pytestmark = pytest.mark.django_db


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, [query["sql"].upper() for query in captured.captured_queries]


def test_the_new_terms_feed_reads_the_newest_events_not_every_term(client, moderator):
    for headword in ("archive", "balado", "catalogue"):
        publish_term(headword_fr=headword, moderator=moderator)
    response, queries = queries_of(client, "/flux/nouveaux-termes.atom")
    assert response.status_code == 200
    assert b"catalogue" in response.content
    assert not any("FIRST_PUBLISHED_AT" in sql and "ORDER BY" in sql and "LIMIT" in sql for sql in queries)
    assert any("LEXIQUE_PUBLICATIONEVENT" in sql and "ORDER BY" in sql and "SEQUENCE" in sql for sql in queries)


def test_a_feed_is_built_once_per_version_and_a_publication_renews_it(client, moderator):
    publish_term(headword_fr="archive", moderator=moderator)
    first = client.get("/flux/nouveaux-termes.atom")
    again, queries = queries_of(client, "/flux/nouveaux-termes.atom")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert not any("LEXIQUE_TERM" in sql or "PUBLICATIONEVENT" in sql for sql in queries)
    publish_term(headword_fr="balado", moderator=moderator)
    renewed = client.get("/flux/nouveaux-termes.atom")
    assert renewed["ETag"] != first["ETag"] and b"balado" in renewed.content


def test_a_current_copy_of_a_feed_is_answered_304(client, moderator):
    publish_term(moderator=moderator)
    etag = client.get("/flux/mises-a-jour.atom")["ETag"]
    assert client.get("/flux/mises-a-jour.atom", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_sitemap_index_never_counts_the_terms(client, moderator, monkeypatch):
    monkeypatch.setattr(sitemaps, "TERMS_PER_FILE", 2)
    monkeypatch.setattr(sitemaps.TermSitemap, "limit", 2)
    terms = [publish_term(headword_fr=f"terme {n}", moderator=moderator) for n in range(5)]
    response, queries = queries_of(client, "/sitemap.xml")
    assert response.status_code == 200
    assert not any("COUNT(" in sql and 'FROM "LEXIQUE_TERM"' in sql for sql in queries)
    highest = max(term.pk for term in terms)
    assert response.content.decode().count("sitemap-termes.xml") == -(-highest // 2)


def test_a_sitemap_file_is_a_range_of_ids_and_lists_each_term_once(client, moderator, monkeypatch):
    monkeypatch.setattr(sitemaps.TermSitemap, "limit", 2)
    terms = [publish_term(headword_fr=f"terme {n}", moderator=moderator) for n in range(5)]
    services.retire(terms[1], by=moderator, reason="Doublon.")
    listed = []
    # Ids need not start at 1 (earlier tests of the run used some): the files that may hold these terms.
    first, pages = -(-min(term.pk for term in terms) // 2), -(-max(term.pk for term in terms) // 2)
    for page in range(first, pages + 1):
        response, queries = queries_of(client, f"/sitemap-termes.xml?p={page}")
        assert response.status_code == 200
        # Counting the small tables of domains and editions is fine; the terms are never counted.
        assert not any("OFFSET" in sql or "COUNT(" in sql and 'FROM "LEXIQUE_TERM"' in sql for sql in queries)
        body = response.content.decode()
        listed += [term.slug for term in terms if f"/termes/{term.slug}/<" in body]
        assert 'hreflang="x-default"' in body or "<url>" not in body
    assert sorted(listed) == sorted(term.slug for term in terms if term != terms[1])
    assert client.get(f"/sitemap-termes.xml?p={pages + 1}").status_code == 404


def test_an_anonymous_term_page_is_rendered_once_per_state_of_what_it_shows(client, moderator):
    term = publish_term(headword_fr="moissonnage", moderator=moderator)
    first = client.get(term.get_absolute_url())
    again, queries = queries_of(client, term.get_absolute_url())
    assert again.content == first.content
    assert len(queries) <= 4  # the term, its links, its domains, the size of its discussion: each by key
    assert "public" in again["Cache-Control"] and "Cookie" in again["Vary"]
    assert client.get(term.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_publication_or_a_comment_renews_the_anonymous_term_page(client, moderator):
    term = publish_term(definition_fr="Première définition.", moderator=moderator)
    etag = client.get(term.get_absolute_url())["ETag"]
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content=content(definition_fr="Seconde définition."))
    services.approve(edit, by=moderator)
    page = client.get(term.get_absolute_url())
    assert page["ETag"] != etag and "Seconde définition." in page.content.decode()
    comment_on_term(term=term, author=UserFactory(), body="Une remarque sur ce terme.")
    commented = client.get(term.get_absolute_url())
    assert commented["ETag"] != page["ETag"] and "Discussion (1)" in commented.content.decode()


def test_publications_that_leave_a_term_alone_keep_its_page_and_its_validators(client, moderator):
    term = publish_term(headword_fr="moissonnage", moderator=moderator)
    first = client.get(term.get_absolute_url())
    publish_term(headword_fr="balado", headword_en="podcast", moderator=moderator)  # a new version of the set
    again, queries = queries_of(client, term.get_absolute_url())
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    assert again.content == first.content
    assert not any("LEXIQUE_REVISION" in sql for sql in queries)  # served from the cache, not rendered
    assert client.get(term.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_linked_term_renamed_or_retired_and_the_term_retired_each_renew_its_page(client, moderator):
    linked = publish_term(headword_fr="balado", headword_en="podcast", moderator=moderator)
    term = publish_term(headword_fr="baladodiffusion", headword_en="podcasting", related=[linked.slug],
                        moderator=moderator)
    first = client.get(term.get_absolute_url())
    assert "balado</a>" in first.content.decode()
    edit = services.propose_edit(term=linked, author=UserFactory(), base_revision=linked.current_revision,
                                 content=content(headword_fr="balado-émission", headword_en="podcast"))
    services.approve(edit, by=moderator)
    renamed = client.get(term.get_absolute_url())
    assert renamed["ETag"] != first["ETag"] and "balado-émission" in renamed.content.decode()
    linked.refresh_from_db()
    services.retire(linked, by=moderator, reason="Doublon.")
    unlinked = client.get(term.get_absolute_url())
    assert unlinked["ETag"] != renamed["ETag"] and "balado-émission" not in unlinked.content.decode()
    term.refresh_from_db()
    services.retire(term, by=moderator, reason="Hors du domaine.")
    assert client.get(term.get_absolute_url()).status_code == 410


def test_signed_in_and_anonymous_readers_never_share_a_copy_of_a_term_page(client, moderator):
    term = publish_term(moderator=moderator)
    anonymous = client.get(term.get_absolute_url())
    client.force_login(moderator)
    signed_in = client.get(term.get_absolute_url())
    assert "Suivre ce terme" in signed_in.content.decode() and "ETag" not in signed_in
    assert "csrfmiddlewaretoken" in signed_in.content.decode()
    client.logout()
    again = client.get(term.get_absolute_url())
    assert again.content == anonymous.content
    assert "Suivre ce terme" not in again.content.decode() and "csrfmiddlewaretoken" not in again.content.decode()


def test_an_edition_comparison_is_prepared_when_the_edition_is_published(
        client, moderator, django_capture_on_commit_callbacks):
    publish_term(headword_fr="archive", moderator=moderator)
    publish_edition(number="2026.1", by=moderator)
    publish_term(headword_fr="balado", moderator=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        publish_edition(number="2026.2", by=moderator)
    with mock.patch("lexique.editions.selectors._compare", side_effect=AssertionError("compared on a read")):
        response = client.get("/editions/comparer/?de=2026.1&a=2026.2")
    assert response.status_code == 200 and "balado" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_feed_and_sitemap_queries_use_indexes_on_postgresql(moderator):
    from lexique.models import PublicationEvent, Term

    publish_term(moderator=moderator)
    feed = PublicationEvent.objects.filter(kind=PublicationEvent.Kind.PUBLISHED).order_by("-sequence").values_list(
        "term_id", flat=True)[:200]
    sitemap_file = Term.objects.published().filter(pk__gt=0, pk__lte=5000).only("pk", "slug", "updated_at")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for queryset in (feed, sitemap_file):
            plan = queryset.explain()
            assert "Seq Scan" not in plan, plan
