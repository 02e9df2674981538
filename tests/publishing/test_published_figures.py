"""The published figures (how many terms, per letter, per domain) are kept by the database in the
transaction that changes them, whoever writes, and always equal a count of the terms themselves."""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexique import selectors, services
from lexique.models import PublishedFigure, Term
from lexique.publishing import figures
from tests.support.factories import DomainFactory, UserFactory, publish_term

pytestmark = pytest.mark.django_db


def kept() -> dict[tuple[str, str], int]:
    return {(row.kind, row.name): row.total for row in PublishedFigure.objects.exclude(total=0)}


def assert_kept_equals_recount() -> None:
    assert kept() == figures.recounted()


def test_every_kind_of_change_keeps_the_figures_equal_to_a_recount():
    moderator = UserFactory(moderator=True)
    museum, archives = DomainFactory(slug="musees"), DomainFactory(slug="archives")
    assert_kept_equals_recount()

    term = publish_term(headword_fr="médiation", headword_en="outreach", domains=[museum.slug], moderator=moderator)
    other = publish_term(headword_fr="archive", headword_en="record", domains=[museum.slug, archives.slug],
                         moderator=moderator)
    assert kept()[(figures.ALL, "")] == 2
    assert kept()[(figures.INITIAL, "M")] == 1 and kept()[(figures.INITIAL_ENGLISH, "R")] == 1
    assert kept()[(figures.DOMAIN, str(museum.pk))] == 2
    assert_kept_equals_recount()

    # A new headword files the term under another letter; a domain left and another joined.
    revision = services.propose_edit(
        term=term, author=UserFactory(), base_revision=term.current_revision,
        content={**term.current_revision.content(), "headword_fr": "zone de médiation", "headword_en": "area",
                 "domains": [archives.slug]},
    )
    services.approve(revision, by=moderator)
    assert (figures.INITIAL, "M") not in kept() and kept()[(figures.INITIAL, "Z")] == 1
    assert kept()[(figures.DOMAIN, str(museum.pk))] == 1 and kept()[(figures.DOMAIN, str(archives.pk))] == 2
    assert_kept_equals_recount()

    # Back to the first version, then retired.
    services.revert(term, to=term.revisions.approved().order_by("created_at").first(), by=moderator)
    assert kept()[(figures.INITIAL, "M")] == 1
    assert_kept_equals_recount()
    services.retire(other, by=moderator, reason="Doublon.")
    assert kept()[(figures.ALL, "")] == 1 and (figures.DOMAIN, str(archives.pk)) not in kept()
    assert_kept_equals_recount()

    # A pending proposal counts for nothing; a domain deleted takes its figure with it.
    services.propose_term(author=UserFactory(), content={
        "headword_fr": "brouillon", "headword_en": "draft", "definition_fr": "Un texte.", "definition_en": "A text.",
        "domains": [museum.slug]})
    museum.delete()
    assert_kept_equals_recount()


@pytest.mark.django_db(transaction=True)
def test_bulk_generation_and_a_restored_backup_keep_them(tmp_path):
    call_command("generate_terms", 300, verbosity=0, stdout=io.StringIO())
    assert kept()[(figures.ALL, "")] == Term.objects.published().count() >= 300
    assert_kept_equals_recount()
    backup = tmp_path / "backup.json"
    call_command("export_all", "-o", str(backup), stdout=io.StringIO(), stderr=io.StringIO())
    expected = kept()
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)
    assert kept() == {}
    call_command("import_all", str(backup), stdout=io.StringIO())
    assert kept() == expected == figures.recounted()


def test_the_home_page_reads_the_figures_and_counts_nothing(client):
    domain = DomainFactory(slug="musees")
    publish_term(headword_fr="médiation", headword_en="outreach", domains=[domain.slug])
    publish_term(headword_fr="archive", headword_en="record")
    assert selectors.published_count() == 2
    assert dict(selectors.letters_with_counts())["M"] == 1
    assert dict(selectors.letters_with_counts(lang="en"))["R"] == 1
    assert {d.slug: d.published_count for d in selectors.domains_with_published_counts()}["musees"] == 1
    publish_term(headword_fr="ajout", headword_en="addition")  # a new version: figures read again
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/")
    assert page.status_code == 200
    assert not [query["sql"] for query in captured if "count(" in query["sql"].lower()]
    assert "3" in page.content.decode()
