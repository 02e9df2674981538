"""A new contributor signs up, confirms their address from the e-mail's link, and proposes a first term, in
French and in English."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from lexique.models import Revision

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "fr": {"prefix": "", "signup": "Créer mon compte", "welcome": "Bienvenue", "propose": "Proposer un terme",
           "confirm_first": "Confirmez d'abord", "confirm": "Confirmer mon adresse", "send": "Envoyer aux modérateurs",
           "thanks": "Merci", "headword_fr": "Vedette (français)", "headword_en": "Vedette (anglais)",
           "definition_fr": "Définition (français)", "definition_en": "Définition (anglais)",
           "username": "Nom d", "email": "Adresse courriel"},
    "en": {"prefix": "/en", "signup": "Create my account", "welcome": "Welcome", "propose": "Propose a term",
           "confirm_first": "Confirm your email address first", "confirm": "Confirm my address",
           "send": "Send to the moderators", "thanks": "Thank you", "headword_fr": "Headword (French)",
           "headword_en": "Headword (English)", "definition_fr": "Definition (French)",
           "definition_en": "Definition (English)", "username": "Username", "email": "Email address"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sign_up_confirm_the_address_from_the_e_mail_then_propose(new_page, check_page, signup_timer_off, lang):
    words = WORDS[lang]
    page = new_page()
    page.goto(f"{words['prefix']}/comptes/inscription/")
    page.get_by_label(re.compile(words["username"])).fill(f"camille-{lang}")
    page.get_by_label(words["email"]).fill(f"camille-{lang}@example.org")
    page.locator("#id_password1").fill("Une-phrase-longue-42")
    page.locator("#id_password2").fill("Une-phrase-longue-42")
    page.get_by_role("button", name=words["signup"]).click()
    expect(page.locator(".messages")).to_contain_text(words["welcome"])

    # Before confirming, the proposal page asks for the address to be confirmed.
    page.goto(f"{words['prefix']}/proposer/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["confirm_first"])

    (message,) = [message for message in mail.outbox if message.to == [f"camille-{lang}@example.org"]]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = re.search(r"https://[^/\s]+(/(?:en/)?comptes/confirmation/\S+/)", message.body).group(1)
    assert path.startswith(f"{words['prefix']}/comptes/confirmation/")
    page.goto(path)
    check_page(page, f"confirm-email-{lang}")
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.locator(".messages")).to_contain_text(f"camille-{lang}@example.org")
    check_page(page, f"account-confirmed-{lang}")  # the account page, with its e-mail choices

    page.goto(f"{words['prefix']}/proposer/")
    page.get_by_label(words["headword_fr"]).fill(f"médiation numérique {lang}")
    page.get_by_label(words["headword_en"]).fill(f"digital mediation {lang}")
    page.get_by_label(words["definition_fr"]).fill("Actions qui relient les publics aux œuvres par le numérique.")
    page.get_by_label(words["definition_en"]).fill("Activities linking audiences and works through digital means.")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator(".messages")).to_contain_text(words["thanks"])
    assert Revision.objects.filter(author__username=f"camille-{lang}", headword_fr=f"médiation numérique {lang}") \
        .exists()
