"""Contributors' own proposals and moderators' review and revert pages, through Django's test client."""
import pytest
from django.test import Client
from django.urls import reverse

from lexique import selectors, services
from lexique.models import ModerationLogEntry, Revision
from tests.support.factories import DomainFactory, UserFactory, content, publish_term

pytestmark = pytest.mark.django_db


def test_a_contributor_opens_edits_and_withdraws_a_pending_new_term(client, contributor):
    revision = services.propose_term(author=contributor, content=content(headword_fr="balado", headword_en="podcast"))
    client.force_login(contributor)
    listing = client.get(reverse("lexique:my-contributions")).content.decode()
    assert f'href="{reverse("lexique:proposal", args=[revision.pk])}"' in listing

    page = client.get(reverse("lexique:proposal", args=[revision.pk])).content.decode()
    assert "Modifier ma proposition" in page and "Retirer ma proposition" in page

    form = {**content(headword_fr="balado", headword_en="podcast", definition_fr="Émission audio *à la demande*."),
            "synonyms": "", "sources": "", "related": "", "summary": "Plus précis"}
    client.post(reverse("lexique:edit-proposal", args=[revision.pk]), form)
    revision.refresh_from_db()
    new = Revision.objects.get(replaces=revision)
    assert revision.state == "superseded" and new.state == "pending" and new.definition_fr.startswith("Émission")

    client.post(reverse("lexique:withdraw-proposal", args=[new.pk]))
    new.refresh_from_db()
    assert new.state == "withdrawn"
    assert ModerationLogEntry.objects.filter(action="withdrawn", revision=new).exists()
    assert selectors.pending_queue() == []


def test_nobody_else_opens_edits_or_withdraws_a_proposal(client, contributor):
    revision = services.propose_term(author=contributor, content=content(headword_fr="balado"))
    client.force_login(UserFactory())
    assert client.get(reverse("lexique:proposal", args=[revision.pk])).status_code == 403
    assert client.post(reverse("lexique:withdraw-proposal", args=[revision.pk])).status_code == 403
    assert client.get(reverse("lexique:edit-proposal", args=[revision.pk])).status_code == 403
    revision.refresh_from_db()
    assert revision.state == "pending"


def test_a_decided_proposal_can_no_longer_be_withdrawn(contributor, moderator):
    revision = services.propose_term(author=contributor, content=content(headword_fr="balado"))
    services.reject(revision, by=moderator, reason="Hors sujet")
    with pytest.raises(services.WorkflowError):
        services.withdraw(revision=revision, author=contributor)
    revision.refresh_from_db()
    assert revision.state == "rejected"


def test_my_contributions_is_paginated(client, contributor):
    for number in range(25):
        services.propose_term(author=contributor, content=content(headword_fr=f"terme {number:02d}", headword_en=""))
    client.force_login(contributor)
    first = client.get(reverse("lexique:my-contributions")).content.decode()
    assert first.count('<th scope="row">') == 20 and "Page 1 sur 2" in first
    second = client.get(reverse("lexique:my-contributions"), {"page": 2}).content.decode()
    assert second.count('<th scope="row">') == 5


def test_a_term_page_tells_signed_in_people_that_proposals_wait(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    revision = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content=content(definition_fr="Autre définition."), summary="Reformulation")
    assert "attend une relecture" not in client.get(term.get_absolute_url()).content.decode()
    client.force_login(contributor)
    page = client.get(term.get_absolute_url()).content.decode()
    assert "1 proposition attend une relecture" in page and reverse("lexique:proposal", args=[revision.pk]) in page
    client.force_login(moderator)
    assert reverse("lexique:review", args=[revision.pk]) in client.get(term.get_absolute_url()).content.decode()


def test_similar_term_hints_include_pending_proposals(client, contributor):
    services.propose_term(author=UserFactory(), content=content(headword_fr="médiation numérique", headword_en=""))
    client.force_login(contributor)
    results = client.get(reverse("lexique:suggestions"), {"q": "mediation", "propositions": "1"}).json()["results"]
    assert [(r["headword"], r.get("pending")) for r in results] == [("médiation numérique", True)]
    page = client.post(reverse("lexique:propose"), {"headword_fr": "médiation", "definition_fr": "x",
                                                    "preview": "1"}).content.decode()
    assert "médiation numérique</span> (proposition en attente)" in page
    # Readers of the public search box never see proposals.
    client.logout()
    assert client.get(reverse("lexique:suggestions"), {"q": "mediation", "propositions": "1"}).json()["results"] == []


def test_the_preview_shows_every_markdown_field(client, contributor):
    client.force_login(contributor)
    page = client.post(reverse("lexique:propose"), {
        "headword_fr": "balado", "definition_fr": "Une *émission*.", "examples_fr": "Un **exemple**.",
        "notes_en": "A *note*.", "preview": "1",
    }).content.decode()
    assert "<em>émission</em>" in page and "<strong>exemple</strong>" in page and "<em>note</em>" in page


def test_form_limits_are_the_services_limits():
    from lexique.web.forms import ProposalForm
    from lexique.services.content import TEXT_FIELDS

    fields = ProposalForm.base_fields
    assert {name: fields[name].max_length for name in TEXT_FIELDS} == TEXT_FIELDS


def test_a_validation_error_lists_each_field_at_fault(client, contributor):
    client.force_login(contributor)
    page = client.post(reverse("lexique:propose"), {"headword_fr": "", "definition_fr": ""}).content.decode()
    summary = page[page.index('class="error-summary"'):page.index("</div>", page.index('class="error-summary"'))]
    assert 'href="#id_headword_fr"' in summary and 'href="#id_definition_fr"' in summary


def test_the_review_page_shows_rendered_fields_side_by_side_with_human_labels(client, contributor, moderator):
    DomainFactory(slug="diffusion", name_fr="Diffusion et mise en marché")
    other = publish_term(headword_fr="découvrabilité", headword_en="discoverability", moderator=moderator)
    term = publish_term(moderator=moderator)
    revision = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision, content=content(
        examples_en="A **bold** example.", domains=["diffusion"], related=[other.slug],
        synonyms=[{"text": "meta", "lang": "en", "status": "not_recommended"}]))
    client.force_login(moderator)
    page = client.get(reverse("lexique:review", args=[revision.pk])).content.decode()
    assert "A <strong>bold</strong> example." in page
    assert "Données qui <em>décrivent</em> une œuvre." in page  # both sides rendered
    assert "Diffusion et mise en marché" in page and "découvrabilité" in page
    assert "déconseillé" in page
    for code in ("not_recommended", ">diffusion<", other.slug + "<"):
        assert code not in page


def test_a_resubmitted_proposal_shows_the_earlier_comment_and_what_changed_since(client, contributor, moderator):
    revision = services.propose_term(author=contributor, content=content(headword_fr="balado", headword_en=""))
    services.request_changes(revision, by=moderator, comment="Ajoutez un exemple.")
    new = services.resubmit(revision=revision, author=contributor,
                            content=content(headword_fr="balado", headword_en="", examples_fr="Un balado culturel."))
    client.force_login(moderator)
    page = client.get(reverse("lexique:review", args=[new.pk])).content.decode()
    assert "Ajoutez un exemple." in page
    assert "Ce qui a changé depuis la proposition 1" in page and "<ins>Un balado culturel.</ins>" in page


def test_rounds_of_a_proposal_are_counted_as_proposals_not_as_versions(contributor, moderator):
    """Version is the number a published text is cited by; a proposal's rounds are counted on their own."""
    term = publish_term(moderator=moderator)
    first = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                  content=content(examples_fr="Un exemple."))
    services.request_changes(first, by=moderator, comment="Ajoutez une source.")
    second = services.resubmit(revision=first, author=contributor, content=content(examples_fr="Un autre exemple."))
    pages = {"review": (reverse("lexique:review", args=[second.pk]), moderator),
             "proposal": (reverse("lexique:proposal", args=[second.pk]), contributor)}
    for name, (url, user) in pages.items():
        for prefix, label, since in (("", "Proposition 1, envoyée par", "depuis la proposition 1"),
                                     ("/en", "Proposal round 1, sent by", "since proposal round 1")):
            client = Client()  # a reader who has not chosen a language yet
            client.force_login(user)
            page = client.get(prefix + url).content.decode()
            rounds = page[page.index('<ol class="rounds">'):page.index("</ol>", page.index('<ol class="rounds">'))]
            assert label in rounds, name
            assert "version" not in rounds.lower(), name
            if name == "review":
                assert since in page and "depuis la version" not in page and "since version" not in page


def test_public_diffs_show_domain_names_not_slugs(client, contributor, moderator):
    DomainFactory(slug="diffusion", name_fr="Diffusion et mise en marché")
    term = publish_term(moderator=moderator)
    services.approve(services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                           content=content(domains=["diffusion"])), by=moderator)
    page = client.get(reverse("lexique:diff", args=[term.slug])).content.decode()
    assert "<ins>Diffusion et mise en marché</ins>" in page


def test_reverting_asks_for_confirmation_and_a_reason_that_the_history_shows(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.approve(services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                           content=content(definition_fr="Moins bien.")), by=moderator)
    client.force_login(moderator)
    url = reverse("lexique:revert", args=[term.slug, 1])
    confirm = client.get(url).content.decode()
    assert "Raison du retour" in confirm and "<ins>" in confirm
    assert term.revisions.count() == 2  # looking changes nothing

    page = client.post(url, {"reason": ""}).content.decode()
    assert "Ce champ est obligatoire" in page and term.revisions.count() == 2

    client.post(url, {"reason": "Vandalisme"})
    history = client.get(reverse("lexique:history", args=[term.slug])).content.decode()
    assert "Retour à la version 1 : Vandalisme" in history
    assert ModerationLogEntry.objects.filter(action="reverted", comment__contains="Vandalisme").exists()


def test_the_display_name_is_the_same_on_pages_and_in_the_api(client, moderator):
    author = UserFactory(first_name="Élise", last_name="Roy")
    term = publish_term(author=author, moderator=moderator)
    assert "Élise Roy" in client.get(reverse("lexique:history", args=[term.slug])).content.decode()
    revisions = client.get(f"/api/v1/terms/{term.slug}/revisions/").json()
    assert "Élise Roy" in str(revisions)


def test_review_e_mail_subjects_are_not_html_escaped(contributor, moderator, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    revision = services.propose_term(author=contributor, content=content(headword_fr="arts & culture d'ici",
                                                                         headword_en=""))
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(revision, by=moderator, reason="Hors sujet")
    assert mailoutbox[0].subject == "[Lexique] « arts & culture d'ici » : refusée"


def test_a_proposals_sources_are_links_named_by_their_title_and_stay_text_in_its_diff(client, contributor):
    term = publish_term()
    source = {"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}
    revision = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content={**term.current_revision.content(), "sources": [source]})
    client.force_login(contributor)
    page = client.get(reverse("lexique:proposal", args=[revision.pk])).content.decode()
    assert '<a href="https://vitrinelinguistique.oqlf.gouv.qc.ca/" rel="nofollow">OQLF</a>' in page
    assert "OQLF &lt;https://" not in page
    assert selectors.labelled_content(revision)["sources"] == ["OQLF <https://vitrinelinguistique.oqlf.gouv.qc.ca/>"]


def test_a_review_shows_related_terms_added_and_removed_as_whole_names(client, contributor, moderator):
    from lexique.models import Term

    for headword in ("art numérique", "numérique", "commerce électronique"):
        publish_term(**content(headword_fr=headword, headword_en=""))
    term = publish_term(**content(related=["art-numerique", "commerce-electronique"]))
    term = Term.objects.get(pk=term.pk)
    revision = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content={**term.current_revision.content(),
                                              "related": ["art-numerique", "numerique"]})
    client.force_login(moderator)
    page = client.get(f"/moderation/propositions/{revision.pk}/").content.decode()
    assert "<li><del>commerce électronique</del></li><li><ins>numérique</ins></li>" in page
    assert "<li>art numérique</li>" in page


def _propose(client, **fields):
    data = {"headword_fr": "métadonnées", "definition_fr": "Des données.", "synonyms": "", "sources": "",
            "related": "", "summary": "", **fields}
    return client.post(reverse("lexique:propose"), data)


def test_a_related_term_that_does_not_exist_is_refused_and_nothing_is_written(client, contributor):
    client.force_login(contributor)
    response = _propose(client, related="web sémantique")
    assert response.status_code == 200 and not Revision.objects.exists()
    assert "web sémantique" in response.context["form"].errors["related"][0]


def test_every_error_of_a_proposal_is_given_in_one_round_the_taken_headword_too(client, contributor):
    publish_term(**content())
    client.force_login(contributor)
    response = _propose(client, headword_fr="Métadonnées", synonyms="métadata | fr | douteux")
    errors = response.context["form"].errors
    assert set(errors) == {"headword_fr", "synonyms"}
    assert "existe déjà" in errors["headword_fr"][0]


def test_a_synonym_line_names_its_region_and_kind_in_any_order_and_the_term_page_says_them(
        client, contributor, moderator):
    client.force_login(contributor)
    response = _propose(client, headword_fr="intelligence artificielle", headword_en="artificial intelligence",
                        definition_fr="Un domaine.", synonyms="IA | fr | privilégié | sigle\ncourriel | fr | admis | Québec\n"
                                 "AI | en | admitted | International | acronym")
    assert response.status_code == 302, response.context["form"].errors
    revision = Revision.objects.get()
    assert {(s["text"], s.get("region", ""), s.get("kind", "")) for s in revision.synonyms} == {
        ("IA", "", "initialism"), ("courriel", "qc", ""), ("AI", "intl", "acronym")}
    services.approve(revision, by=moderator)
    page = client.get("/termes/intelligence-artificielle/").content.decode()
    assert "privilégié, sigle" in page and "admis, Québec" in page and "admis, acronyme, international" in page


def test_a_synonym_line_with_a_word_that_is_neither_region_nor_kind_is_refused(client, contributor):
    client.force_login(contributor)
    response = _propose(client, synonyms="IA | fr | admis | Mars")
    assert "Mars" in response.context["form"].errors["synonyms"][0] and not Revision.objects.exists()


def test_a_contributor_gives_each_headword_its_grammar_and_region_and_the_page_shows_them_as_the_gdt(
        client, contributor, moderator):
    client.force_login(contributor)
    form = {"headword_fr": "courriel", "headword_en": "email", "definition_fr": "Message électronique.",
            "part_of_speech_fr": "noun", "gender_fr": "masculine", "region_fr": "qc", "part_of_speech_en": "noun",
            "submit": "1"}
    page = client.get(reverse("lexique:propose")).content.decode()
    assert page.index('name="part_of_speech_fr"') < page.index('name="headword_en"') < page.index(
        'name="part_of_speech_en"')
    client.post(reverse("lexique:propose"), form)
    revision = Revision.objects.get()
    assert (revision.part_of_speech_fr, revision.gender_fr, revision.region_fr) == ("noun", "masculine", "qc")
    services.approve(revision, by=moderator)
    french = client.get(revision.term.get_absolute_url()).content.decode()
    assert '<p class="category" lang="fr">n. m. <span class="region" lang="fr">(Québec)</span></p>' in french
    assert '<p class="category" lang="en">n.</p>' in french
    english = client.get("/en" + revision.term.get_absolute_url()).content.decode()
    assert '<p class="category" lang="en">n.</p>' in english
    assert '<p class="category" lang="fr">n. m. <span class="region" lang="en">(Quebec)</span></p>' in english


def test_a_value_off_the_list_is_refused_and_nothing_is_written(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("lexique:propose"), {
        "headword_fr": "courriel", "definition_fr": "Message.", "gender_fr": "neutre", "submit": "1"})
    assert response.status_code == 200 and not Revision.objects.exists()
