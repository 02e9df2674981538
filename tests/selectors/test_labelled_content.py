"""What diffs and reviews call a term's content: languages and statuses in the reader's language."""
import pytest
from django.utils import translation

from lexique import selectors
from tests.support.factories import content, publish_term

pytestmark = pytest.mark.django_db


def test_a_synonyms_language_and_status_are_both_named_in_the_readers_language():
    term = publish_term(**content(synonyms=[{"text": "NFT", "lang": "en", "status": "admitted"}]))
    with translation.override("fr"):
        assert selectors.labelled_content(term.current_revision)["synonyms"] == ["NFT (anglais, admis)"]
    with translation.override("en"):
        assert selectors.labelled_content(term.current_revision)["synonyms"] == ["NFT (English, admitted)"]
