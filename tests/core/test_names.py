"""Names that cannot deceive: headwords, synonyms and usernames in NFC, nothing hidden, no lookalikes."""
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from lexique import services

from lexique.core import names
from lexique.services import tokens
from lexique.web.forms import SIGNUP_SALT, SignUpForm
from lexique.models import Revision, Term
from tests.support.factories import UserFactory, content, publish_term

ZERO_WIDTH = "\u200b\u200b\u200b"
CYRILLIC_E = "\u0435"  # looks like the Latin 'e'
RIGHT_TO_LEFT_OVERRIDE = "\u202e"


@pytest.mark.parametrize("typed, stored", [
    ("me\u0301tadonne\u0301es", "métadonnées"),  # 'e' + combining accent: one name with 'é'
    ("  œuvre  ", "œuvre"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # the non-joiner a Persian word needs
    ("👩\u200d💻", "👩\u200d💻"),  # an emoji sequence joined by a zero-width joiner
    ("数字化", "数字化"),
])
def test_a_name_is_kept_in_nfc_with_the_joiners_that_scripts_need(typed, stored):
    assert names.clean_name(typed) == stored


@pytest.mark.parametrize("name", [
    ZERO_WIDTH, "\ufeff", "\u2060", "\u3164", "\u2800 \u2800", "\u0301",
    f"abc{RIGHT_TO_LEFT_OVERRIDE}fdp.exe", "a\u2066b\u2069", "\u200fmot", "mot\u00adclé", "zéro\u200blargeur",
    "\u200dmot", "mot\u200c", "\ue000mot",
])
def test_invisible_names_and_hidden_or_direction_characters_are_refused(name):
    with pytest.raises(ValidationError):
        names.clean_name(name)


def test_a_skeleton_sees_through_letters_of_other_scripts():
    assert names.skeleton(f"m{CYRILLIC_E}tadonnées") == names.skeleton("Métadonnées") == "metadonnees"
    assert names.is_deceptive(f"m{CYRILLIC_E}tadonnées") and not names.is_deceptive("métadonnées")
    assert not names.is_deceptive("数字化") and not names.is_deceptive("Москва")


@pytest.mark.parametrize("headword", ["数字化", "إبداع", "デジタル化", "2", "数字化 2"])
def test_headwords_in_other_scripts_get_a_slug_of_their_own(headword):
    slug = names.term_slug(headword)
    assert slug and slug != "terme" and slug == names.term_slug(headword)
    assert slug != names.term_slug(headword + "s")


def test_latin_headwords_keep_their_readable_slug():
    assert names.term_slug("Œuvre numérique") == "oeuvre-numerique"
    assert names.term_slug("droit d’auteur") == "droit-d-auteur"


@pytest.mark.django_db
class TestHeadwordsAndSynonyms:
    def test_a_headword_of_zero_width_spaces_is_refused_and_writes_nothing(self, contributor):
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=contributor, content=content(headword_fr=ZERO_WIDTH))
        assert "headword_fr" in error.value.message_dict
        assert not Term.objects.exists() and not Revision.objects.exists()

    def test_headwords_without_latin_letters_do_not_collide_on_one_slug(self, contributor):
        first = services.propose_term(author=contributor, content=content(headword_fr="数字化"))
        second = services.propose_term(author=contributor, content=content(headword_fr="デジタル化"))
        assert first.term.slug != second.term.slug
        assert "terme" not in (first.term.slug, second.term.slug)
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=UserFactory(), content=content(headword_fr="数字化"))
        assert "attend les modérateurs" in error.value.message_dict["headword_fr"][0]

    def test_a_headword_with_a_cyrillic_letter_beside_the_latin_one_is_refused(self, contributor):
        publish_term(headword_fr="métadonnées")
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=contributor, content=content(headword_fr=f"m{CYRILLIC_E}tadonnées"))
        assert "se confond avec « métadonnées »" in error.value.message_dict["headword_fr"][0]
        assert Term.objects.count() == 1

    def test_an_english_headword_or_a_synonym_that_imitates_another_terms_name_is_refused(self, contributor):
        publish_term(headword_fr="métadonnées", headword_en="metadata",
                     synonyms=[{"text": "données descriptives", "lang": "fr", "status": "admitted"}])
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=contributor, content=content(
                headword_fr="catalogue", headword_en=f"m{CYRILLIC_E}tadata",
                synonyms=[{"text": f"donné{CYRILLIC_E}s descriptives", "lang": "fr"}],
            ))
        assert set(error.value.message_dict) == {"headword_en", "synonyms"}

    def test_a_headword_with_a_direction_override_is_refused(self, contributor):
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=contributor, content=content(headword_fr=f"balado{RIGHT_TO_LEFT_OVERRIDE}"))
        assert "U+202E" in error.value.message_dict["headword_fr"][0]
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=contributor, content=content(
                synonyms=[{"text": f"{RIGHT_TO_LEFT_OVERRIDE}podcast", "lang": "en"}]))
        assert "U+202E" in error.value.message_dict["synonyms"][0]

    def test_a_headword_typed_with_combining_accents_is_stored_in_nfc_and_is_a_duplicate(self, contributor):
        publish_term(headword_fr="métadonnées")
        with pytest.raises(services.ValidationError) as error:
            services.propose_term(author=contributor, content=content(headword_fr="me\u0301tadonne\u0301es"))
        assert "existe déjà" in error.value.message_dict["headword_fr"][0]
        revision = services.propose_term(author=contributor, content=content(headword_fr="donne\u0301es"))
        assert revision.headword_fr == "données" and revision.term.slug == "donnees"

    def test_an_edit_keeps_the_terms_own_names(self, contributor):
        term = publish_term(headword_fr="métadonnées", headword_en="metadata")
        edit = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content=content(definition_fr="Autre définition."))
        assert edit.headword_fr == "métadonnées"

    def test_the_api_refuses_hidden_and_lookalike_headwords_with_a_400(self, contributor):
        publish_term(headword_fr="métadonnées")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(contributor)[1]}")
        for headword in (ZERO_WIDTH, f"m{CYRILLIC_E}tadonnées", f"x{RIGHT_TO_LEFT_OVERRIDE}y"):
            response = client.post("/api/v1/proposals/", content(headword_fr=headword), format="json")
            assert response.status_code == 400, (headword, response.json())
            assert "headword_fr" in response.json()["errors"]
        assert Revision.objects.count() == 1

    def test_the_proposal_page_shows_the_lookalike_error_on_the_headword(self, client, contributor):
        publish_term(headword_fr="métadonnées")
        client.force_login(contributor)
        response = client.post(reverse("lexique:propose"), {
            "headword_fr": f"m{CYRILLIC_E}tadonnées", "definition_fr": "Une copie.", "submit": "1",
        })
        assert response.status_code == 200
        assert "se confond avec" in response.content.decode()
        assert Revision.objects.count() == 1


def signup_form(username):
    return SignUpForm(data={
        "username": username, "email": f"{secrets.token_hex(4)}@example.org",
        "password1": "Une-phrase-longue-42", "password2": "Une-phrase-longue-42", "website": "",
        "started": signing.dumps({"nonce": secrets.token_urlsafe(8)}, salt=SIGNUP_SALT),
    })


@pytest.mark.django_db
class TestUsernames:
    @pytest.fixture(autouse=True)
    def demo_accounts(self):
        UserFactory(username="contributeur")
        UserFactory(username="moderatrice")

    @pytest.mark.parametrize("username", ["Contributeur", "MODERATRICE", f"mod{CYRILLIC_E}ratrice",
                                          f"CONTRIBUT{chr(0x0415)}UR"])
    def test_a_username_that_differs_only_by_case_or_script_from_an_account_is_refused(self, username):
        form = signup_form(username)
        assert not form.is_valid()
        assert "username" in form.errors, form.errors

    def test_a_new_username_is_accepted_in_nfc(self):
        form = signup_form("Andre\u0301e")
        form.is_valid()
        assert "username" not in form.errors
        assert form.cleaned_data["username"] == "Andrée"

    def test_the_sign_up_page_says_the_name_is_taken(self, client):
        response = client.post(reverse("lexique:signup"), signup_form("Moderatrice").data)
        assert "Ce nom d&#x27;utilisateur est déjà pris." in response.content.decode()
        assert get_user_model().objects.count() == 2
