"""Retired, not gone: retiring asks for a reason, and a retired term's address says when, why and how to cite it."""
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import translation

from lexique import selectors, services
from lexique.models import ModerationLogEntry, Term
from tests.support.factories import UserFactory, publish_term

REASON = "Doublon de « métadonnée descriptive »."


@pytest.fixture
def retired(moderator):
    neighbour = publish_term(moderator=moderator, headword_fr="catalogage", headword_en="cataloguing")
    also_retired = publish_term(moderator=moderator, headword_fr="fiche", headword_en="record")
    term = publish_term(moderator=moderator, related=[neighbour.slug, also_retired.slug])
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content={**term.current_revision.content(), "definition_fr": "Dernière définition."})
    services.approve(edit, by=moderator)
    services.retire(also_retired, by=moderator, reason="Vieilli.")
    services.retire(Term.objects.get(pk=term.pk), by=moderator, reason=REASON)
    return Term.objects.get(pk=term.pk)


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_retiring_without_a_reason_is_refused(moderator, reason):
    term = publish_term(moderator=moderator)
    with pytest.raises(services.ValidationError) as error:
        services.retire(term, by=moderator, reason=reason)
    assert "reason" in error.value.message_dict
    assert Term.objects.get(pk=term.pk).status == Term.Status.PUBLISHED


def test_the_retirement_says_when_why_and_which_version_was_last(retired):
    retirement = selectors.term_retirement(retired.slug)
    assert retirement.reason == REASON
    assert retirement.retired_at == retired.retired_at
    assert retirement.last_version.version == 2
    assert [term.headword_fr for term in retirement.related] == ["catalogage"]
    assert selectors.term_retirement(publish_term(headword_fr="vivant").slug) is None


def test_a_retired_term_page_answers_410_with_when_why_the_last_version_and_its_citation(client, retired):
    response = client.get(reverse("lexique:term", args=[retired.slug]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "retiré du lexique le" in page and "Doublon de « métadonnée descriptive »." in page
    assert "Dernière définition." in page
    assert reverse("lexique:term-version", args=[retired.slug, 2]) in page
    assert "version 2 du" in page  # the citation sentence
    assert reverse("lexique:term", args=[Term.objects.get(headword_fr="catalogage").slug]) in page
    assert "fiche" not in page  # a related term retired too is not offered


def test_the_retired_term_page_is_in_english_too(client, retired):
    with translation.override("en"):
        url = reverse("lexique:term", args=[retired.slug])
    response = client.get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "was retired from the lexicon on" in page and "Reason for retirement:" in page
    assert "Cite this version" in page


def test_rdf_clients_hear_410_at_a_retired_term_uri(client, retired):
    response = client.get(reverse("lexique:term", args=[retired.slug]), HTTP_ACCEPT="text/turtle")
    assert response.status_code == 410
    assert "Accept" in response["Vary"]


def test_the_api_answers_410_with_the_retirement(client, retired):
    response = client.get(f"/api/v1/terms/{retired.slug}/")
    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "retired" and body["reason"] == REASON and body["slug"] == retired.slug
    assert body["retired_at"].startswith(retired.retired_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert body["last_version"]["version"] == 2
    assert body["last_version"]["url"].endswith(reverse("lexique:term-version", args=[retired.slug, 2]))
    assert len(body["related"]) == 1
    assert client.get("/api/v1/terms/inexistant/").status_code == 404


def test_a_version_of_a_retired_term_stays_citable(client, retired):
    assert client.get(reverse("lexique:term-version", args=[retired.slug, 2])).status_code == 200


def test_the_moderator_page_needs_a_reason_to_retire(client, moderator):
    term = publish_term(moderator=moderator)
    client.force_login(moderator)
    assert 'name="reason" required' in client.get(term.get_absolute_url()).content.decode()
    client.post(reverse("lexique:retire", args=[term.slug]), {"reason": " "})
    assert Term.objects.get(pk=term.pk).status == Term.Status.PUBLISHED
    client.post(reverse("lexique:retire", args=[term.slug]), {"reason": "Hors sujet."})
    assert Term.objects.get(pk=term.pk).status == Term.Status.RETIRED
    assert ModerationLogEntry.objects.get(term=term, action="retired").comment == "Hors sujet."


def test_the_admin_asks_for_the_reason_before_retiring(client, moderator):
    moderator.is_staff = True
    moderator.save()
    terms = [publish_term(moderator=moderator, headword_fr=word) for word in ("alpha", "bêta")]
    client.force_login(moderator)
    url = reverse("admin:lexique_term_changelist")
    selection = {"action": "retire_terms", ACTION_CHECKBOX_NAME: [term.pk for term in terms]}
    asked = client.post(url, selection)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert client.post(url, {**selection, "confirm": "1", "reason": ""}).status_code == 200
    assert Term.objects.published().count() == 2
    client.post(url, {**selection, "confirm": "1", "reason": "Fusionnés."})
    assert not Term.objects.published().exists()
    assert set(ModerationLogEntry.objects.filter(action="retired").values_list("comment", flat=True)) == {"Fusionnés."}
