"""Proposals and reviews through the API: tokens, the workflow services, and errors that write nothing."""
import json

import pytest
from rest_framework.test import APIClient

from lexique import services
from lexique.models import Revision, Term
from lexique.services import tokens
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(user)[1]}")
    return client


@pytest.fixture
def as_contributor(contributor):
    return client_for(contributor)


@pytest.fixture
def as_moderator(moderator):
    return client_for(moderator)


def test_a_token_is_given_for_a_username_and_password_and_can_be_revoked(contributor):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": contributor.username, "password": "mot-de-passe-test"},
                           format="json")
    assert response.status_code == 201
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert not tokens.live_tokens(contributor).exists()
    response = client.get("/api/v1/proposals/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_a_wrong_password_gets_no_token(contributor):
    response = APIClient().post("/api/v1/auth/token/", {"username": contributor.username, "password": "non"},
                                format="json")
    assert response.status_code == 401
    assert not tokens.live_tokens(contributor).exists()


def test_proposing_needs_a_token():
    response = APIClient().post("/api/v1/proposals/", content(), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Revision.objects.exists()


def test_a_contributor_proposes_a_new_term_that_stays_private(as_contributor, contributor):
    domain = DomainFactory(slug="creation")
    response = as_contributor.post("/api/v1/proposals/", {**content(), "domains": [domain.slug],
                                                          "summary": "Nouveau terme"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending" and body["term"]["url"] is None
    assert response["Location"] == body["url"]
    revision = Revision.objects.get(pk=body["id"])
    assert revision.author == contributor and revision.domain_slugs == ["creation"]
    assert APIClient().get("/api/v1/terms/").json()["count"] == 0


def test_an_edit_keeps_the_fields_it_leaves_out(as_contributor):
    term = publish_term(headword_fr="médiation", headword_en="mediation")
    response = as_contributor.post(f"/api/v1/terms/{term.slug}/proposals/",
                                   {"base_revision": term.current_revision_id, "definition_en": "Better."},
                                   format="json")
    assert response.status_code == 201, response.json()
    revision = Revision.objects.get(pk=response.json()["id"])
    assert revision.base_revision_id == term.current_revision_id
    assert revision.definition_en == "Better." and revision.headword_fr == "médiation"


def test_a_moderator_lists_pending_proposals_and_approves_one(as_contributor, as_moderator, contributor):
    proposal = services.propose_term(author=contributor, content=content())
    assert [p["id"] for p in as_moderator.get("/api/v1/proposals/?state=pending").json()["results"]] == [proposal.pk]
    response = as_moderator.post(f"/api/v1/proposals/{proposal.pk}/approve/", {"comment": "Merci"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert Term.objects.published().count() == 1


def test_contributors_see_only_their_own_proposals_and_cannot_review(as_contributor, contributor):
    own = services.propose_term(author=contributor, content=content(headword_fr="a"))
    other = services.propose_term(author=UserFactory(), content=content(headword_fr="b"))
    ids = [p["id"] for p in as_contributor.get("/api/v1/proposals/").json()["results"]]
    assert ids == [own.pk]
    assert as_contributor.get(f"/api/v1/proposals/{other.pk}/").status_code == 404
    response = as_contributor.post(f"/api/v1/proposals/{own.pk}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["detail"]
    own.refresh_from_db()
    assert own.state == "pending"


def test_approving_a_stale_proposal_is_a_409_with_the_diff_unless_confirmed(as_moderator, moderator):
    term = publish_term(definition_fr="Version un.")
    base = term.current_revision
    first = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                  content={**base.content(), "definition_fr": "Version deux."})
    stale = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                  content={**base.content(), "definition_fr": "Version trois."})
    services.approve(first, by=moderator)
    response = as_moderator.post(f"/api/v1/proposals/{stale.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["current_revision"] == first.pk
    assert {"op": "insert", "text": "deux."} in body["diff"]["definition_fr"]
    detail = as_moderator.get(f"/api/v1/proposals/{stale.pk}/").json()
    assert detail["stale"] is True and detail["published_revision"] == first.pk
    response = as_moderator.post(f"/api/v1/proposals/{stale.pk}/approve/", {"confirm_stale": True}, format="json")
    assert response.status_code == 200
    term.refresh_from_db()
    assert term.definition_fr == "Version trois."


def test_reject_needs_a_reason_and_request_changes_a_comment(as_moderator, contributor):
    proposal = services.propose_term(author=contributor, content=content())
    response = as_moderator.post(f"/api/v1/proposals/{proposal.pk}/reject/", {"reason": "  "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = as_moderator.post(f"/api/v1/proposals/{proposal.pk}/request-changes/",
                                 {"comment": "Ajoutez une source."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "changes_requested"
    response = as_moderator.post(f"/api/v1/proposals/{proposal.pk}/reject/", {"reason": "Non."}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "workflow"


def test_the_author_resubmits_after_a_request_for_changes(as_contributor, contributor, moderator):
    proposal = services.propose_term(author=contributor, content=content())
    services.request_changes(proposal, by=moderator, comment="Une source ?")
    response = as_contributor.post(f"/api/v1/proposals/{proposal.pk}/resubmit/",
                                   {"sources": [{"title": "OQLF", "url": "https://www.oqlf.gouv.qc.ca/"}]},
                                   format="json")
    assert response.status_code == 201, response.json()
    assert Revision.objects.get(pk=response.json()["id"]).sources[0]["title"] == "OQLF"


def test_proposing_an_existing_headword_is_a_409_pointing_at_the_term(as_contributor):
    term = publish_term(headword_fr="numérique")
    response = as_contributor.post("/api/v1/proposals/", content(headword_fr="Numérique"), format="json")
    assert response.status_code == 409
    assert response.json()["term"] == f"http://testserver/api/v1/terms/{term.slug}/"


def test_the_headword_of_a_refused_draft_can_be_proposed_again(as_contributor, contributor, moderator):
    refused = services.propose_term(author=contributor, content=content(headword_fr="métavers"))
    services.reject(refused, by=moderator, reason="Pas encore.")
    response = as_contributor.post("/api/v1/proposals/", content(headword_fr="métavers"), format="json")
    assert response.status_code == 201, response.json()


def test_unknown_references_are_a_404_naming_the_field(as_contributor):
    term = publish_term()
    response = as_contributor.post("/api/v1/proposals/", content(headword_fr="x", domains=["nulle-part"],
                                                                 related=["fantome"]), format="json")
    assert response.status_code == 404
    assert set(response.json()["errors"]) == {"domains", "related"}
    response = as_contributor.post(f"/api/v1/terms/{term.slug}/proposals/", {"base_revision": 999999},
                                   format="json")
    assert response.status_code == 404 and "base_revision" in response.json()["errors"]


# --- Bad input: a clear 4xx in JSON, and nothing written --------------------------------------

def _post_raw(client, url, body, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize("body, field", [
    ({"headword_fr": 12, "definition_fr": "Déf."}, "headword_fr"),
    ({"headword_fr": "x", "definition_fr": ["liste"]}, "definition_fr"),
    ({"headword_fr": "x", "definition_fr": "Déf.", "domains": "creation"}, "domains"),
    ({"headword_fr": "x", "definition_fr": "Déf.", "sources": [{"url": "javascript:alert(1)"}]}, "sources.0.url"),
    ({"headword_fr": "x", "definition_fr": "Déf.", "synonyms": [{"text": "y", "lang": "de"}]}, "synonyms.0.lang"),
    ({"headword_fr": "x", "definition_fr": "Déf.", "author": "quelqu'un d'autre"}, "author"),
    ({"headword_fr": "   ", "definition_fr": "Déf."}, "headword_fr"),
    ({"headword_fr": "deux\nlignes", "definition_fr": "Déf."}, "headword_fr"),
    ({"headword_fr": "x" * 201, "definition_fr": "Déf."}, "headword_fr"),
    ({"definition_fr": "Déf."}, "headword_fr"),
    ({"headword_fr": "x", "definition_fr": "Déf.", "part_of_speech_fr": "n. m."}, "part_of_speech_fr"),
    ({"headword_fr": "x", "definition_fr": "Déf.", "region_en": "usa"}, "region_en"),
])
def test_wrong_types_unknown_fields_and_bad_values_are_a_400_naming_the_field(as_contributor, body, field):
    response = as_contributor.post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Revision.objects.exists()


def test_malformed_json_is_a_400(as_contributor):
    response = _post_raw(as_contributor, "/api/v1/proposals/", '{"headword_fr": "x",')
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error" and "JSON" in response.json()["detail"]
    assert not Revision.objects.exists()


def test_deeply_nested_json_is_a_400_not_a_crash(as_contributor):
    response = _post_raw(as_contributor, "/api/v1/proposals/", "[" * 100000 + "]" * 100000)
    assert response.status_code in (400, 413)
    assert response["Content-Type"] == "application/json"


def test_a_huge_body_is_a_413(as_contributor):
    body = json.dumps({"headword_fr": "x", "definition_fr": "y" * 2_000_000})
    response = _post_raw(as_contributor, "/api/v1/proposals/", body)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Revision.objects.exists()


def test_a_body_that_is_not_json_is_a_415(as_contributor):
    response = _post_raw(as_contributor, "/api/v1/proposals/", "headword_fr=x", "application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.json()["status"] == 415
    assert not Revision.objects.exists()


def test_a_non_object_body_is_a_400(as_contributor):
    response = _post_raw(as_contributor, "/api/v1/proposals/", "[1, 2]")
    assert response.status_code == 400
    assert not Revision.objects.exists()


def test_script_text_is_stored_as_text_and_published_html_stays_safe(as_contributor, moderator):
    response = as_contributor.post("/api/v1/proposals/", content(
        headword_fr="balise", definition_fr="<script>alert(1)</script> [lien](javascript:alert(1))"), format="json")
    assert response.status_code == 201
    services.approve(Revision.objects.get(pk=response.json()["id"]), by=moderator)
    html = APIClient().get("/api/v1/terms/balise/").json()["definition_html"]["fr"]
    assert "<script" not in html and "href=" not in html


def test_a_synonym_carries_its_region_and_kind_through_the_api(as_contributor, as_moderator):
    synonyms = [{"text": "IA", "lang": "fr", "status": "preferred", "kind": "initialism"},
                {"text": "courriel", "lang": "fr", "status": "preferred", "region": "qc"}]
    response = as_contributor.post("/api/v1/proposals/", {**content(), "synonyms": synonyms}, format="json")
    assert response.status_code == 201, response.json()
    as_moderator.post(f"/api/v1/proposals/{response.json()['id']}/approve/", {}, format="json")
    published = APIClient().get("/api/v1/terms/metadonnees/").json()["synonyms"]
    assert published == synonyms
    refused = as_contributor.post("/api/v1/proposals/", {**content(headword_fr="autre"), "synonyms": [
        {"text": "AI", "lang": "en", "region": "mars"}]}, format="json")
    assert refused.status_code == 400 and not Revision.objects.filter(headword_fr="autre").exists()


def test_a_book_a_standard_and_a_printed_glossary_are_proposed_and_read_back_through_the_api(as_contributor,
                                                                                             moderator):
    from tests.support.exports_data import CITED_SOURCES

    response = as_contributor.post("/api/v1/proposals/", {**content(headword_fr="terminologie"),
                                                          "sources": CITED_SOURCES}, format="json")
    assert response.status_code == 201, response.json()
    revision = Revision.objects.get(pk=response.json()["id"])
    assert revision.sources == CITED_SOURCES
    services.approve(revision, by=moderator)
    assert APIClient().get("/api/v1/terms/terminologie/").json()["sources"] == CITED_SOURCES


@pytest.mark.parametrize(("source", "field"), [
    ({"title": "Livre", "year": "vers 1990"}, "year"),
    ({"title": "Livre", "definition": "de"}, "definition"),
    ({"title": "Livre", "isbn": "978-2"}, "isbn"),
    ({"author": "Quelqu'un"}, None),
])
def test_a_bad_source_is_a_400_naming_it_and_writes_nothing(as_contributor, source, field):
    response = as_contributor.post("/api/v1/proposals/", {**content(headword_fr="terminologie"),
                                                          "sources": [source]}, format="json")
    assert response.status_code == 400, response.json()
    assert "sources" in json.dumps(response.json()) and (field is None or field in json.dumps(response.json()))
    assert not Revision.objects.exists()


def test_a_source_stored_the_old_way_reads_unchanged(as_contributor):
    old = {"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}
    publish_term(headword_fr="terminologie", sources=[old])
    assert APIClient().get("/api/v1/terms/terminologie/").json()["sources"] == [old]


def test_a_headwords_grammar_and_region_are_proposed_by_value_and_read_with_their_abbreviation(
        as_contributor, as_moderator):
    body = {**content(category="", part_of_speech_fr="noun", gender_fr="masculine", region_fr="qc",
                      part_of_speech_en="noun"), "summary": "Grammaire"}
    response = as_contributor.post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 201, response.json()
    proposal = response.json()
    assert (proposal["part_of_speech_fr"], proposal["gender_fr"], proposal["region_fr"]) == ("noun", "masculine", "qc")
    assert as_moderator.post(f"/api/v1/proposals/{proposal['id']}/approve/", format="json").status_code == 200
    term = APIClient().get(f"/api/v1/terms/{Term.objects.get().slug}/").json()
    assert term["grammar"] == {
        "fr": {"part_of_speech": "noun", "gender": "masculine", "region": "qc", "abbreviation": "n. m."},
        "en": {"part_of_speech": "noun", "gender": "", "region": "", "abbreviation": "n."},
    }
