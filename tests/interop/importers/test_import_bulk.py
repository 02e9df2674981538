"""An import written in bulk (chunks through services.ProposalBatch) leaves exactly what writing its entries one by one
through the services leaves: the same terms and published set, revisions, moderation log, publication events,
suggestion keys, published figures and per-entry report. Each file is imported both ways on the same lexicon (the
first way rolled back), on SQLite and PostgreSQL alike."""
from dataclasses import asdict
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexique import services
from lexique.interop.importers import import_entries, read_entries
from lexique.interop.importers import service as importing
from lexique.interop.importers.service import Decisions
from lexique.core.names import term_slug
from lexique.models import (
    Abbreviation,
    Domain,
    LexiconState,
    ModerationLogEntry,
    PublicationEvent,
    PublishedFigure,
    Revision,
    Suggestion,
    Term,
)
from lexique.publishing import figures
from tests.support.factories import DomainFactory, UserFactory, content, publish_term
from tests.support.helpers import csv_file, row

pytestmark = pytest.mark.django_db(transaction=False)


class _Undo(Exception):
    pass


def _snapshot() -> dict[str, Any]:
    """Everything an import leaves, named by slugs and revision numbers rather than ids."""
    slugs = dict(Term.objects.values_list("pk", "slug"))
    numbers = dict(Revision.objects.values_list("pk", "number"))

    def revision_name(pk: int | None) -> Any:
        return None if pk is None else (slugs[Revision.objects.get(pk=pk).term_id], numbers[pk])

    terms = {}
    for term in Term.objects.all():
        row_ = {field.attname: getattr(term, field.attname) for field in Term._meta.concrete_fields
                if field.attname not in ("id", "current_revision_id", "created_at", "first_published_at", "updated_at",
                                         "search_document")}
        row_["current"] = revision_name(term.current_revision_id)
        row_["published_at"] = term.first_published_at is not None
        row_["domains"] = sorted(term.domains.values_list("slug", flat=True))
        row_["related"] = sorted(term.related.values_list("slug", flat=True))
        terms[term.slug] = row_
    revisions = {}
    for revision in Revision.objects.all():
        revisions[(slugs[revision.term_id], revision.number)] = {
            **revision.content(), "state": revision.state, "version": revision.version,
            "author": revision.author_id, "reviewer": revision.reviewer_id, "reviewed": revision.reviewed_at is not None,
            "review_comment": revision.review_comment, "summary": revision.summary,
            "base": revision_name(revision.base_revision_id), "replaces": revision_name(revision.replaces_id),
        }
    log = [(entry.action, entry.actor_id, slugs[entry.term_id], revision_name(entry.revision_id), entry.comment)
           for entry in ModerationLogEntry.objects.order_by("id")]
    events = [(event.sequence, event.kind, slugs[event.term_id], revision_name(event.revision_id))
              for event in PublicationEvent.objects.order_by("sequence")]
    keys = sorted((key, slugs[term_id], lang, synonym, word)
                  for key, term_id, lang, synonym, word in Suggestion.objects.values_list(
                      "key", "term_id", "lang", "synonym", "word"))
    abbreviations = sorted((slugs[term_id], lang, text, kind, key) for term_id, lang, text, kind, key in
                           Abbreviation.objects.values_list("term_id", "lang", "text", "kind", "key"))
    stored = {(kind, name): total for kind, name, total in PublishedFigure.objects.values_list("kind", "name", "total")
              if total}
    assert stored == figures.recounted()
    domains = {str(pk): slug for pk, slug in Domain.objects.values_list("pk", "slug")}
    named = {(kind, domains[name] if kind == figures.DOMAIN else name): total for (kind, name), total in stored.items()}
    return {"terms": terms, "revisions": revisions, "log": log, "events": events, "keys": keys, "figures": named,
            "abbreviations": abbreviations,
            "version": LexiconState.current().version}


def _report(report: importing.ImportReport) -> dict[str, Any]:
    data = asdict(report)
    slugs = dict(Term.objects.values_list("pk", "slug"))
    for outcome in data["outcomes"]:
        outcome["term_id"] = slugs.get(outcome["term_id"], outcome["term_id"] and "absent")
    return data


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two snapshots differ, for a readable failure."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [difference for key in sorted(set(a) | set(b), key=str)
                for difference in _differences(a.get(key), b.get(key), f"{path}/{key}")]
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        return [difference for index, (x, y) in enumerate(zip(a, b, strict=True))
                for difference in _differences(x, y, f"{path}[{index}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def _both_ways(data: bytes, by: Any, **options: Any) -> tuple[Any, Any]:
    """(one by one, in bulk): the report and what the database holds after each, on the same lexicon."""
    entries = read_entries(data, "csv")
    results = []
    for bulk in (False, True):
        try:
            with transaction.atomic():
                report = import_entries(entries=read_entries(data, "csv"), by=by, bulk=bulk, **options)
                results.append((_report(report), _snapshot()))
                raise _Undo
        except _Undo:
            pass
    assert entries
    return results[0], results[1]


@pytest.fixture
def lexicon(moderator):
    DomainFactory(slug="creation", name_fr="Création", name_en="Creation")
    publish_term(headword_fr="billetterie", moderator=moderator, domains=["creation"])
    publish_term(headword_fr="captation", headword_en="recording", moderator=moderator)
    publish_term(headword_fr="médiation", headword_en="mediation", moderator=moderator)
    # A proposal waiting for the moderators holds its headword: the import's entry of that name is refused.
    services.propose_term(author=UserFactory(), content=content(headword_fr="archivage", headword_en="archiving"))
    return moderator


def _file() -> bytes:
    return csv_file([
        row("numérisation", "Passage au *numérique*.", related="billetterie", domains="creation",
            synonyms_admitted_fr="dématérialisation"),
        row("balado", "Émission audio.", headword_en="podcast", related="numerisation"),
        row("plateforme", "Service en ligne.", related="diffusion", synonyms_admitted_fr="PF | kind: initialism"),
        row("billetterie", "Vente des billets, en ligne ou au guichet.", domains="creation"),
        row("diffusion", "Mise à disposition du public.", sources="Guide <https://example.org/guide>"),
        row("captation", "Données qui *décrivent* une œuvre.", headword_en="recording"),
        row("archivage", "Conservation des documents."),
        row("sans définition", ""),
        row("liaison", "Un lien vers rien.", related="inexistant"),
        row("médiation", "Actions vers les publics.", headword_en="mediation", related="balado",
            synonyms_admitted_en="outreach"),
        row("nouveau domaine", "Un terme d'un domaine que le site n'a pas.", domains="nouveau"),
    ]) + "ligne,trop,de,cellules,ici,et,encore,plus,de,cellules,que,de,colonnes,dans,ce,fichier,en,tout,vraiment," \
         "au,moins,trente,cellules,pour,être,sûr,qu'il,y,en,a,trop\r\n".encode()


@pytest.mark.parametrize("chunk", [2, 500])
@pytest.mark.parametrize("approve_now", [True, False])
def test_an_import_in_bulk_leaves_what_one_by_one_leaves(lexicon, monkeypatch, chunk, approve_now):
    monkeypatch.setattr(importing, "CHUNK", chunk)
    one_by_one, in_bulk = _both_ways(_file(), lexicon, approve_now=approve_now,
                                     decisions=Decisions(skip_refused=True))
    assert _differences(one_by_one, in_bulk) == []
    report, state = in_bulk
    actions = [outcome["action"] for outcome in report["outcomes"]]
    assert report["written"]
    assert actions.count("error") >= 2  # the held headword, the row too long (and, approved, the unknown link)
    assert "edit" in actions and "unchanged" in actions and "new" in actions
    assert any(outcome["where"] == "ligne 13" and outcome["action"] == "error" for outcome in report["outcomes"])
    if approve_now:
        assert state["terms"]["balado"]["related"] == ["numerisation"]
        assert state["terms"]["plateforme"]["related"] == ["diffusion"]
        assert state["terms"]["sans-definition"]["status"] == "draft"


def test_a_chunk_whose_bulk_write_fails_is_written_again_one_by_one(lexicon, monkeypatch):
    from lexique.services import workflow

    def taken(self, writes):
        if writes:
            Term.objects.create(slug="numerisation", headword_fr="numérisation")  # another writer took it
        return original(self, writes)

    original = workflow.ProposalBatch._write
    monkeypatch.setattr(workflow.ProposalBatch, "_write", taken)
    entries = read_entries(_file(), "csv")
    report = import_entries(entries=entries, by=lexicon, approve_now=True, decisions=Decisions(skip_refused=True))
    monkeypatch.undo()
    assert report.written
    # Nothing of the failed chunk's bulk write is left: each entry was written once, by the services.
    assert Term.objects.filter(headword_fr="numérisation").count() == 0 or \
        Term.objects.filter(slug="numerisation").count() == 1
    assert Revision.objects.filter(headword_fr="diffusion").count() == 1
    assert PublicationEvent.objects.values("sequence").distinct().count() == PublicationEvent.objects.count()


HEADWORDS = st.sampled_from(["billetterie", "captation", "médiation", "archivage", "balado", "diffusion",
                             "plateforme", "numérisation", "Balado", "balado!"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(HEADWORDS, st.sampled_from(["", "Une définition.", "Autre définition."]),
                               st.lists(HEADWORDS, max_size=2)), min_size=1, max_size=8),
       approve_now=st.booleans(), chunk=st.integers(min_value=1, max_value=4))
def test_any_file_in_bulk_leaves_what_one_by_one_leaves(lexicon, rows, approve_now, chunk):
    importing.CHUNK, before = chunk, importing.CHUNK
    try:
        data = csv_file([row(headword, definition, related="\n".join(term_slug(other) for other in related))
                         for headword, definition, related in rows])
        keep = {index: index for index in range(len(rows))}
        matches = {index: importing.NEW for index in range(len(rows))}
        one_by_one, in_bulk = _both_ways(data, lexicon, approve_now=approve_now,
                                         decisions=Decisions(skip_refused=True, keep=keep, matches=matches))
        assert _differences(one_by_one, in_bulk) == []
    finally:
        importing.CHUNK = before
