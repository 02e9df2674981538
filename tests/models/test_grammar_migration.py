"""The migration that gave headwords their grammar as values keeps every revision's meaning: each free-text
category the values say exactly becomes them (the label printed is the same), any other text stays."""
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lexique.core.grammar import GRAMMAR_FIELD_NAMES, headword_grammar
from lexique.models import Revision, Term
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db
migration = importlib.import_module("lexique.migrations.0021_grammar_and_regions")


@pytest.fixture
def apps():
    """The models as the migration sees them (revisions are append-only through the site's own)."""
    return MigrationExecutor(connection).loader.project_state([("lexique", "0021_grammar_and_regions")]).apps


def as_before(apps, **categories):
    """Terms and their revisions as the migration found them: a free-text category, no values."""
    for headword, category in categories.items():
        term = publish_term(headword_fr=headword, headword_en=headword.upper() if headword != "sans" else "")
        for name, lookup in (("Term", {"pk": term.pk}), ("Revision", {"term_id": term.pk})):
            apps.get_model("lexique", name).objects.filter(**lookup).update(
                category=category, **dict.fromkeys(GRAMMAR_FIELD_NAMES, ""))


def test_categories_the_values_say_become_values_and_the_others_stay_word_for_word(apps):
    as_before(apps, balado="n. m.", diffuser="v.", sans="loc. n. f.", pluriel="n. m. pl.", sigle="sigle")
    labels = {revision.headword_fr: headword_grammar(revision, "fr") for revision in Revision.objects.all()}
    migration.parse_categories(apps, None)
    revisions = {revision.headword_fr: revision for revision in Revision.objects.all()}
    balado = revisions["balado"]
    assert (balado.category, balado.part_of_speech_fr, balado.gender_fr) == ("", "noun", "masculine")
    assert balado.part_of_speech_en == "noun" and headword_grammar(balado, "en") == "n."
    sans = revisions["sans"]
    assert (sans.part_of_speech_fr, sans.gender_fr, sans.part_of_speech_en) == ("noun_phrase", "feminine", "")
    assert (revisions["pluriel"].category, revisions["pluriel"].part_of_speech_fr) == ("n. m. pl.", "")
    assert revisions["sigle"].category == "sigle"
    # What readers see is what they saw, in the GDT's spelling ("loc. nom." for "loc. n.").
    after = {name: headword_grammar(revision, "fr") for name, revision in revisions.items()}
    assert after == {**labels, "sans": "loc. nom. f."}
    term = Term.objects.get(headword_fr="balado")
    assert (term.category, term.part_of_speech_fr, term.gender_fr) == ("", "noun", "masculine")


def test_going_back_writes_the_values_as_the_free_text_again(apps):
    as_before(apps, balado="n. m.", pluriel="n. m. pl.")
    migration.parse_categories(apps, None)
    migration.write_categories(apps, None)
    assert dict(Revision.objects.values_list("headword_fr", "category")) == {"balado": "n. m.", "pluriel": "n. m. pl."}
