"""The web pages through Django's test client: permissions, forms, moderation, languages."""
import re
import secrets

import pytest
from django.core import mail, signing
from django.urls import reverse

from lexique import services
from lexique.web.forms import SIGNUP_SALT
from lexique.models import Revision, Term
from tests.support.factories import content, publish_term

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "headword_fr": "balado", "headword_en": "podcast", "definition_fr": "Émission audio *à la demande*.",
    "definition_en": "On-demand audio show.", "synonyms": "podcast | fr | déconseillé",
    "sources": "OQLF | https://vitrinelinguistique.oqlf.gouv.qc.ca/", "summary": "Nouveau terme",
}


def test_anonymous_visitors_are_sent_to_sign_in_to_propose_or_moderate(client):
    for url in (reverse("lexique:propose"), reverse("lexique:queue"), reverse("lexique:my-contributions")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_contributor_gets_403_on_every_moderator_page(client, contributor):
    term = publish_term()
    pending = services.propose_term(author=contributor, content=content(headword_fr="autre"))
    client.force_login(contributor)
    assert client.get(reverse("lexique:queue")).status_code == 403
    assert client.get(reverse("lexique:review", args=[pending.pk])).status_code == 403
    assert client.get(reverse("lexique:log")).status_code == 403
    assert client.post(reverse("lexique:retire", args=[term.slug])).status_code == 403
    assert client.post(reverse("lexique:revert", args=[term.slug, 1])).status_code == 403
    assert Term.objects.published().count() == 1


def test_proposing_a_term_sends_it_to_the_queue(client, contributor, moderator):
    client.force_login(contributor)
    response = client.post(reverse("lexique:propose"), {**PROPOSAL, "submit": "1"})
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert (revision.headword_fr, revision.state, revision.synonyms[0]["status"]) == ("balado", "pending", "not_recommended")
    client.force_login(moderator)
    assert "balado" in client.get(reverse("lexique:queue")).content.decode()


def test_a_failed_proposal_keeps_what_was_typed(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("lexique:propose"), {**PROPOSAL, "headword_fr": "", "submit": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Émission audio *à la demande*." in page and "Ce champ est obligatoire." in page
    assert not Revision.objects.exists()


def test_the_preview_renders_the_markdown_without_saving(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("lexique:propose"), {**PROPOSAL, "preview": "1"})
    assert "Émission audio <em>à la demande</em>." in response.content.decode()
    assert not Revision.objects.exists()


def test_a_proposal_without_csrf_token_is_refused(contributor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.post(reverse("lexique:propose"), {**PROPOSAL, "submit": "1"}).status_code == 403
    assert not Revision.objects.exists()


def test_editing_carries_the_base_revision_and_the_stale_review_warns(client, contributor, moderator):
    term = publish_term()
    form_page = client.get(reverse("lexique:propose-edit", args=[term.slug]), follow=True)
    assert form_page.redirect_chain  # anonymous: sign in first
    client.force_login(contributor)
    page = client.get(reverse("lexique:propose-edit", args=[term.slug])).content.decode()
    assert f'name="base_revision" value="{term.current_revision_id}"' in page
    edit = {**PROPOSAL, "headword_fr": term.headword_fr, "base_revision": term.current_revision_id, "submit": "1"}
    client.post(reverse("lexique:propose-edit", args=[term.slug]), {**edit, "definition_fr": "Première."})
    client.post(reverse("lexique:propose-edit", args=[term.slug]), {**edit, "definition_fr": "Seconde."})
    first, second = Revision.objects.pending().order_by("id")
    client.force_login(moderator)
    client.post(reverse("lexique:review", args=[first.pk]), {"action": "approve"})
    page = client.get(reverse("lexique:review", args=[second.pk])).content.decode()
    assert "la version publiée a changé" in page and "<del>Première.</del>" in page
    refused = client.post(reverse("lexique:review", args=[second.pk]), {"action": "approve"})
    assert refused.status_code == 200
    assert Term.objects.get().definition_fr == "Première."
    client.post(reverse("lexique:review", args=[second.pk]), {"action": "approve", "confirm_stale": "on"})
    assert Term.objects.get().definition_fr == "Seconde."


def _shown_at_once(page: str) -> str:
    """The page without what closed <details> hold (a click away)."""
    return re.sub(r"<details(?![^>]*\bopen\b)[^>]*>.*?</details>", "", page, flags=re.S)


def test_a_stale_conflicting_review_shows_a_field_at_most_twice_the_other_views_a_click_away(
        client, contributor, moderator):
    term = publish_term()
    edit = {**PROPOSAL, "headword_fr": term.headword_fr, "base_revision": term.current_revision_id, "submit": "1"}
    client.force_login(contributor)
    client.post(reverse("lexique:propose-edit", args=[term.slug]), {**edit, "definition_fr": "Première."})
    client.post(reverse("lexique:propose-edit", args=[term.slug]), {**edit, "definition_fr": "Seconde."})
    first, second = Revision.objects.pending().order_by("id")
    client.force_login(moderator)
    client.post(reverse("lexique:review", args=[first.pk]), {"action": "approve"})
    page = client.get(reverse("lexique:review", args=[second.pk])).content.decode()
    assert page.count("Seconde.") >= 4  # the author's change, the conflict, the diff, side by side
    shown = _shown_at_once(page)
    assert 1 <= shown.count("Seconde.") <= 2  # the conflict to settle and the diff with the published text
    assert "champ modifié des deux côtés" in shown and "Différences avec la version publiée" in shown


def test_requesting_changes_reaches_the_author_who_revises(
    client, contributor, moderator, django_capture_on_commit_callbacks
):
    revision = services.propose_term(author=contributor, content=content())
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("lexique:review", args=[revision.pk]),
                    {"action": "request_changes", "comment": "Un exemple ?"})
    assert len(mail.outbox) == 1 and "Un exemple ?" in mail.outbox[0].body
    assert mail.outbox[0].to == [contributor.email]
    client.force_login(contributor)
    assert "Un exemple ?" in client.get(reverse("lexique:my-contributions")).content.decode()
    client.post(reverse("lexique:resubmit", args=[revision.pk]), {
        **PROPOSAL, "headword_fr": "métadonnées", "examples_fr": "Un exemple.", "submit": "1",
    })
    assert Revision.objects.pending().get().examples_fr == "Un exemple."


def test_rejecting_without_a_reason_shows_an_error(client, contributor, moderator):
    revision = services.propose_term(author=contributor, content=content())
    client.force_login(moderator)
    response = client.post(reverse("lexique:review", args=[revision.pk]), {"action": "reject", "comment": ""})
    assert "Donnez la raison du refus" in response.content.decode()
    assert Revision.objects.get().state == "pending"


def test_a_moderator_reverts_from_the_history_and_retires(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.approve(services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                           content=content(definition_fr="Moins bien.")), by=moderator)
    client.force_login(moderator)
    client.post(reverse("lexique:revert", args=[term.slug, 1]), {"reason": "La version 2 appauvrit la définition."})
    term.refresh_from_db()
    assert term.definition_fr == "Données qui *décrivent* une œuvre." and term.revisions.count() == 3
    client.post(reverse("lexique:retire", args=[term.slug]), {"reason": "Doublon"})
    assert client.get(term.get_absolute_url()).status_code == 410
    log = client.get(reverse("lexique:log")).content.decode()
    assert "Doublon" in log and "retrait" in log.lower()


def test_the_diff_page_shows_word_changes_between_two_versions(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.approve(services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                           content=content(definition_fr="Données qui présentent une œuvre.")),
                     by=moderator)
    page = client.get(reverse("lexique:diff", args=[term.slug]) + "?de=1&a=2").content.decode()
    assert "<del>*décrivent*</del><ins>présentent</ins>" in page
    assert client.get(reverse("lexique:diff", args=[term.slug]) + "?de=9").status_code == 404


def test_user_markdown_cannot_inject_script(client, moderator):
    payloads = [
        "<script>alert('x')</script>", "[clic](javascript:alert(1))", '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)'>x</a>", "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<svg onload=alert(1)>', "<iframe src='https://evil.example'></iframe>",
    ]
    term = publish_term(moderator=moderator, definition_fr="\n\n".join(payloads))
    page = client.get(term.get_absolute_url()).content.decode()
    assert not re.search(r"<(script|img|svg|iframe)\b", page.split('<div class="definition">')[1].split("</div>")[0])
    assert 'href="javascript:' not in page and 'href="data:' not in page


def test_search_results_page_works_without_javascript(client):
    publish_term(headword_fr="Numérique", definition_fr="Ce qui relève du code.")
    page = client.get(reverse("lexique:search"), {"q": "numerique"}).content.decode()
    assert "Numérique" in page and "1 résultat" in page


def test_suggestions_return_json_for_typing(client):
    publish_term(headword_fr="découvrabilité")
    data = client.get(reverse("lexique:suggestions"), {"q": "decouv"}).json()
    assert data["results"][0]["headword_fr"] == "découvrabilité"
    assert client.get(reverse("lexique:suggestions"), {"q": "d"}).json() == {"results": []}


def test_letters_file_accented_initials_under_their_base_letter(client):
    publish_term(headword_fr="écosystème numérique")
    assert "écosystème numérique" in client.get(reverse("lexique:letter", args=["E"])).content.decode()
    assert client.get(reverse("lexique:letter", args=["É"])).url == reverse("lexique:letter", args=["E"])


def test_english_pages_live_under_en_and_show_english_content(client):
    term = publish_term()
    page = client.get("/en" + term.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert page.index("metadata") < page.index("métadonnées")
    assert '<section class="term-version other-language" lang="fr">' in page


def test_the_language_switch_keeps_the_page(client):
    term = publish_term()
    response = client.post(reverse("set_language"), {"language": "en", "next": term.get_absolute_url()})
    assert response["Location"] == "/en" + term.get_absolute_url()


def signup_data(**overrides):
    data = {"username": "nouvelle", "email": "nouvelle@example.org", "password1": "Une-phrase-longue-42",
            "password2": "Une-phrase-longue-42", "website": "",
            "started": signing.dumps({"nonce": secrets.token_urlsafe(8)}, salt=SIGNUP_SALT)}
    data.update(overrides)
    return data


def test_sign_up_refuses_bots_that_fill_the_honeypot_or_post_at_once(client):
    from django.contrib.auth import get_user_model

    assert "Laissez ce champ vide" in client.get(reverse("lexique:signup")).content.decode()
    client.post(reverse("lexique:signup"), signup_data(website="http://spam.example"))
    assert "trop vite" in client.post(reverse("lexique:signup"), signup_data()).content.decode()
    assert not get_user_model().objects.filter(username="nouvelle").exists()


def test_sign_up_then_password_reset_by_email(client, signup_timer_off, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    data = signup_data()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("lexique:signup"), data).status_code == 302
    assert get_user_model().objects.filter(username="nouvelle").exists()
    assert "/comptes/confirmation/" in mail.outbox[0].body
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nouvelle@example.org"})
    assert len(mail.outbox) == 2 and "/comptes/mot-de-passe/" in mail.outbox[1].body


def test_pending_and_rejected_texts_are_never_shown_as_approved(client, contributor, moderator):
    term = publish_term(moderator=moderator)
    services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                          content=content(definition_fr="Texte en attente."))
    rejected = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content=content(definition_fr="Texte refusé."))
    services.reject(rejected, by=moderator, reason="Non")
    for url in (term.get_absolute_url(), reverse("lexique:history", args=[term.slug]),
                reverse("lexique:search") + "?q=texte"):
        page = client.get(url).content.decode()
        assert "Texte en attente." not in page and "Texte refusé." not in page


def test_the_account_page_creates_shows_and_revokes_an_api_token(client, contributor):
    from lexique.models import ApiToken

    client.force_login(contributor)
    assert "Créer un jeton" in client.get(reverse("lexique:account")).content.decode()
    shown = client.post(reverse("lexique:account"), {"token": "create", "name": "veille"})
    record = ApiToken.objects.get(user=contributor)
    assert record.name == "veille" and record.token_key in shown.content.decode()
    client.post(reverse("lexique:account"), {"token": "revoke", "digest": record.digest})
    assert not ApiToken.objects.filter(user=contributor).exists()


def test_the_queue_filters_by_kind_and_domain_oldest_first(client, contributor, moderator):
    from tests.support.factories import DomainFactory

    DomainFactory(slug="conservation")
    term = publish_term(moderator=moderator)
    edit = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                 content=content(definition_fr="Autre."))
    new = services.propose_term(author=contributor, content=content(headword_fr="archivage", domains=["conservation"]))
    client.force_login(moderator)

    def listed(**params):
        return [revision.pk for revision in client.get(reverse("lexique:queue"), params).context["queue"]]

    assert listed() == [edit.pk, new.pk]
    assert listed(type="new") == [new.pk]
    assert listed(type="edit") == [edit.pk]
    assert listed(domaine="conservation") == [new.pk]


def test_odd_input_gets_a_page_not_a_server_error(client, contributor):
    term = publish_term()
    assert client.get(reverse("lexique:search"), {"q": "\x00abc", "domaine": "\x00"}).status_code == 200
    assert client.get(reverse("lexique:suggestions"), {"q": "ab\x00"}).status_code == 200
    client.force_login(contributor)
    response = client.post(reverse("lexique:propose-edit", args=[term.slug]), {**PROPOSAL, "base_revision": "abc"})
    assert response.status_code == 404
    assert Revision.objects.count() == 1


def test_search_pages_keep_the_domain_filter(client):
    from tests.support.factories import DomainFactory

    DomainFactory(slug="conservation")
    for number in range(25):
        publish_term(headword_fr=f"archive {number:02d}", domains=["conservation"])
    page = client.get(reverse("lexique:search"), {"q": "archive", "domaine": "conservation"}).content.decode()
    assert 'href="?q=archive&amp;domaine=conservation&amp;page=2"' in page


def test_a_french_only_term_is_marked_french_on_english_pages(client):
    publish_term(headword_fr="médiathèque", headword_en="", definition_en="")
    page = client.get("/en/recherche/", {"q": "mediatheque"}).content.decode()
    assert 'lang="fr">médiathèque</a>' in page
    data = client.get("/en/recherche/suggestions/", {"q": "mediatheque"}).json()
    assert data["results"][0]["lang"] == "fr"


def test_a_username_that_is_an_email_address_is_refused(client):
    response = client.post(reverse("lexique:signup"), signup_data(username="camille@example.org"))
    assert "adresse courriel" in response.content.decode()
