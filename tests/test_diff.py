"""Word diffs between revisions."""
from lexique.diff import revision_diff, word_diff


def test_a_word_diff_marks_only_the_changed_words():
    assert word_diff("Données qui décrivent une œuvre.", "Données qui présentent une œuvre.") == [
        ("equal", "Données qui "),
        ("delete", "décrivent"),
        ("insert", "présentent"),
        ("equal", " une œuvre."),
    ]


def test_joining_each_side_of_a_word_diff_gives_back_the_texts():
    old, new = "un deux  trois\nquatre", "un trois quatre cinq"
    chunks = word_diff(old, new)
    assert "".join(text for op, text in chunks if op != "insert") == old
    assert "".join(text for op, text in chunks if op != "delete") == new


def test_a_revision_diff_lists_only_the_fields_that_changed():
    old = {"headword_fr": "métadonnées", "definition_fr": "A", "domains": ["creation"]}
    new = {"headword_fr": "métadonnées", "definition_fr": "B", "domains": ["creation", "conservation"]}
    assert set(revision_diff(old, new)) == {"definition_fr", "domains"}
    assert revision_diff(None, {"headword_fr": "x"}) == {"headword_fr": [("insert", "x")]}
