"""Model invariants: append-only revisions, normalised keys, published() and search()."""
import pytest
from django.db.models.deletion import ProtectedError

from lexique.core.text import initial, normalize, slug_for
from lexique.models import Revision, RevisionImmutableError, Term
from lexique.search.ranking import matching_terms
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db


def test_a_revisions_content_cannot_be_changed():
    revision = publish_term().current_revision
    revision.definition_fr = "Réécrit en douce."
    with pytest.raises(RevisionImmutableError):
        revision.save()
    assert Revision.objects.get(pk=revision.pk).definition_fr != "Réécrit en douce."


def test_a_revisions_content_cannot_be_changed_in_bulk():
    publish_term()
    with pytest.raises(RevisionImmutableError):
        Revision.objects.update(headword_fr="autre")
    with pytest.raises(RevisionImmutableError):
        Revision.objects.update(domain_slugs=["x"])
    assert Revision.objects.get().headword_fr == "métadonnées"


def test_a_revisions_review_may_be_recorded():
    publish_term()
    assert Revision.objects.update(review_comment="Noté") == 1


def test_revisions_are_never_deleted():
    term = publish_term()
    with pytest.raises(RevisionImmutableError):
        term.current_revision.delete()
    with pytest.raises(RevisionImmutableError):
        Revision.objects.all().delete()
    with pytest.raises(ProtectedError):
        Term.objects.filter(pk=term.pk).delete()
    assert Revision.objects.count() == 1


@pytest.mark.parametrize(
    "text, key",
    [("Écosystème", "ecosysteme"), ("déjà  vu", "deja vu"), ("Œuvre", "oeuvre"), ("droit d’auteur", "droit d'auteur"),
     # Marks beyond the Latin accents, a compatibility character and spaces other than ASCII ones.
     ("Zvonko Bušić҃", "zvonko busic"), ("ﬁlm  d’art ", "film d'art"), ("  Big   DATA	", "big data")],
)
def test_normalize_folds_case_accents_ligatures_and_spaces(text, key):
    assert normalize(text) == key


def test_accented_initials_are_filed_under_their_base_letter():
    assert (initial("Écosystème"), initial("œuvre"), initial("« EPUB »"), initial("3D")) == ("E", "O", "E", "#")


def test_slugs_are_readable():
    assert (slug_for("droit d’auteur"), slug_for("Œuvre numérique")) == ("droit-d-auteur", "oeuvre-numerique")


def test_search_ignores_accents_both_ways():
    publish_term(headword_fr="Numérique", definition_fr="Ce qui relève du code.")
    publish_term(headword_fr="deja vu", definition_fr="Sans accents à la saisie.")
    assert [t.headword_fr for t in matching_terms(Term.objects.published(), "numerique")] == ["Numérique"]
    assert [t.headword_fr for t in matching_terms(Term.objects.published(), "NUMÉRIQUE")] == ["Numérique"]
    assert [t.headword_fr for t in matching_terms(Term.objects.published(), "déjà vu")] == ["deja vu"]
    assert not matching_terms(Term.objects.published(), "   ").exists()


def test_terms_sort_by_their_normalised_headword():
    for headword in ("zone", "Écosystème", "économie", "données"):
        publish_term(headword_fr=headword)
    assert [t.headword_fr for t in Term.objects.published()] == ["données", "économie", "Écosystème", "zone"]


def test_a_revisions_content_cannot_be_changed_through_a_bare_translated_name():
    publish_term()
    with pytest.raises(RevisionImmutableError):
        Revision.objects.update(definition="Réécrit")
    assert Revision.objects.get().definition_fr == "Données qui *décrivent* une œuvre."
