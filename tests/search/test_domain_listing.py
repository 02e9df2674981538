"""A domain's pages read its listing, which the database keeps right by itself whoever writes the terms."""
import pytest
from django.core.management import call_command
from django.db import connection

from lexique import services
from lexique.models import Domain, DomainListing, Term
from lexique.search import listing as domain_listing
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def listing(domain, lang="fr"):
    from lexique import selectors

    return [Term.objects.get(pk=pk).slug for pk in selectors.domain_listing(domain, lang=lang)
            .values_list("term_id", flat=True)]


def expected(domain, order="sort_key"):
    return list(Term.objects.published().filter(domains=domain).order_by(order, "slug").values_list("slug", flat=True))


def test_the_listing_follows_publication_edits_renames_and_retirement():
    moderator = UserFactory(moderator=True)
    diffusion = DomainFactory(slug="diffusion")
    patrimoine = DomainFactory(slug="patrimoine")
    balado = publish_term(headword_fr="balado", headword_en="podcast", domains=["diffusion"])
    publish_term(headword_fr="archive", headword_en="record", domains=["diffusion", "patrimoine"])
    assert listing(diffusion) == ["archive", "balado"]
    assert listing(diffusion, "en") == ["balado", "archive"]  # podcast, record

    # A new version moves the term to another domain and renames it: both domains follow.
    edit = services.propose_edit(term=balado, author=UserFactory(), base_revision=balado.current_revision,
                                 content=content(headword_fr="zine sonore", headword_en="audio zine",
                                                 domains=["patrimoine"]))
    services.approve(edit, by=moderator)
    assert listing(diffusion) == ["archive"]
    renamed = Term.objects.get(pk=balado.pk).slug
    assert listing(patrimoine) == expected(patrimoine) == ["archive", renamed]  # zine sonore
    assert listing(patrimoine, "en") == expected(patrimoine, "sort_key_english") == [renamed, "archive"]  # audio zine

    services.retire(Term.objects.get(pk=balado.pk), by=moderator, reason="Doublon.")
    assert listing(patrimoine) == ["archive"]


def test_a_pending_proposal_is_not_listed():
    domain = DomainFactory(slug="diffusion")
    services.propose_term(author=UserFactory(), content=content(headword_fr="balado", domains=["diffusion"]))
    assert listing(domain) == []
    assert DomainListing.objects.filter(domain_id=domain.pk, published=False).count() <= 1


def test_bulk_generation_and_deleted_domains_are_followed_too():
    DomainFactory.create_batch(3)
    call_command("generate_terms", 300, verbosity=0)
    for domain in Domain.objects.all():
        assert listing(domain) == expected(domain)
        assert listing(domain, "en") == expected(domain, "sort_key_english")
    doomed = Domain.objects.exclude(terms=None).first()
    doomed.delete()
    assert not DomainListing.objects.filter(domain_id=doomed.pk).exists()


def test_the_pages_of_a_domain_list_every_term_once_in_order(client):
    DomainFactory.create_batch(2)
    call_command("generate_terms", 400, verbosity=0)
    domain = max(Domain.objects.all(), key=lambda item: len(expected(item)))
    assert len(expected(domain)) > 100
    seen, number = [], 1
    while True:
        page = client.get(f"/domaines/{domain.slug}/", {"page": number}).context["page"]
        seen += [term.slug for term in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert seen == expected(domain)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops a table's triggers when Django rebuilds it")
def test_sqlite_puts_the_triggers_back_and_rebuilds_the_listing_when_they_were_dropped():
    domain = DomainFactory(slug="diffusion")
    publish_term(headword_fr="balado", domains=["diffusion"])
    domain_listing.drop_sqlite_triggers(connection)
    publish_term(headword_fr="archive", domains=["diffusion"])  # missed while the triggers were gone
    assert domain_listing.ensure_sqlite_triggers(connection) is True
    assert listing(domain) == ["archive", "balado"]
    assert domain_listing.ensure_sqlite_triggers(connection) is False  # nothing to do the second time


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_reads_a_deep_domain_page_from_the_listing_index():
    from lexique import selectors

    domain = DomainFactory(slug="diffusion")
    publish_term(headword_fr="balado", domains=["diffusion"])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = selectors.domain_listing(domain).values_list("term_id", flat=True)[150:200].explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "domain_listing_sorted" in plan and "Sort" not in plan.split("->")[0], plan


@pytest.mark.parametrize("prefix, order", [("", "sort_key"), ("/en", "sort_key_english")])
def test_deep_domain_and_letter_pages_seek_from_remembered_positions_and_stay_exact(client, monkeypatch, prefix,
                                                                                     order):
    from django.test.utils import CaptureQueriesContext

    from lexique.selectors import paging
    from lexique.web.views import reading

    monkeypatch.setattr(paging, "NEAR_END", 3)
    monkeypatch.setattr(reading, "PAGE_SIZE", 4)
    DomainFactory.create_batch(2)
    call_command("generate_terms", 600, verbosity=0)
    domain = max(Domain.objects.all(), key=lambda item: len(expected(item)))
    letter_field = "initial_english" if order == "sort_key_english" else "initial"
    letter = "C"
    lists = {
        f"{prefix}/domaines/{domain.slug}/": expected(domain, order),
        f"{prefix}/lettres/{letter}/": list(Term.objects.published().filter(**{letter_field: letter})
                                           .order_by(order, "slug").values_list("slug", flat=True)),
    }
    for url, whole in lists.items():
        assert len(whole) > 40, url
        # Pages seek from what earlier ones left, whatever order they are read in.
        for number in (6, 3, 9, 5, 2, 8, 7, 4):
            response = client.get(url, {"page": number})
            assert response.status_code == 200, (url, number, response.status_code)
            page = response.context["page"]
            assert [term.slug for term in page.object_list] == whole[(number - 1) * 4:number * 4], (url, number)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"page": 10})  # right after page 9: one row skipped, not 36
        offsets = [query["sql"] for query in captured if "LIMIT 4" in query["sql"]]
        assert len(offsets) == 1 and offsets[0].rstrip().endswith("LIMIT 4 OFFSET 1"), offsets
