"""TBX-Basic 2008 (`martif`), for translation tools: translate-toolkit reads every entry of it and its tbx2po
writes every term; both TBX files give definitions as plain text and the content's licence."""
import subprocess
import sys

import pytest
from lxml import etree
from translate.storage import pypo, tbx

from lexique.interop.exporters.tbx import DEFINITION_NOTE, Tbx2008Exporter, TbxExporter
from lexique.interop.importers import read_entries
from lexique.interop.registry import API_FILES, EXPORTERS
from lexique.models import Term
from tests.support.export_fixtures import exported_file
from tests.support.exports_data import cited_lexicon, rich_lexicon

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://lexique.test"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_2008_file_is_a_format_of_its_own_served_as_terms_2008_tbx():
    assert EXPORTERS["tbx-2008"] is Tbx2008Exporter
    assert API_FILES["terms-2008.tbx"] is Tbx2008Exporter
    assert Tbx2008Exporter.download_stem != TbxExporter.download_stem


def test_translate_toolkit_reads_every_entry_with_both_languages_and_every_synonym(tmp_path):
    terms = list(cited_lexicon())
    store = tbx.tbxfile.parsestring(exported_file(Tbx2008Exporter, tmp_path).read_bytes())
    units = {unit.source: unit for unit in store.units}
    assert sorted(units) == sorted(term.headword_fr for term in terms)
    for term in terms:
        assert (units[term.headword_fr].target or "") == (term.headword_en or "")
    found = units["découvrabilité"]
    statuses = {term.text: term.administrative_status for term in found.get_source_terms()}
    assert statuses["discoverabilité"] == "deprecatedTerm-admn-sts"
    assert statuses["repérabilité"] == "preferredTerm-admn-sts"
    assert [term.text for term in found.get_target_terms()] == ["discoverability", "findability"]


def test_tbx2po_writes_every_term_with_its_translation(tmp_path):
    terms = list(rich_lexicon())
    source = exported_file(Tbx2008Exporter, tmp_path)
    target = tmp_path / "lexique.po"
    subprocess.run([sys.executable, "-m", "translate.convert.tbx2po", str(source), str(target)], check=True,
                   capture_output=True, timeout=120)
    assert target.stat().st_size > 0
    catalogue = pypo.pofile.parsefile(str(target))
    assert {unit.source: unit.target for unit in catalogue.units if not unit.isheader()} == {
        term.headword_fr: term.headword_en or "" for term in terms}


@pytest.mark.parametrize("exporter_class", [TbxExporter, Tbx2008Exporter])
def test_both_tbx_files_give_plain_definitions_and_the_licence(exporter_class, tmp_path):
    rich_lexicon()
    root = etree.parse(str(exported_file(exporter_class, tmp_path))).getroot()
    definitions = [element.text for element in root.iter() if etree.QName(element).localname == "descrip"
                   and element.get("type") == "definition"]
    assert "Capacité d'un contenu à être trouvé parmi d'autres.\n\n- en ligne\n- en salle" in definitions
    assert not [text for text in definitions if "*" in text]
    header = [element.text for element in root.iter() if etree.QName(element).localname == "p"]
    assert "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)" in header
    # The Markdown, which says more than the text, follows in a note an import reads back.
    notes = [element.text for element in root.iter() if etree.QName(element).localname == "note"]
    assert DEFINITION_NOTE + "How easily content is *found* among others." in notes


def test_the_2008_file_reads_back_with_its_identifiers_markdown_and_domains(tmp_path):
    # The whole round trip (export, import into an empty site, export again) is tests/interop/importers/
    # test_import_roundtrip.py's, for every format.
    published = {term.slug: term.current_revision.content() for term in rich_lexicon()}
    entries = read_entries(exported_file(Tbx2008Exporter, tmp_path).read_bytes(), "tbx")
    assert [entry.slug for entry in entries] == list(published)
    for entry in entries:
        assert entry.content["definition_fr"] == published[entry.slug]["definition_fr"]
    assert {slug: facts.name_en for entry in entries for slug, facts in entry.domain_names.items()} == {
        "diffusion": "Distribution", "patrimoine": "Heritage"}
    assert Term.objects.published().count() == 3
