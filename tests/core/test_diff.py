"""Word diffs between revisions: readable, exact, fast whatever the input, cached per pair of revisions."""
import time

import pytest
from django.core.cache import cache

from lexique import services
from lexique.core.diff import CACHE_PREFIX, DiffBudget, revision_diff, word_diff
from tests.support.factories import UserFactory, content, publish_term

# A published definition of 5,000 characters, as an attacker would pick one.
DEFINITION = ("Les métadonnées décrivent une œuvre, son auteur et ses droits. " * 80)[:5000]


def sides(chunks):
    old = "".join(text for op, text in chunks if op != "insert")
    new = "".join(text for op, text in chunks if op != "delete")
    return old, new


def test_a_word_diff_marks_only_the_changed_words():
    assert word_diff("Données qui décrivent une œuvre.", "Données qui présentent une œuvre.") == [
        ("equal", "Données qui "),
        ("delete", "décrivent"),
        ("insert", "présentent"),
        ("equal", " une œuvre."),
    ]


def test_inserted_and_deleted_words_keep_their_own_spaces():
    assert word_diff("un deux trois", "un deux et trois") == [
        ("equal", "un deux "), ("insert", "et "), ("equal", "trois"),
    ]


@pytest.mark.parametrize("old, new", [
    ("un deux  trois\nquatre", "un trois quatre cinq"),
    ("", "tout est nouveau"),
    ("tout disparaît", ""),
    ("  espaces au début et à la fin  ", " espaces au début, pas à la fin"),
    ("x " * 300, "x y " * 150),
    ("a a a b a a a", "a a b a a a a b"),
    ("数字化 转型 数字化", "数字化 文化 转型"),
    ("œuvre 🎭 café\u0301 naïve", "oeuvre 🎭 café naïve ✨"),
    ("\U0001F600" * 50, "\U0001F600" * 49 + "\U0001F601"),
    ("mot" * 2000, "mot" * 1999 + "mots"),
    ("ligne un\n\nligne deux\n", "ligne un\nligne deux et trois\n\n"),
])
def test_joining_each_side_of_a_word_diff_gives_back_the_texts(old, new):
    chunks = word_diff(old, new)
    assert sides(chunks) == (old, new)
    assert all(op in ("equal", "delete", "insert") and text for op, text in chunks)


def test_consecutive_chunks_never_share_an_operation():
    chunks = word_diff("a b c d e f g", "a x c y e z g")
    assert all(first[0] != second[0] for first, second in zip(chunks, chunks[1:]))


def test_repeated_words_against_a_long_definition_take_a_bounded_time():
    # The old difflib diff took 3 s on these 800 characters, and grew with their cube.
    start = time.perf_counter()
    chunks = word_diff(DEFINITION[:800], "x " * 400)
    assert time.perf_counter() - start < 0.5
    assert sides(chunks) == (DEFINITION[:800], "x " * 400)


def test_past_its_budget_the_diff_shows_the_changed_middle_deleted_then_inserted():
    old, new = "début " + "a b " * 200 + "fin", "début " + "b a " * 200 + "fin"
    assert word_diff(old, new, budget=1e-9) == [
        ("equal", "début "),
        ("delete", "a b " * 200),
        ("insert", "b a " * 200),
        ("equal", "fin"),
    ]


def test_a_revision_diff_lists_only_the_fields_that_changed():
    old = {"headword_fr": "métadonnées", "definition_fr": "A", "domains": ["creation"]}
    new = {"headword_fr": "métadonnées", "definition_fr": "B", "domains": ["creation", "conservation"]}
    assert set(revision_diff(old, new)) == {"definition_fr", "domains"}
    assert revision_diff(None, {"headword_fr": "x"}) == {"headword_fr": [("insert", "x")]}


@pytest.mark.django_db
def test_the_diff_between_two_revisions_is_cached_under_both_ids_and_the_field():
    cache.clear()
    term = publish_term(definition_fr="Version un.")
    base = term.current_revision
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                 content=content(definition_fr="Version deux."))
    first = revision_diff(base, edit)
    cached = cache.get_many([
        f"{CACHE_PREFIX}:{base.pk}.{base.created_at.timestamp():.6f}:{edit.pk}.{edit.created_at.timestamp():.6f}:"
        "definition_fr"
    ])
    assert list(cached.values()) == [[("equal", "Version "), ("delete", "un."), ("insert", "deux.")]]
    assert revision_diff(base, edit) == first
    cache.clear()


@pytest.mark.django_db
def test_a_cached_diff_is_never_served_for_other_revisions_with_the_same_ids():
    cache.clear()
    term = publish_term(definition_fr="Version un.")
    base = term.current_revision
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                 content=content(definition_fr="Version deux."))
    revision_diff(base, edit)
    # The same ids in a database recreated while the cache lived on: the creation time differs.
    edit.created_at = edit.created_at.replace(year=edit.created_at.year - 1)
    edit.definition_fr = "Version trois."
    assert revision_diff(base, edit)["definition_fr"] == [("equal", "Version "), ("delete", "un."),
                                                          ("insert", "trois.")]
    cache.clear()


@pytest.mark.django_db
def test_a_proposal_of_repeated_words_against_a_long_definition_is_answered_quickly(client):
    # The reported attack: 90 s for one GET of the proposal by its author.
    cache.clear()
    author = UserFactory()
    term = publish_term(definition_fr=DEFINITION)
    edit = services.propose_edit(term=term, author=author, base_revision=term.current_revision,
                                 content=content(definition_fr="x " * 1500))
    client.force_login(author)
    start = time.perf_counter()
    response = client.get(f"/api/v1/proposals/{edit.pk}/")
    assert response.status_code == 200
    assert time.perf_counter() - start < 2
    chunks = [(chunk["op"], chunk["text"]) for chunk in response.json()["diff"]["definition_fr"]]
    assert sides(chunks) == (DEFINITION, ("x " * 1500).strip())
    cache.clear()


def test_a_list_is_diffed_item_by_item_never_word_by_word():
    old = {"related": ["art numérique", "commerce électronique"]}
    new = {"related": ["art numérique", "numérique"]}
    assert revision_diff(old, new)["related"] == [
        ("equal", "art numérique"), ("delete", "commerce électronique"), ("insert", "numérique")]


def test_fields_diffed_past_a_shared_budget_are_shown_coarse_at_once():
    old = {"definition_fr": "un deux trois quatre", "notes_fr": "alpha beta gamma"}
    new = {"definition_fr": "un deux TROIS quatre", "notes_fr": "alpha BETA gamma"}
    spent = DiffBudget(0)
    changes = revision_diff(old, new, budget=spent)
    assert spent.exhausted
    # Common words at both ends kept, the middle replaced whole: correct, only coarser.
    assert changes["definition_fr"] == [("equal", "un deux "), ("delete", "trois "), ("insert", "TROIS "),
                                        ("equal", "quatre")]
    assert revision_diff(old, new, budget=DiffBudget()) == revision_diff(old, new)
