"""Importing entries: each becomes a proposal through the workflow services, in one transaction, or nothing does.

A new headword is proposed as a new term; a published one gets an edit proposal against its current
version (shown with a diff), never an overwrite; an entry equal to the published version is left
alone. A moderator may choose to approve them at once, as their own revisions. A dry run does it all
and rolls it back, so that the preview says exactly what the import would do.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import services
from ..diff import revision_diff
from ..models import Domain, Term
from ..names import term_slug
from ..services import ValidationError, WorkflowError, error_message
from .readers import Entry


@dataclass
class Outcome:
    where: str
    headword: str
    action: str  # "new", "edit", "unchanged" or "error"
    diff: dict = field(default_factory=dict)
    messages: list = field(default_factory=list)


@dataclass
class ImportReport:
    outcomes: list
    written: bool
    domains_created: list = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    # For templates, which cannot pass an argument.
    count_new = property(lambda self: self.count("new"))
    count_edit = property(lambda self: self.count("edit"))
    count_unchanged = property(lambda self: self.count("unchanged"))
    count_error = property(lambda self: self.count("error"))

    @property
    def errors(self) -> list:
        return [outcome for outcome in self.outcomes if outcome.action == "error"]


class _RollBack(Exception):
    """Leaves the import's transaction without writing anything."""


def import_entries(*, entries: list[Entry], by, approve_now: bool = False, dry_run: bool = False,
                   summary: str = "") -> ImportReport:
    """Propose every entry (and approve it at once if `approve_now`); all or nothing.

    Nothing is written when `dry_run`, or when any entry is refused: the report says why, entry by entry.
    """
    if not services.can_moderate(by):
        raise services.PermissionDenied(_("Seuls les modérateurs peuvent importer un fichier."))
    summary = summary or _("Import d'un fichier")
    report = ImportReport(outcomes=[], written=False)
    try:
        with transaction.atomic():
            report.domains_created = _ensure_domains(entries)
            later = []
            for entry in entries:
                outcome, pending_related = _import_one(entry, by=by, approve_now=approve_now, summary=summary)
                report.outcomes.append(outcome)
                if pending_related:
                    later.append((entry, outcome))
            for entry, outcome in later:
                _link_related(entry, outcome, by=by, summary=summary)
            if dry_run or report.errors:
                raise _RollBack
    except _RollBack:
        return report
    report.written = True
    return report


def _ensure_domains(entries):
    """The domains the file names that the site lacks, made with the file's names for them."""
    wanted = {}
    for entry in entries:
        for slug in entry.content["domains"]:
            wanted.setdefault(slug, entry.domain_names.get(slug, (slug, "")))
    known = set(Domain.objects.filter(slug__in=list(wanted)).values_list("slug", flat=True))
    created = []
    for slug, (name_fr, name_en) in wanted.items():
        if slug not in known and slug and len(slug) <= 60:
            Domain.objects.create(slug=slug, name_fr=name_fr[:100] or slug, name_en=(name_en or "")[:100])
            created.append(slug)
    return created


def _published_term(entry):
    published = Term.objects.published()
    by_identifier = published.filter(slug=entry.slug).first() if entry.slug else None
    return by_identifier or published.filter(slug=term_slug(entry.content["headword_fr"] or "-")).first()


def _import_one(entry, *, by, approve_now, summary):
    """(outcome, whether related terms are left for a second pass)."""
    content = dict(entry.content)
    outcome = Outcome(where=entry.where, headword=content["headword_fr"], action="new")
    published = set(Term.objects.published().filter(slug__in=content["related"]).values_list("slug", flat=True))
    waiting = [slug for slug in content["related"] if slug not in published]
    content["related"] = [slug for slug in content["related"] if slug in published]
    term = _published_term(entry)
    try:
        with transaction.atomic():
            if term is None:
                revision = services.propose_term(author=by, content=content, summary=summary)
            else:
                current = term.current_revision
                if waiting:
                    content["related"] += [slug for slug in current.related_slugs if slug not in content["related"]]
                if _same(services.clean_content(content, term=term), current.content()):
                    outcome.action = "unchanged"
                    return outcome, bool(waiting) and approve_now
                outcome.action = "edit"
                revision = services.propose_edit(term=term, author=by, base_revision=current, content=content,
                                                 summary=summary)
                outcome.diff = revision_diff(current, revision)
            if approve_now:
                services.approve(revision, by=by)
    except (ValidationError, WorkflowError) as error:
        outcome.action = "error"
        outcome.messages = _messages(error)
        return outcome, False
    if waiting and not approve_now:
        outcome.messages.append(
            _("Termes associés pas encore publiés, à relier par un nouvel import après leur approbation : %(slugs)s")
            % {"slugs": ", ".join(waiting)})
    return outcome, bool(waiting) and approve_now


def _link_related(entry, outcome, *, by, summary):
    """Second pass of an approved import: the links to terms of the same file, now published."""
    term = _published_term(entry)
    if term is None or outcome.action == "error":
        return
    current = term.current_revision
    content = current.content()
    content["related"] = list(entry.content["related"])
    try:
        with transaction.atomic():
            revision = services.propose_edit(term=term, author=by, base_revision=current, content=content,
                                             summary=summary)
            services.approve(revision, by=by)
    except (ValidationError, WorkflowError) as error:
        outcome.action = "error"
        outcome.messages = _messages(error)


def _same(cleaned, current):
    return all(cleaned.get(name) == current.get(name) for name in cleaned)


def _messages(error):
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        return [f"{name} : {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in error.message_dict.items()]
    return [error_message(error)]
