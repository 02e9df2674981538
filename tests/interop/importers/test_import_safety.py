"""Files that try to make the server reach out or fail: refused with a clear report, never fetched, never a 500."""

import pytest

from lexique.interop.importers.readers import ImportFileError, read_entries
from tests.support.helpers import listening_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    """A real HTTP server on 127.0.0.1 that counts the requests it gets."""
    with listening_server(b'{"@context": {}}', "application/ld+json") as served:
        yield served


@pytest.mark.parametrize("context", ['"{url}/ctx"', '["{url}/ctx", {{}}]', '{{"@import": "{url}/ctx"}}'])
def test_a_json_ld_file_naming_a_remote_context_is_refused_and_nothing_is_fetched(listener, context):
    url, asked = listener
    document = ('{"@context": ' + context.format(url=url) + ', "@id": "https://example.org/c", '
                '"@type": "http://www.w3.org/2004/02/skos/core#Concept"}')
    with pytest.raises(ImportFileError, match="contexte distant"):
        read_entries(document.encode(), "jsonld")
    assert asked == []


def test_a_dtd_in_another_encoding_is_refused_too():
    document = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tbx [<!ENTITY e "x">]>\n'
                '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="fr">&e;</tbx>')
    with pytest.raises(ImportFileError, match="DTD"):
        read_entries(document.encode("utf-16"), "tbx")


def test_an_unreadable_position_is_reported_not_a_crash():
    document = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .
@prefix schema: <https://schema.org/> .
<https://example.org/termes/a/> a skos:Concept ; skos:prefLabel "a"@fr ; skos:definition "Une définition."@fr ;
    skosxl:altLabel [ skosxl:literalForm "b"@fr ; schema:position "abc" ] .
"""
    with pytest.raises(ImportFileError, match="Position « abc »"):
        read_entries(document.encode(), "ttl")
