"""Reporting an error on a term without an account: the form, its checks against robots, its limit per client
address, and the moderators' answer by e-mail."""
import time
from unittest.mock import patch

import pytest
from django.core import mail
from django.test import Client

from lexique.models import ErrorReport
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_timer_off(settings):
    settings.REPORT_MIN_SECONDS = 0


def served_form(client, term, *, lang=""):
    page = client.get(f"{lang}/termes/{term.slug}/signaler/")
    assert page.status_code == 200
    return page.context["form"].initial["started"]


def report(client, term, *, lang="", **overrides):
    data = {"message": "La définition anglaise dit « describe », il manque le pluriel.", "email": "",
            "website": "", "started": served_form(client, term, lang=lang)}
    data.update(overrides)
    return client.post(f"{lang}/termes/{term.slug}/signaler/", data)


def test_every_term_page_links_to_the_form_and_the_form_page_is_never_cached(client):
    term = publish_term()
    page = client.get(term.get_absolute_url()).content.decode()
    assert f'href="/termes/{term.slug}/signaler/"' in page and "Signaler une erreur" in page
    english = client.get("/en" + term.get_absolute_url()).content.decode()
    assert f'href="/en/termes/{term.slug}/signaler/"' in english and "Report an error" in english
    form = client.get(f"/termes/{term.slug}/signaler/")
    assert "no-cache" in form["Cache-Control"]
    # Each visit signs its own timer: the term page's copy shared by every reader holds none.
    assert served_form(client, term) != served_form(client, term)


def test_a_visitor_without_an_account_reports_an_error_that_reaches_the_moderators(client, moderator,
                                                                                    report_timer_off):
    term = publish_term()
    response = report(client, term, email="lectrice@example.org")
    assert response.status_code == 302 and response.url == term.get_absolute_url()
    saved = ErrorReport.objects.get()
    assert (saved.term, saved.version, saved.email, saved.language, saved.is_handled) == (
        term, 1, "lectrice@example.org", "fr", False)
    client.force_login(moderator)
    queue = client.get("/moderation/").content.decode()
    assert "Erreurs signalées (1)" in queue
    page = client.get("/moderation/signalements/").content.decode()
    assert "il manque le pluriel" in page and "Reçu le" in page and 'name="answer"' in page


def test_a_moderator_answers_by_e_mail_in_the_visitors_language_and_the_report_is_closed(
        client, moderator, report_timer_off, django_capture_on_commit_callbacks):
    term = publish_term()
    report(Client(), term, lang="/en", email="reader@example.org")
    saved = ErrorReport.objects.get()
    assert saved.language == "en"
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/moderation/signalements/{saved.pk}/",
                               {"answer": "Corrigé dans la version 2, merci."})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.is_handled and saved.handled_by == moderator and saved.answer == "Corrigé dans la version 2, merci."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Your report on" in message.subject and "metadata" in message.subject
    assert "Corrigé dans la version 2" in message.body and f"/en/termes/{term.slug}/" in message.body
    # Closed once: a second answer sends nothing and changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/signalements/{saved.pk}/", {"answer": "Encore."})
    saved.refresh_from_db()
    assert saved.answer == "Corrigé dans la version 2, merci." and len(mail.outbox) == 1
    assert "Aucun signalement en attente." in client.get("/moderation/signalements/").content.decode()


def test_a_report_without_an_address_is_closed_without_any_e_mail(client, moderator, report_timer_off,
                                                                   django_capture_on_commit_callbacks):
    term = publish_term()
    report(Client(), term)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/moderation/signalements/{ErrorReport.objects.get().pk}/", {"answer": ""})
    assert ErrorReport.objects.get().is_handled and mail.outbox == []


def test_only_moderators_see_and_handle_reports(client, contributor, report_timer_off):
    term = publish_term()
    report(Client(), term)
    assert client.get("/moderation/signalements/").status_code == 302
    client.force_login(contributor)
    assert client.get("/moderation/signalements/").status_code == 403
    pk = ErrorReport.objects.get().pk
    assert client.post(f"/moderation/signalements/{pk}/", {"answer": "x"}).status_code == 403
    assert not ErrorReport.objects.get().is_handled


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"message": "   "}, "message", "Ce champ est obligatoire."),
    ({"message": "x" * 2001}, "message", "2000 caractères"),
    ({"email": "pas-une-adresse"}, "email", "adresse e-mail valide"),
    ({"website": "https://spam.example"}, "website", "Ce champ doit rester vide."),
    ({"started": "forgé"}, "started", "Formulaire invalide"),
])
def test_bad_input_gets_a_clear_error_and_writes_nothing(client, report_timer_off, overrides, field, message):
    term = publish_term()
    response = report(client, term, **overrides)
    assert response.status_code == 400
    assert message in " ".join(str(error) for error in response.context["form"].errors[field])
    assert 'class="error-summary"' in response.content.decode()
    assert ErrorReport.objects.count() == 0


def test_a_report_sent_faster_than_a_person_types_is_refused_then_accepted_once_the_time_has_passed(
        client, settings):
    settings.REPORT_MIN_SECONDS = 3
    term = publish_term()
    served_at = time.time()
    with patch("django.core.signing.time.time", return_value=served_at):
        token = served_form(client, term)
    data = {"message": "Une coquille.", "email": "", "website": "", "started": token}
    with patch("django.core.signing.time.time", return_value=served_at + 1):
        refused = client.post(f"/termes/{term.slug}/signaler/", data)
    assert refused.status_code == 400 and "trop vite" in refused.content.decode()
    assert ErrorReport.objects.count() == 0
    with patch("django.core.signing.time.time", return_value=served_at + 4):
        assert client.post(f"/termes/{term.slug}/signaler/", data).status_code == 302
    # One page load, one report: the same form sent again is refused.
    with patch("django.core.signing.time.time", return_value=served_at + 5):
        again = client.post(f"/termes/{term.slug}/signaler/", data)
    assert again.status_code == 400 and "déjà servi" in again.content.decode()
    assert ErrorReport.objects.count() == 1


def test_reports_are_bounded_per_client_address(settings, report_timer_off):
    settings.ERROR_REPORTS_PER_CLIENT_PER_HOUR = 2
    term = publish_term()
    visitor = Client(REMOTE_ADDR="198.51.100.20")
    assert [report(visitor, term).status_code for _ in range(3)] == [302, 302, 429]
    assert "réessayez dans une heure" in report(visitor, term).content.decode()
    assert ErrorReport.objects.count() == 2
    assert report(Client(REMOTE_ADDR="198.51.100.21"), term).status_code == 302


def test_a_retired_or_unknown_term_takes_no_report(client, moderator, report_timer_off):
    from lexique import services
    term = publish_term(moderator=moderator)
    services.retire(term, by=moderator, reason="Doublon.")
    assert client.get(f"/termes/{term.slug}/signaler/").status_code == 404
    assert client.get("/termes/inconnu/signaler/").status_code == 404


def test_crawlers_are_kept_out_of_the_form(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /termes/*/signaler/" in lines and "Disallow: /en/termes/*/signaler/" in lines


def test_a_report_refused_by_the_rules_can_be_corrected_and_sent_with_the_same_form(client, report_timer_off):
    term = publish_term()
    token = served_form(client, term)
    data = {"message": "Un caractère de contrôle \x01 glissé.", "email": "", "website": "", "started": token}
    refused = client.post(f"/termes/{term.slug}/signaler/", data)
    assert refused.status_code == 400 and ErrorReport.objects.count() == 0
    assert "U+0001" in " ".join(refused.context["form"].errors["message"])
    data["message"] = "Une coquille."
    assert client.post(f"/termes/{term.slug}/signaler/", data).status_code == 302
