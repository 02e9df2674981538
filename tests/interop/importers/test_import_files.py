"""Imports: proposals through the moderation queue, edits with a diff, the page, the command, and bad files
that get a clear report and write nothing."""
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lexique.interop.importers import ImportFileError, import_entries, read_entries
from lexique.models import Revision, Term
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import csv_file, row, upload


@pytest.mark.django_db
def test_each_entry_becomes_a_pending_proposal_and_nothing_is_published(moderator):
    data = csv_file([row("billetterie", headword_en="ticketing"), row("médiation", synonyms_admitted_fr="animation")])
    report = import_entries(entries=read_entries(data, "csv"), by=moderator)
    assert report.written and report.count("new") == 2
    pending = Revision.objects.pending().order_by("headword_fr")
    assert [revision.headword_fr for revision in pending] == ["billetterie", "médiation"]
    assert pending[1].synonyms == [{"text": "animation", "lang": "fr", "status": "admitted"}]
    assert not Term.objects.published().exists()


@pytest.mark.django_db
def test_an_existing_headword_becomes_an_edit_proposal_with_a_diff_and_is_not_overwritten(moderator):
    term = publish_term(headword_fr="métadonnées", definition_fr="Ancienne définition.")
    data = csv_file([row("métadonnées", "Nouvelle définition.")])
    report = import_entries(entries=read_entries(data, "csv"), by=moderator)
    outcome = report.outcomes[0]
    assert outcome.action == "edit" and "definition_fr" in outcome.diff
    term.refresh_from_db()
    assert term.definition_fr == "Ancienne définition."
    proposal = Revision.objects.pending().get()
    assert proposal.base_revision == term.current_revision


@pytest.mark.django_db
def test_an_entry_equal_to_the_published_version_makes_no_proposal(moderator):
    publish_term(headword_fr="métadonnées", headword_en="metadata", definition_fr="Données.", definition_en="Data.",
                 category="n. f. pl.")
    data = csv_file([row("métadonnées", "Données.", headword_en="metadata", definition_en="Data.",
                         category="n. f. pl.")])
    report = import_entries(entries=read_entries(data, "csv"), by=moderator)
    assert report.outcomes[0].action == "unchanged" and not Revision.objects.pending().exists()


@pytest.mark.django_db
def test_a_dry_run_reports_everything_and_writes_nothing(moderator):
    data = csv_file([row("billetterie"), row("médiation")])
    report = import_entries(entries=read_entries(data, "csv"), by=moderator, dry_run=True)
    assert report.count("new") == 2 and not report.written
    assert not Term.objects.exists()


@pytest.mark.django_db
def test_one_bad_entry_refuses_the_whole_file_and_says_where(moderator):
    data = csv_file([row("billetterie"), row("médiation", sources="Guide | year: deux mille")])
    report = import_entries(entries=read_entries(data, "csv"), by=moderator)
    assert not report.written and not Term.objects.exists()
    error = report.errors[0]
    assert error.where == "ligne 3" and any("sources" in message for message in error.messages)


@pytest.mark.django_db
def test_only_moderators_import(contributor):
    from lexique.services import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_entries(entries=read_entries(csv_file([row("billetterie")]), "csv"), by=contributor)


@pytest.mark.parametrize("data,file_format,expected", [
    ("headword_fr,definition_fr\r\nété,chaud\r\n".encode("latin-1"), "csv", "UTF-8"),
    (csv_file([{"headword_en": "x"}], columns=("headword_en", "category")), "csv", "headword_fr"),
    (csv_file([{"headword_fr": "x", "definition_fr": "y"}]).replace(b"headword_fr,", b"mot,"), "csv", "headword_fr"),
    (b'<?xml version="1.0"?><tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry>', "tbx", "ligne"),
    (b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
     b"<tbx xmlns='urn:iso:std:iso:30042:ed-2'>&lol2;</tbx>", "tbx", "entités"),
    (b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rdf:RDF "
     b"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>&x;</rdf:RDF>", "rdf", "entités"),
    (b"<martif type='TBX'><text/></martif>", "tbx", "text/body"),
    (b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> . <a> skos:prefLabel", "ttl", "RDF"),
    (b"", "csv", "colonnes"),
    (b"x", "docx", "Format"),
])
@pytest.mark.django_db
def test_a_bad_file_gets_a_clear_report(data, file_format, expected):
    with pytest.raises(ImportFileError) as refused:
        read_entries(data, file_format)
    assert expected.lower() in " ".join(refused.value.problems).lower()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    data = b"headword_fr,definition_fr\r\n" + b"x,y\r\n" * (50 * 1024 * 1024 // 5)
    with pytest.raises(ImportFileError) as refused:
        read_entries(data, "csv")
    assert "Mo" in refused.value.problems[0]


@pytest.mark.django_db
def test_a_million_rows_are_refused_past_the_entry_limit(settings):
    settings.LEXIQUE_IMPORT_MAX_BYTES = 64 * 1024 * 1024
    data = b"headword_fr,definition_fr\r\n" + b"x,y\r\n" * 1_000_000
    with pytest.raises(ImportFileError) as refused:
        read_entries(data, "csv")
    assert "50000" in refused.value.problems[0]


@pytest.mark.django_db
def test_the_import_page_previews_then_imports(client, moderator):
    client.force_login(moderator)
    url = reverse("lexique:import")
    assert client.get(url).status_code == 200
    data = csv_file([row("billetterie")])
    preview = client.post(url, {"fichier": upload(data, "glossaire.csv"), "mode": "proposals", "apercu": "1"})
    assert preview.status_code == 200 and "Aperçu" in preview.content.decode()
    assert not Term.objects.exists()
    done = client.post(url, {"fichier": upload(data, "glossaire.csv"), "mode": "proposals", "importer": "1"})
    assert done.status_code == 200 and Revision.objects.pending().count() == 1


@pytest.mark.django_db
def test_the_import_page_reports_a_bad_file_and_writes_nothing(client, moderator):
    client.force_login(moderator)
    response = client.post(reverse("lexique:import"), {
        "fichier": upload("headword_fr,definition_fr\r\nété,x\r\n".encode("latin-1"), "g.csv"), "mode": "proposals"})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    assert not Term.objects.exists()


@pytest.mark.django_db
def test_the_import_page_is_for_moderators_only(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("lexique:import")).status_code == 403


@pytest.mark.django_db
def test_the_import_command_proposes_or_refuses_with_the_reasons(tmp_path, moderator):
    good = tmp_path / "glossaire.csv"
    good.write_bytes(csv_file([row("billetterie")]))
    call_command("import_terms", str(good), "--user", moderator.username, "--dry-run")
    assert not Term.objects.exists()
    call_command("import_terms", str(good), "--user", moderator.username)
    assert Revision.objects.pending().count() == 1
    bad = tmp_path / "mauvais.tbx"
    bad.write_bytes(b"<tbx")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_terms", str(bad), "--user", moderator.username)
    with pytest.raises(CommandError):
        call_command("import_terms", str(good), "--user", UserFactory().username)


@pytest.mark.django_db
def test_a_tbx_file_lexique_wrote_in_its_earlier_namespace_is_still_read(tmp_path, settings):
    from lexique.interop.exporters.tbx import TbxExporter
    from tests.support.exports_data import rich_lexicon

    settings.MEDIA_ROOT = tmp_path / "media"
    rich_lexicon()
    path = tmp_path / "lexique.tbx"
    TbxExporter(TbxExporter.options()).write(path)
    current = path.read_bytes()
    earlier = current.replace(b"urn:iso:std:iso:30042:ed-2", b"urn:iso:std:iso:30042:ed:3.0")
    assert earlier != current
    entries = read_entries(current, "tbx")
    assert [entry.content for entry in read_entries(earlier, "tbx")] == [entry.content for entry in entries]
    assert [entry.slug for entry in entries] == ["decouvrabilite", "metadonnees", "nft"]


@pytest.mark.django_db
def test_a_tbx_file_in_another_namespace_is_refused_with_the_one_expected():
    data = b"<tbx xmlns='urn:iso:std:iso:30042:ed-1' type='TBX-Basic'><text><body/></text></tbx>"
    with pytest.raises(ImportFileError) as refused:
        read_entries(data, "tbx")
    assert "urn:iso:std:iso:30042:ed-1" in refused.value.problems[0]
    assert "urn:iso:std:iso:30042:ed-2" in refused.value.problems[0]
