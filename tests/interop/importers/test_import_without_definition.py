"""Entries without a definition (a translator's glossary of terms and equivalents): kept as proposals that say the
definition is missing; the lexicon's policy (LEXIQUE_MISSING_DEFINITION) publishes them as equivalence-only entries
or keeps them for contributors to complete. Pages and every format cope with a term without a definition."""
import pytest
from django.urls import reverse
from lxml import etree

from lexique import services
from lexique.interop.importers import import_entries, read_entries
from lexique.interop.published import ExportOptions
from lexique.interop.registry import EXPORTERS
from lexique.models import Revision, Term
from tests.interop.exporters.test_export_formats import tbx_schema
from tests.interop.importers.test_import_real_files import GLOSSARY, glossary_without_definitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish_policy(settings):
    settings.LEXIQUE_MISSING_DEFINITION = "publish"


def imported(moderator, *, approve_now=True):
    return import_entries(entries=read_entries(glossary_without_definitions(), "tbx"), by=moderator,
                          approve_now=approve_now)


def test_by_default_an_entry_without_definition_waits_and_cannot_be_approved(moderator):
    report = imported(moderator, approve_now=False)
    assert report.written and report.count_new == len(GLOSSARY)
    assert "proposition en attente" in report.outcomes[0].messages[-1]
    proposal = Revision.objects.get(headword_fr="billetterie")
    with pytest.raises(services.WorkflowError, match="Définition manquante"):
        services.approve(proposal, by=moderator)
    assert not Term.objects.published().exists()


def test_contributors_still_propose_with_a_definition(contributor):
    with pytest.raises(services.ValidationError) as error:
        services.propose_term(author=contributor, content={"headword_fr": "billetterie", "headword_en": "ticketing"})
    assert "definition_fr" in error.value.message_dict


def test_the_publish_policy_publishes_equivalence_only_entries(moderator, publish_policy):
    report = imported(moderator)
    assert report.written and report.count_missing_definition == len(GLOSSARY)
    assert "entrée d'équivalence" in report.outcomes[0].messages[-1]
    assert sorted(Term.objects.published().values_list("headword_en", flat=True)) == \
        sorted(english for _french, english in GLOSSARY)


def test_the_term_page_says_the_definition_is_missing_and_invites_one(client, moderator, publish_policy):
    imported(moderator)
    term = Term.objects.get(headword_fr="billetterie")
    page = client.get(reverse("lexique:term", args=[term.slug])).content.decode()
    assert "pas encore de définition" in page
    assert reverse("lexique:propose-edit", args=[term.slug]) in page


def test_every_format_writes_a_term_without_definition(moderator, publish_policy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    imported(moderator)
    for name, exporter_class in EXPORTERS.items():
        path = tmp_path / f"out-{name}.{exporter_class.extension}"
        options = exporter_class.options() if hasattr(exporter_class, "options") else ExportOptions(lang="bilingual" if name == "epub" else "fr")
        exporter_class(options).write(path)
        assert path.stat().st_size > 0, name
    document = etree.parse(str(tmp_path / "out-tbx.tbx")).getroot()
    grammar, rules = tbx_schema()
    assert grammar.validate(document), grammar.error_log
    assert rules.validate(document), rules.error_log
    # No empty definition is written where there is none.
    assert b"skos:definition \"\"" not in (tmp_path / "out-skos-ttl.ttl").read_bytes()
    back = read_entries((tmp_path / "out-tbx.tbx").read_bytes(), "tbx")
    assert sorted((entry.content["headword_fr"], entry.content["definition_fr"]) for entry in back) == \
        sorted((french, "") for french, _english in GLOSSARY)


def test_the_import_page_says_the_policy(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("lexique:import")).content.decode()
    assert "marquée « définition manquante »" in page
