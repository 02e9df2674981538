"""What an import promises a data steward: two designations are never merged, a field a file does not carry
is never emptied, the file imported is the file previewed, and repeated entries are named, not refused."""
import gettext
import hashlib
import unicodedata
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from translate.storage import tbx

from lexique.interop.importers import import_entries, read_entries
from lexique.interop.importers.service import NEW, Decisions
from lexique.interop.importers.uploads import SUBDIR
from lexique.models import Domain, Revision, Term
from lexique.platform import files
from tests.support.factories import DomainFactory, content, publish_term
from tests.support.helpers import csv_file, row, upload

pytestmark = pytest.mark.django_db

ISO_639_3 = Path("/usr/share/iso-codes/json/iso_639-3.json")


def _import(data: bytes, moderator, file_format: str = "csv", **options):
    return import_entries(entries=read_entries(data, file_format), by=moderator, **options)


# Identity -------------------------------------------------------------------------------------------------

def test_two_headwords_that_differ_by_an_accent_are_two_terms_with_two_slugs(moderator):
    report = _import(csv_file([row("Ache", "Langue du Paraguay."), row("Aché", "Autre langue.")]), moderator,
                     approve_now=True)
    assert report.written and [outcome.action for outcome in report.outcomes] == ["new", "new"]
    terms = {term.headword_fr: term for term in Term.objects.published()}
    assert set(terms) == {"Ache", "Aché"}
    assert terms["Ache"].slug != terms["Aché"].slug
    assert terms["Aché"].definition_fr == "Autre langue."

    again = _import(csv_file([row("Ache", "Langue du Paraguay."), row("Aché", "Autre langue.")]), moderator)
    assert [outcome.action for outcome in again.outcomes] == ["unchanged", "unchanged"]


def test_a_headword_like_a_published_one_is_a_question_for_the_moderator_never_decided_silently(moderator):
    ache = publish_term(headword_fr="Ache", headword_en="", definition_fr="Langue tupi-guarani.")
    data = csv_file([row("Aché", "Une autre langue.")])

    waiting = _import(data, moderator, approve_now=True)
    assert not waiting.written and [outcome.action for outcome in waiting.outcomes] == ["doubtful"]
    assert [candidate.slug for candidate in waiting.outcomes[0].candidates] == [ache.slug]
    assert Term.objects.count() == 1 and Revision.objects.count() == 1

    as_new = _import(data, moderator, approve_now=True, decisions=Decisions(matches={0: NEW}))
    assert as_new.written and as_new.outcomes[0].action == "new"
    ache.refresh_from_db()
    assert ache.definition_fr == "Langue tupi-guarani."
    assert Term.objects.published().get(headword_fr="Aché").slug != ache.slug


def test_the_moderator_may_say_a_doubtful_entry_is_the_published_term(moderator):
    kwa = publish_term(headword_fr="Kwa", headword_en="", definition_fr="Langue du Cameroun.")
    report = _import(csv_file([row("Kwa'", "Langue du Cameroun, autre graphie.")]), moderator, approve_now=True,
                     decisions=Decisions(matches={0: kwa.slug}))
    assert report.written and report.outcomes[0].action == "edit"
    kwa.refresh_from_db()
    assert (kwa.headword_fr, kwa.definition_fr) == ("Kwa'", "Langue du Cameroun, autre graphie.")


def test_an_identifier_column_names_the_term_whatever_its_headword(moderator):
    term = publish_term(headword_fr="métadonnées")
    report = _import(csv_file([row("métadonnée", "Au singulier.", slug=term.slug)]), moderator)
    assert report.outcomes[0].action == "edit"


def test_a_proposal_by_hand_of_a_headword_that_differs_by_an_accent_is_a_new_term(contributor):
    from lexique import services

    publish_term(headword_fr="Ache", definition_fr="Langue.")
    revision = services.propose_term(author=contributor, content={"headword_fr": "Aché", "definition_fr": "Autre."})
    assert revision.term.slug not in ("ache",) and revision.term.slug.startswith("ache-")


def _iso_639_3_tbx(names: list[tuple[str, str, str]]) -> bytes:
    """French language names with their English ones, written as TBX 2008 by translate-toolkit."""
    store = tbx.tbxfile(sourcelanguage="fr", targetlanguage="en")
    for french, english, code in names:
        unit = store.addsourceunit(french)
        unit.target = english
        unit.set_common_note(f"Langue de code ISO 639-3 {code}.", source=True)
    output = io.BytesIO()
    store.serialize(output)
    return output.getvalue()


def test_french_language_names_from_iso_codes_written_by_translate_toolkit_keep_every_designation(moderator):
    if not ISO_639_3.exists():
        pytest.skip("Debian's iso-codes is not installed")
    french = gettext.translation("iso_639-3", "/usr/share/locale", languages=["fr"])
    languages = json.loads(ISO_639_3.read_text())["639-3"]
    by_name: dict[str, tuple[str, str, str]] = {}
    for language in languages:
        name = unicodedata.normalize("NFC", french.gettext(language["name"]))
        by_name.setdefault(name, (name, language["name"], language["alpha_3"]))
    # The names whose letters another name shares ('ache' and 'aché'), and a hundred others beside them.
    from lexique.core.names import term_slug
    letters: dict[str, list[str]] = {}
    for name in by_name:
        letters.setdefault(term_slug(name), []).append(name)
    close = sorted(name for group in letters.values() if len(group) > 1 for name in group)
    assert len(close) >= 10, close
    chosen = close + sorted(set(by_name) - set(close))[:100]
    data = _iso_639_3_tbx([by_name[name] for name in chosen])
    assert b"<martif" in data

    report = _import(data, moderator, file_format="tbx", approve_now=True)
    assert report.written, [(o.headword, o.messages) for o in report.outcomes if o.messages]
    assert report.count("new") == len(chosen)
    published = list(Term.objects.published().values_list("headword_fr", "slug"))
    assert sorted(headword for headword, _slug in published) == sorted(chosen)
    assert len({slug for _headword, slug in published}) == len(chosen)


# Absent is not empty ----------------------------------------------------------------------------------------

def _rich_term():
    DomainFactory(slug="creation", name_fr="Création")
    publish_term(headword_fr="art numérique", definition_fr="Art fait avec le numérique.")
    return publish_term(
        headword_fr="métadonnées", definition_fr="Données sur des données.",
        examples_fr="Les *métadonnées* d'un album.", notes_fr="Souvent au pluriel.",
        synonyms=[{"text": "données descriptives", "lang": "fr", "status": "admitted"},
                  {"text": "meta-data", "lang": "en", "status": "not_recommended"}],
        sources=[{"title": "Glossaire", "url": "https://example.org/glossaire"}],
        domains=["creation"], related=["art-numerique"])


def test_a_file_with_two_columns_changes_two_fields_and_keeps_every_other(moderator):
    term = _rich_term()
    data = csv_file([row("métadonnées", "Données qui décrivent d'autres données.")],
                    columns=["headword_fr", "definition_fr"])
    report = _import(data, moderator, approve_now=True)
    assert report.written and report.outcomes[0].action == "edit"
    assert set(report.outcomes[0].diff) == {"definition_fr"}
    term.refresh_from_db()
    assert term.definition_fr == "Données qui décrivent d'autres données."
    assert term.examples_fr == "Les *métadonnées* d'un album." and term.notes_fr == "Souvent au pluriel."
    assert [s["text"] for s in term.synonyms] == ["données descriptives", "meta-data"]
    assert term.current_revision.related_slugs == ["art-numerique"]
    assert term.current_revision.domain_slugs == ["creation"]
    assert term.headword_en == "metadata" and len(term.current_revision.sources) == 1


def test_empty_cells_keep_the_published_text_unless_the_moderator_asks_to_clear_them(moderator):
    term = _rich_term()
    data = csv_file([row("métadonnées", "Données sur des données.", examples_fr="", notes_fr="Toujours au pluriel.")],
                    columns=["headword_fr", "definition_fr", "examples_fr", "notes_fr"])
    kept = _import(data, moderator, dry_run=True)
    assert kept.outcomes[0].kept_empty == ["examples_fr"] and set(kept.outcomes[0].diff) == {"notes_fr"}

    cleared = _import(data, moderator, approve_now=True, decisions=Decisions(clear_empty=True))
    assert set(cleared.outcomes[0].diff) == {"notes_fr", "examples_fr"}
    term.refresh_from_db()
    assert term.examples_fr == "" and term.notes_fr == "Toujours au pluriel."


def test_synonyms_of_one_language_leave_the_other_language_alone(moderator):
    term = _rich_term()
    data = csv_file([row("métadonnées", "Données sur des données.", synonyms_preferred_fr="métadonnée")],
                    columns=["headword_fr", "definition_fr", "synonyms_preferred_fr"])
    _import(data, moderator, approve_now=True)
    term.refresh_from_db()
    assert sorted((s["text"], s["lang"], s["status"]) for s in term.synonyms) == [
        ("meta-data", "en", "not_recommended"), ("métadonnée", "fr", "preferred")]


# Repeats ------------------------------------------------------------------------------------------------------

def test_an_exact_repeat_is_named_and_left_out_even_in_a_dry_run_on_an_empty_lexicon(moderator):
    data = csv_file([row("Viêt Nam", "Pays d'Asie."), row("Chili", "Pays."), row("Viêt Nam", "Pays d'Asie.")])
    preview = _import(data, moderator, dry_run=True)
    assert [outcome.action for outcome in preview.outcomes] == ["new", "new", "repeat"]
    assert "ligne 2" in preview.outcomes[2].messages[0]
    assert not preview.errors and not preview.questions
    report = _import(data, moderator)
    assert report.written and Revision.objects.pending().count() == 2


def test_repeats_that_differ_wait_for_the_moderator_to_choose_one(moderator):
    data = csv_file([row("Viêt Nam", "Pays d'Asie."), row("Viêt Nam", "État d'Asie du Sud-Est.")])
    waiting = _import(data, moderator)
    assert not waiting.written and [outcome.action for outcome in waiting.outcomes] == ["repeated", "repeat"]
    assert [where for _index, where in waiting.outcomes[0].repeats] == ["ligne 2", "ligne 3"]
    assert not Term.objects.exists()

    chosen = _import(data, moderator, decisions=Decisions(keep={0: 1}))
    assert chosen.written and [outcome.action for outcome in chosen.outcomes] == ["repeat", "new"]
    assert Revision.objects.pending().get().definition_fr == "État d'Asie du Sud-Est."


# Preview, then import exactly that -----------------------------------------------------------------------

def test_import_after_a_preview_imports_the_file_previewed(client, moderator, file_storage):
    client.force_login(moderator)
    url = reverse("lexique:import")
    data = csv_file([row("billetterie"), row("médiation")])
    preview = client.post(url, {"fichier": upload(data, "glossaire.csv"), "mode": "proposals", "apercu": "1"})
    assert preview.status_code == 200 and not Term.objects.exists()
    digest = preview.context["digest"]
    page = preview.content.decode()
    assert f'name="empreinte" value="{digest}"' in page and "Importer ce fichier" in page

    done = client.post(url, {"empreinte": digest, "format": "csv", "nom": "glossaire.csv", "mode": "proposals",
                             "importer": "1"})
    assert done.status_code == 200 and done.context["report"].written
    assert sorted(Revision.objects.pending().values_list("headword_fr", flat=True)) == ["billetterie", "médiation"]


def _previewed(client, moderator) -> str:
    """Preview a one-line file on the import page; the digest under which the site keeps it."""
    client.force_login(moderator)
    preview = client.post(reverse("lexique:import"), {"fichier": upload(csv_file([row("billetterie")]), "g.csv"),
                                                      "mode": "proposals", "apercu": "1"})
    return preview.context["digest"]


def test_a_file_no_longer_kept_is_said_so_and_nothing_is_imported(client, moderator, file_storage):
    digest = _previewed(client, moderator)
    files.delete(f"{SUBDIR}/{digest}.csv")
    gone = client.post(reverse("lexique:import"), {"empreinte": digest, "format": "csv", "mode": "proposals",
                                                   "importer": "1"})
    assert gone.status_code == 400 and "plus conservé" in gone.content.decode()
    assert not Term.objects.exists()


def test_a_kept_file_changed_since_the_preview_is_refused(client, moderator, file_storage):
    digest = _previewed(client, moderator)
    files.put_bytes(f"{SUBDIR}/{digest}.csv", csv_file([row("autre chose")]))
    changed = client.post(reverse("lexique:import"), {"empreinte": digest, "format": "csv", "mode": "proposals",
                                                      "importer": "1"})
    assert changed.status_code == 400 and "a changé" in changed.content.decode()
    assert not Term.objects.exists()


def test_the_page_carries_the_answers_to_the_import(client, moderator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ache = publish_term(headword_fr="Ache", definition_fr="Langue.")
    client.force_login(moderator)
    url = reverse("lexique:import")
    preview = client.post(url, {"fichier": upload(csv_file([row("Aché", "Autre langue.")]), "g.csv"),
                                "mode": "approve", "apercu": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200 and 'name="correspondance-0"' in page and f'value="{ache.slug}"' in page
    refused = client.post(url, {"empreinte": preview.context["digest"], "format": "csv", "mode": "approve",
                                "importer": "1"})
    assert refused.status_code == 400 and Term.objects.count() == 1
    done = client.post(url, {"empreinte": preview.context["digest"], "format": "csv", "mode": "approve",
                             "correspondance-0": NEW, "importer": "1"})
    assert done.status_code == 200 and Term.objects.published().count() == 2


def test_the_command_takes_the_answers(tmp_path, moderator):
    publish_term(headword_fr="Ache", definition_fr="Langue.")
    path = tmp_path / "langues.csv"
    path.write_bytes(csv_file([row("Aché", "Autre langue.")]))
    with pytest.raises(Exception, match="question"):
        call_command("import_terms", str(path), "--user", moderator.username, stdout=io.StringIO())
    call_command("import_terms", str(path), "--user", moderator.username, "--match", "1=new", stdout=io.StringIO())
    assert Revision.objects.pending().get().headword_fr == "Aché"


# Domains survive every round trip ----------------------------------------------------------------------------

DOMAINS = [  # in the site's order, which is neither the order of their slugs nor of their ids
    {"slug": "distribution", "name_fr": "Diffusion et distribution", "name_en": "Distribution",
     "description_fr": "Faire circuler les œuvres.\nEn ligne et en salle.", "description_en": "Getting works out."},
    {"slug": "creation", "name_fr": "Création", "name_en": "Creation",
     "description_fr": "Concevoir les œuvres.", "description_en": ""},
]


def _domains_as_they_are() -> list[dict[str, str]]:
    fields = ("slug", "name_fr", "name_en", "description_fr", "description_en")
    return [{name: getattr(domain, name) or "" for name in fields} for domain in Domain.objects.order_by("position", "slug")]


@pytest.mark.parametrize("name", ["csv", "tbx", "skos-ttl"])
def test_domains_come_whole_to_an_empty_lexicon_in_their_order(name, tmp_path, moderator):
    from django.db import transaction

    from lexique.interop.registry import EXPORTERS

    exporter_class = EXPORTERS[name]
    path = tmp_path / f"lexique.{exporter_class.extension}"
    with transaction.atomic():
        for position, domain in enumerate(DOMAINS, start=1):
            Domain.objects.create(position=position * 10, **domain)
        publish_term(headword_fr="diffusion en continu", domains=["creation", "distribution"])
        publish_term(headword_fr="billetterie", domains=["distribution"])
        publish_term(headword_fr="création numérique", domains=["creation"])
        exporter_class(exporter_class.options()).write(path)
        transaction.set_rollback(True)
    assert not Domain.objects.exists()

    report = _import(path.read_bytes(), moderator, file_format=exporter_class.extension, approve_now=True)
    assert report.written and report.domains_created == ["distribution", "creation"]
    assert _domains_as_they_are() == DOMAINS
    assert list(Term.objects.get(headword_fr="diffusion en continu").domains.values_list("slug", flat=True)) \
        == ["distribution", "creation"]


def test_a_subject_field_named_by_another_tool_is_the_domain_of_that_name_and_no_slug_changes(moderator):
    Domain.objects.create(**DOMAINS[0])
    store = tbx.tbxfile(sourcelanguage="fr", targetlanguage="en")
    unit = store.addsourceunit("billetterie")
    unit.target = "ticketing"
    unit.set_common_note("Vente des billets.", source=True)
    output = io.BytesIO()
    store.serialize(output)
    data = output.getvalue().replace(b"<langSet", b'<descrip type="subjectField">diffusion et distribution</descrip><langSet', 1)
    report = _import(data, moderator, file_format="tbx", approve_now=True)
    assert report.written and report.domains_created == []
    assert list(Domain.objects.values_list("slug", flat=True)) == ["distribution"]
    assert Revision.objects.get(headword_fr="billetterie").domain_slugs == ["distribution"]


def test_every_imported_revision_names_the_file_it_came_from(tmp_path, moderator):
    path = tmp_path / "glossaire.csv"
    path.write_bytes(csv_file([row("billetterie")]))
    call_command("import_terms", str(path), "--user", moderator.username, "--summary", "Glossaire du CALQ",
                 stdout=io.StringIO())
    summary = Revision.objects.get().summary
    assert summary == f"Glossaire du CALQ — glossaire.csv (SHA-256 {hashlib.sha256(path.read_bytes()).hexdigest()})"


def test_a_preview_names_related_terms_and_synonym_labels_as_readers_do(client, moderator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    publish_term(**content(headword_fr="données liées", headword_en="linked data"))
    publish_term(**content())
    client.force_login(moderator)
    data = csv_file([row("métadonnées", "Données qui décrivent une œuvre.", slug="metadonnees",
                         synonyms_not_recommended_fr="métadata", related="donnees-liees")])
    page = client.post(reverse("lexique:import"), {"fichier": upload(data, "g.csv"), "mode": "proposals",
                                                   "apercu": "1"}).content.decode()
    assert "<ins>données liées</ins>" in page and "donnees-liees</ins>" not in page
    # (The reading of the columns, below the entries, names each column's field by its identifier too.)
    entries = page.split('class="import-columns"')[0]
    assert "<ins>métadata (français, déconseillé)</ins>" in entries and "not_recommended" not in entries
