"""Importing entries: each becomes a proposal through the workflow services, in one transaction, or nothing does.

What an import promises a data steward:

- **Identity.** An entry is an existing term only when the file names it (the slug or address that
  Lexique's own exports carry) or gives exactly its French headword (in NFC, to the character). Two
  headwords that differ in any character are two terms with two slugs. A headword that differs from a
  published one only by accents, case or punctuation ('Aché' beside 'Ache') is a doubtful match: the
  moderator says whether it is that term or a new one, and nothing is imported until they have.
- **Repeats.** Entries that name the same term twice are shown together; the moderator keeps one.
  An exact repeat is left out, and said so.
- **Absent is not empty.** An entry changes only the fields its file carries; a field left empty in
  a column the file has clears the published text only when the moderator asks for it.
- **Nothing half done.** An entry refused, or a question left unanswered, and nothing is written; a
  dry run does it all and rolls it back, so that the preview says exactly what the import would do.
  Only when the moderator chooses it (`Decisions.skip_refused`), after a preview that lists every refused
  entry and why, are the others imported and the refused ones left out, each still reported.
- **Set aside, said.** What a reader leaves out of an entry (labels in another language, a source without
  an address) is reported with the entry, never dropped in silence.
"""
import copy
import hashlib
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lexique import services
from lexique.core.diff import revision_diff
from lexique.core.names import exact_headword, same_headword, term_slug
from lexique.core.text import normalize
from lexique.interop.importers.readers import FIELDS, DomainFacts, Entry
from lexique.models import Domain, Revision, Term
from lexique.selectors import labelled_content
from lexique.services import ValidationError, WorkflowError, error_message

NEW = "new"


@dataclass(frozen=True)
class Decisions:
    """What the moderator answered in the preview.

    `matches`: entry index -> NEW, or the slug of the published term a doubtful entry is.
    `keep`: index of the first of repeated entries -> index of the one to import.
    `clear_empty`: whether fields a file leaves empty clear the published text.
    `skip_refused`: import the entries that are accepted and leave the refused ones out (each reported), rather
    than nothing at all.
    """

    matches: dict[int, str] = field(default_factory=dict)
    keep: dict[int, int] = field(default_factory=dict)
    clear_empty: bool = False
    skip_refused: bool = False


@dataclass
class Candidate:
    slug: str
    headword: str


@dataclass
class Outcome:
    index: int
    where: str
    headword: str
    # "new", "edit", "unchanged", "repeat" (left out), "doubtful" or "repeated" (waiting for the
    # moderator's answer), or "error".
    action: str
    diff: dict = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    # A doubtful entry: the published terms it may be.
    candidates: list[Candidate] = field(default_factory=list)
    # The first of repeated entries: every entry of the group, (index, where), to choose one from.
    repeats: list[tuple[int, str]] = field(default_factory=list)
    # Fields left empty by the file that the published version fills: kept unless the moderator asks.
    kept_empty: list[str] = field(default_factory=list)
    # The moderator's answer to the entry's question, if any: NEW, a slug, or the index of the entry kept.
    answer: str = ""
    # The term the entry is, once known (for links between entries of the same file).
    term_id: int | None = None
    # Whether the entry has no French definition (see services.definition_missing and the lexicon's policy).
    missing_definition: bool = False

    @property
    def waiting(self) -> bool:
        return self.action in ("doubtful", "repeated")


@dataclass
class ImportReport:
    outcomes: list[Outcome]
    written: bool
    domains_created: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    # For templates, which cannot pass an argument.
    count_new = property(lambda self: self.count("new"))
    count_edit = property(lambda self: self.count("edit"))
    count_unchanged = property(lambda self: self.count("unchanged"))
    count_error = property(lambda self: self.count("error"))
    count_repeat = property(lambda self: self.count("repeat"))
    count_missing_definition = property(
        lambda self: sum(1 for outcome in self.outcomes if outcome.missing_definition and outcome.action != "error"))

    @property
    def errors(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action == "error"]

    @property
    def questions(self) -> list[Outcome]:
        """The entries waiting for the moderator's answer: nothing is imported until each has one."""
        return [outcome for outcome in self.outcomes if outcome.waiting]

    @property
    def kept_empty(self) -> bool:
        return any(outcome.kept_empty for outcome in self.outcomes)


class _RollBack(Exception):
    """Leaves the import's transaction without writing anything."""


def import_entries(*, entries: list[Entry], by: Any, approve_now: bool = False, dry_run: bool = False,
                   summary: str = "", decisions: Decisions | None = None, source: str = "",
                   progress: Callable[[int, int], None] | None = None, bulk: bool = True) -> ImportReport:
    """Propose every entry (and approve it at once if `approve_now`); all or nothing, unless the moderator chose
    to leave the refused entries out (`decisions.skip_refused`).

    `progress(done, total)` is told each entry checked against the lexicon, then after each chunk of entries
    written (`total` is twice the entries to import).

    The entries are written in chunks of CHUNK, each in bulk (`services.ProposalBatch`), with the outcome of writing
    them one by one through the services, which `bulk=False` does (and a chunk whose bulk write fails).

    Nothing is written when `dry_run`, when any entry is refused (without `skip_refused`) or when a question is
    left unanswered: the report says why, entry by entry. `source` names the file (see `file_source`): every revision's
    summary says which file it came from.
    """
    if not services.can_moderate(by):
        raise services.PermissionDenied(_("Seuls les modérateurs peuvent importer un fichier."))
    decisions = decisions or Decisions()
    summary = " — ".join(part for part in ((summary or _("Import d'un fichier"))[:150], source) if part)
    outcomes = [Outcome(index=index, where=entry.where, headword=entry.content["headword_fr"], action=NEW,
                        messages=list(entry.warnings))
                for index, entry in enumerate(entries)]
    for entry, outcome in zip(entries, outcomes, strict=True):
        if entry.problems:  # refused as the file has it: reported with its place, never written
            outcome.action = "error"
            outcome.messages += entry.problems
    report = ImportReport(outcomes=outcomes, written=False)
    kept = _settle_repeats(entries, outcomes, decisions)
    # Every entry is matched against the lexicon as it was before the import, so that an entry never
    # becomes doubtful because of another entry of the same file.
    total = 2 * len(kept)
    step = progress or (lambda done, total: None)
    step(0, total)
    matches = {}
    lexicon = _Published.read([entries[index] for index in kept if not entries[index].problems])
    for done, index in enumerate(kept, start=1):
        matches[index] = None if entries[index].problems else _match(index, entries[index], outcomes[index], decisions,
                                                                     lexicon)
        step(done, total)
    _known_domains([entries[index] for index in kept])
    try:
        with transaction.atomic():
            report.domains_created = _ensure_domains([entries[index] for index in kept])
            writable = [index for index in kept if not (outcomes[index].waiting or outcomes[index].action == "error")]
            skipped = len(kept) - len(writable)
            batch = services.ProposalBatch(author=by, summary=summary) if bulk else None
            later: list[int] = []
            for start in range(0, len(writable), CHUNK):
                chunk = writable[start:start + CHUNK]
                later += _write_chunk(chunk, entries, outcomes, matches, batch=batch, by=by, summary=summary,
                                      approve_now=approve_now, clear_empty=decisions.clear_empty)
                step(len(kept) + skipped + start + len(chunk), total)
            for start in range(0, len(later), CHUNK):
                _link_chunk(later[start:start + CHUNK], entries, outcomes, batch=batch, by=by, summary=summary)
            step(total, total)
            if dry_run or report.questions or (report.errors and not decisions.skip_refused):
                raise _RollBack
    except _RollBack:
        return report
    report.written = True
    return report


# Entries written together (a chunk): read in a few queries, written in a few statements, progress told after each.
CHUNK = 500


def _write_chunk(chunk: list[int], entries: list[Entry], outcomes: list[Outcome], matches: dict[int, Term | None],
                 *, batch: services.ProposalBatch | None, by: Any, summary: str, approve_now: bool,
                 clear_empty: bool) -> list[int]:
    """Write the entries of `chunk`; those whose related terms are left for a second pass. A chunk whose bulk
    write fails (a headword taken meanwhile by another writer) writes nothing, and is written again one by one."""
    if batch is not None:
        saved = {index: copy.deepcopy(outcomes[index]) for index in chunk}
        try:
            with transaction.atomic():
                writer: _Writer = batch
                batch.read(headwords=[exact_headword(entries[index].content["headword_fr"]) for index in chunk],
                           slugs=[slug for index in chunk for slug in entries[index].content["related"]],
                           terms=[term.pk for index in chunk if (term := matches[index]) is not None],
                           approving=approve_now)
                made: list[tuple[Outcome, Revision]] = []
                later = [index for index in chunk
                         if _import_one(entries[index], outcomes[index], matches[index], writer=writer,
                                        approve_now=approve_now, clear_empty=clear_empty, made=made)]
                batch.flush()
                _settle_term_ids(made)
                return later
        except IntegrityError:
            batch.reset()
            for index in chunk:
                outcomes[index] = saved[index]
    made = []
    one_by_one = _OneByOne(by=by, summary=summary)
    later = [index for index in chunk
             if _import_one(entries[index], outcomes[index], matches[index], writer=one_by_one,
                            approve_now=approve_now, clear_empty=clear_empty, made=made)]
    _settle_term_ids(made)
    return later


def _link_chunk(chunk: list[int], entries: list[Entry], outcomes: list[Outcome], *,
                batch: services.ProposalBatch | None, by: Any, summary: str) -> None:
    if batch is not None:
        saved = {index: copy.deepcopy(outcomes[index]) for index in chunk}
        try:
            with transaction.atomic():
                batch.read(slugs=[slug for index in chunk for slug in entries[index].content["related"]],
                           terms=[term_id for index in chunk if (term_id := outcomes[index].term_id)],
                           approving=True)
                for index in chunk:
                    _link_related(entries[index], outcomes[index], writer=batch)
                batch.flush()
                return
        except IntegrityError:
            batch.reset()
            for index in chunk:
                outcomes[index] = saved[index]
    one_by_one = _OneByOne(by=by, summary=summary)
    for index in chunk:
        _link_related(entries[index], outcomes[index], writer=one_by_one)


def _settle_term_ids(made: list[tuple[Outcome, Revision]]) -> None:
    """The terms of the entries written, known once written."""
    for outcome, revision in made:
        outcome.term_id = revision.term_id


class _Writer(Protocol):
    """How entries are written: in bulk (services.ProposalBatch) or one by one through the services (_OneByOne),
    with the same outcome."""

    def entry(self) -> AbstractContextManager[Any]: ...

    def clean_content(self, content: dict[str, Any], *, term: Term | None = None) -> dict[str, Any]: ...

    def published(self, slugs: Iterable[str]) -> set[str]: ...

    def propose_term(self, *, content: dict[str, Any], definition_required: bool = False) -> Revision: ...

    def propose_edit(self, *, term: Term, base_revision: Revision | None, content: dict[str, Any],
                     definition_required: bool = False) -> Revision: ...

    def approve(self, revision: Revision) -> Revision: ...

    def linked(self, term_id: int) -> tuple[Term, Revision] | None: ...

    def domain_names(self, slugs: Iterable[str]) -> dict[str, str]: ...

    def headwords(self, slugs: Iterable[str]) -> dict[str, str]: ...


@dataclass
class _OneByOne:
    """Each entry proposed, then approved, by the services, in a savepoint of its own."""

    by: Any
    summary: str

    def entry(self) -> AbstractContextManager[Any]:
        return transaction.atomic()

    def clean_content(self, content: dict[str, Any], *, term: Term | None = None) -> dict[str, Any]:
        return services.clean_content(content, term=term, definition_required=False)

    def published(self, slugs: Iterable[str]) -> set[str]:
        slugs = list(slugs)
        return set(Term.objects.published().filter(slug__in=slugs).values_list("slug", flat=True)) if slugs else set()

    def propose_term(self, *, content: dict[str, Any], definition_required: bool = False) -> Revision:
        return services.propose_term(author=self.by, content=content, summary=self.summary,
                                     definition_required=definition_required)

    def propose_edit(self, *, term: Term, base_revision: Revision | None, content: dict[str, Any],
                     definition_required: bool = False) -> Revision:
        return services.propose_edit(term=term, author=self.by, base_revision=base_revision, content=content,
                                     summary=self.summary, definition_required=definition_required)

    def approve(self, revision: Revision) -> Revision:
        return services.approve(revision, by=self.by)

    def linked(self, term_id: int) -> tuple[Term, Revision] | None:
        term = Term.objects.published().filter(pk=term_id).first()
        if term is None or term.current_revision is None:
            return None
        return term, term.current_revision

    def domain_names(self, slugs: Iterable[str]) -> dict[str, str]:
        return dict(Domain.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))

    def headwords(self, slugs: Iterable[str]) -> dict[str, str]:
        return dict(Term.objects.filter(slug__in=list(slugs)).values_list("slug", "headword_fr"))


def file_source(name: str, data: bytes) -> str:
    """What a revision's summary says of the file it was imported from: its name and SHA-256."""
    return f"{PurePath(name).name[:60]} (SHA-256 {hashlib.sha256(data).hexdigest()})"


# Identity ---------------------------------------------------------------------------------------------

def _identity(entry: Entry) -> tuple[str, str]:
    """What names an entry's term within its file: its identifier, else its exact French headword."""
    if entry.slug:
        return ("slug", entry.slug)
    return ("headword", exact_headword(entry.content["headword_fr"]))


def _settle_repeats(entries: list[Entry], outcomes: list[Outcome], decisions: Decisions) -> list[int]:
    """The indexes of the entries to import: of repeated entries, the one the moderator keeps (an exact
    repeat needs no answer); the others are left out, and their outcome says which entry they repeat."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, entry in enumerate(entries):
        if not entry.problems:
            groups.setdefault(_identity(entry), []).append(index)
    left_out: set[int] = set()
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        first = indexes[0]
        identical = all(entries[index].content == entries[first].content for index in indexes)
        chosen = first if identical else decisions.keep.get(first)
        if not identical:
            outcomes[first].repeats = [(index, entries[index].where) for index in indexes]
            outcomes[first].answer = str(chosen) if chosen in indexes else ""
        if chosen not in indexes:
            outcomes[first].action = "repeated"
            outcomes[first].messages.append(
                _("Le fichier nomme ce terme %(count)d fois (%(places)s), avec des contenus différents : "
                  "choisissez l'entrée à importer.")
                % {"count": len(indexes), "places": ", ".join(entries[index].where for index in indexes)})
            left_out.update(indexes[1:])
            for index in indexes[1:]:
                outcomes[index].action = "repeat"
                outcomes[index].messages.append(_("Répète %(first)s.") % {"first": entries[first].where})
            continue
        for index in indexes:
            if index == chosen:
                continue
            left_out.add(index)
            outcomes[index].action = "repeat"
            outcomes[index].messages.append(
                (_("Répète %(kept)s à l'identique : laissée de côté.") if identical
                 else _("Répète %(kept)s, gardée à sa place : laissée de côté."))
                % {"kept": entries[chosen].where})
    return [index for index in range(len(entries)) if index not in left_out]


# Slugs and keys asked of the database at once, in lists of this many.
_BATCH = 500


@dataclass
class _Published:
    """The published terms an import's entries may be, read in a few queries rather than two per entry: by slug
    (the file's identifiers and the slugs its headwords make) and by sort key (headwords folded)."""

    by_slug: dict[str, Term]
    by_key: dict[str, list[Term]]

    @classmethod
    def read(cls, entries: list[Entry]) -> "_Published":
        slugs: set[str] = set()
        keys: set[str] = set()
        for entry in entries:
            if entry.slug:
                slugs.add(entry.slug)
            headword = exact_headword(entry.content["headword_fr"])
            if headword:
                slugs.add(term_slug(headword))
                keys.add(_key(headword))
        published = Term.objects.published().select_related("current_revision")
        found: dict[int, Term] = {}
        for values, name in ((sorted(slugs), "slug__in"), (sorted(keys), "sort_key__in")):
            for start in range(0, len(values), _BATCH):
                found.update((term.pk, term) for term in published.filter(**{name: values[start:start + _BATCH]}))
        by_key: dict[str, list[Term]] = {}
        for term in found.values():
            by_key.setdefault(term.sort_key, []).append(term)
        return cls(by_slug={term.slug: term for term in found.values()}, by_key=by_key)


def _key(headword: str) -> str:
    return normalize(headword)[:220]


def _match(index: int, entry: Entry, outcome: Outcome, decisions: Decisions, lexicon: _Published) -> Term | None:
    """The published term the entry is, None for a new one; a doubtful entry without an answer is marked."""
    if entry.slug:
        term = lexicon.by_slug.get(entry.slug)
        if term is not None:
            return term
    headword = exact_headword(entry.content["headword_fr"])
    if not headword:
        return None
    # Same letters once accents, case and punctuation are folded: the candidates.
    folded = {term.pk: term for term in lexicon.by_key.get(_key(headword), [])}
    by_slug = lexicon.by_slug.get(term_slug(headword))
    if by_slug is not None:
        folded[by_slug.pk] = by_slug
    nearby = sorted(folded.values(), key=lambda term: term.slug)
    exact = next((term for term in nearby if same_headword(term.headword_fr or "", headword)), None)
    if exact is not None:
        return exact
    if not nearby:
        return None
    outcome.candidates = [Candidate(slug=term.slug, headword=term.headword_fr or "") for term in nearby]
    answer = decisions.matches.get(index)
    if answer == NEW:
        outcome.answer = NEW
        return None
    chosen = next((term for term in nearby if term.slug == answer), None)
    if chosen is not None:
        outcome.answer = chosen.slug
        return chosen
    outcome.action = "doubtful"
    outcome.messages.append(
        _("« %(headword)s » ressemble à %(others)s : est-ce le même terme ou un nouveau ?")
        % {"headword": headword, "others": ", ".join(f"« {term.headword_fr} »" for term in nearby)})
    return None


# Writing ------------------------------------------------------------------------------------------------

def _known_domains(entries: list[Entry]) -> None:
    """A domain a file names without its identifier (a subject field by its French name) is the site's domain
    of that name, whatever slug the name would make: an import never gives a domain another slug."""
    guessed = {slug: facts.name_fr for entry in entries for slug, facts in entry.domain_names.items()
               if not facts.identified}
    if not guessed:
        return
    by_name = {name.casefold(): slug for slug, name in Domain.objects.values_list("slug", "name_fr")}
    renamed = {slug: by_name[name.casefold()] for slug, name in guessed.items() if name.casefold() in by_name}
    for entry in entries:
        entry.content["domains"] = list(dict.fromkeys(renamed.get(slug, slug) for slug in entry.content["domains"]))


def _ensure_domains(entries: list[Entry]) -> list[str]:
    """The domains the file names that the site lacks, made as the file describes them (names and descriptions
    in both languages, and their order after the site's own). A domain the site has is never changed."""
    wanted: dict[str, DomainFacts] = {}
    for entry in entries:
        for slug in entry.content["domains"]:
            wanted.setdefault(slug, entry.domain_names.get(slug) or DomainFacts(name_fr=slug))
    known = set(Domain.objects.filter(slug__in=list(wanted)).values_list("slug", flat=True))
    missing = [(slug, facts) for slug, facts in wanted.items() if slug not in known and slug and len(slug) <= 60]
    # The file's order where it gives one, else the order in which it names them.
    missing.sort(key=lambda item: (item[1].position is None, item[1].position or 0))
    after = (Domain.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    for offset, (slug, facts) in enumerate(missing):
        Domain.objects.create(slug=slug, name_fr=facts.name_fr[:100] or slug, name_en=facts.name_en[:100],
                              description_fr=facts.description_fr, description_en=facts.description_en,
                              position=after + offset)
    return [slug for slug, _facts in missing]


def merged_content(current: dict[str, Any], entry: Entry, *, clear_empty: bool) -> dict[str, Any]:
    """The published content with what the entry carries put in; the fields it leaves empty are cleared
    only when `clear_empty`."""
    content = {name: (list(value) if isinstance(value, list) else value) for name, value in current.items()}
    changed = set(entry.carried) | (set(entry.emptied) if clear_empty else set())
    for name in changed:
        if name.startswith("synonyms_"):
            lang = name.removeprefix("synonyms_")
            content["synonyms"] = [synonym for synonym in content.get("synonyms") or [] if synonym.get("lang") != lang]
            content["synonyms"] += [synonym for synonym in entry.content["synonyms"] if synonym.get("lang") == lang]
        else:
            content[name] = entry.content[name]
    return content


def _filled(current: dict[str, Any], name: str) -> bool:
    if name.startswith("synonyms_"):
        lang = name.removeprefix("synonyms_")
        return any(synonym.get("lang") == lang for synonym in current.get("synonyms") or [])
    return bool(current.get(name))


def _import_one(entry: Entry, outcome: Outcome, term: Term | None, *, writer: _Writer, approve_now: bool,
                clear_empty: bool, made: list[tuple[Outcome, Revision]]) -> bool:
    """Write one entry; whether its related terms are left for a second pass. The revision of a new term is put
    in `made`: its term's id is known once written."""
    content = dict(entry.content)
    published = writer.published(content["related"]) if content["related"] else set()
    waiting = [slug for slug in content["related"] if slug not in published]
    try:
        with writer.entry():
            if term is None:
                content["related"] = [slug for slug in content["related"] if slug in published]
                revision = writer.propose_term(content=content, definition_required=False)
            else:
                current = term.current_revision
                assert current is not None, "a published term has its published revision"
                before = current.content()
                content = merged_content(before, entry, clear_empty=clear_empty)
                if "related" in entry.carried:
                    content["related"] = [slug for slug in content["related"] if slug in published]
                    if waiting:  # kept until the second pass links them
                        content["related"] += [slug for slug in before["related"] if slug not in content["related"]]
                outcome.kept_empty = [] if clear_empty else [
                    name for name in FIELDS if name in entry.emptied and _filled(before, name)]
                outcome.term_id = term.pk
                if _same(writer.clean_content(content, term=term), before):
                    outcome.action = "unchanged"
                    return bool(waiting) and approve_now
                outcome.action = "edit"
                revision = writer.propose_edit(term=term, base_revision=current, content=content,
                                               definition_required=False)
                outcome.diff = revision_diff(labelled_content(current, names=writer),
                                             labelled_content(revision, names=writer))
            missing = services.definition_missing(revision.content())
            if missing:
                outcome.missing_definition = True
                outcome.messages.append(missing_definition_notice())
            if approve_now and not (missing and not services.publishes_without_definition()):
                writer.approve(revision)
    except (ValidationError, WorkflowError) as error:
        outcome.action = "error"
        outcome.messages += _messages(error)
        return False
    made.append((outcome, revision))
    if waiting and not approve_now:
        outcome.messages.append(
            _("Termes associés pas encore publiés, à relier par un nouvel import après leur approbation : %(slugs)s")
            % {"slugs": ", ".join(waiting)})
    return bool(waiting) and approve_now


def missing_definition_notice() -> str:
    """What an entry without a definition becomes, by the lexicon's policy (LEXIQUE_MISSING_DEFINITION): said
    with the entry in the preview and the report."""
    if services.publishes_without_definition():
        return _("Définition manquante : publiée comme entrée d'équivalence (termes seulement), à compléter.")
    return _("Définition manquante : gardée comme proposition en attente, à compléter avant publication.")


def _link_related(entry: Entry, outcome: Outcome, *, writer: _Writer) -> None:
    """Second pass of an approved import: the links to terms of the same file, now published."""
    found = writer.linked(outcome.term_id) if outcome.term_id and outcome.action != "error" else None
    if found is None:
        return
    term, current = found
    content = current.content()
    content["related"] = list(entry.content["related"])
    try:
        with writer.entry():
            revision = writer.propose_edit(term=term, base_revision=current, content=content,
                                           definition_required=False)
            writer.approve(revision)
    except (ValidationError, WorkflowError) as error:
        outcome.action = "error"
        outcome.messages += _messages(error)


def _same(cleaned: dict[str, Any], current: dict[str, Any]) -> bool:
    return all(cleaned.get(name) == current.get(name) for name in cleaned)


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return [f"{name} : {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in error.message_dict.items()]
    return [error_message(error)]
