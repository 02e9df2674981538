"""An edition published before the terminology files gave plain definitions, the licence and the complete SKOS
scheme (book rules 4) keeps its files as they were written then: built again, they give the same bytes."""
import json

import pytest
from lxml import etree
from rdflib import Graph
from rdflib.namespace import SKOS

from lexique.editions.services import publish_edition
from lexique.interop.exporters.skos import SkosJsonLdExporter, SkosTurtleExporter
from lexique.interop.exporters.tbx import TbxExporter
from lexique.interop.published import ExportOptions
from tests.support.exports_data import rich_lexicon
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://lexique.test"
    settings.MEDIA_ROOT = tmp_path / "media"


def edition_file(exporter_class, number, tmp_path):
    path = tmp_path / f"{number}-{exporter_class.name}.{exporter_class.extension}"
    exporter_class(ExportOptions(lang="bilingual", edition=number)).write(path)
    return path.read_bytes()


def test_an_edition_of_earlier_rules_keeps_its_markdown_and_its_skos_and_a_new_one_follows_the_new(
        tmp_path, monkeypatch):
    rich_lexicon()
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 3)
    publish_edition(number="1", note="", by=UserFactory(moderator=True))
    old_tbx = edition_file(TbxExporter, "1", tmp_path)
    assert b"*trouv\xc3\xa9*" in old_tbx and b"publicationStmt" not in old_tbx
    old_skos = Graph().parse(data=edition_file(SkosTurtleExporter, "1", tmp_path), format="turtle")
    assert not list(old_skos.objects(None, SKOS.hasTopConcept))
    assert list(old_skos.objects(None, SKOS.hiddenLabel))
    assert isinstance(json.loads(edition_file(SkosJsonLdExporter, "1", tmp_path)), list)

    monkeypatch.undo()
    publish_term(headword_fr="captation", definition_fr="Enregistrement d'un **spectacle**.")
    publish_edition(number="2", note="", by=UserFactory(moderator=True))
    new_tbx = edition_file(TbxExporter, "2", tmp_path)
    definitions = etree.fromstring(new_tbx).xpath("//t:descrip[@type='definition']/text()",
                                                  namespaces={"t": "urn:iso:std:iso:30042:ed-2"})
    assert "Enregistrement d'un spectacle." in definitions and not [text for text in definitions if "*" in text]
    assert b"publicationStmt" in new_tbx
    assert "@context" in json.loads(edition_file(SkosJsonLdExporter, "2", tmp_path))
    # The first edition's files, built again, are the same bytes.
    assert edition_file(TbxExporter, "1", tmp_path) == old_tbx
