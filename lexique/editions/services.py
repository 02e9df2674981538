"""Publishing a numbered edition: the approved revision of every published term, frozen under a number."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lexique.interop.published import BOOK_RULES
from lexique.models import Edition, EditionEntry, LexiconState, Revision, Term
from lexique.publishing.signals import edition_published
from lexique.publishing.site import site_names
from lexique.selectors import domain_rows
from lexique.services.errors import ValidationError, WorkflowError
from lexique.services.workflow import _require_moderator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# "2026.1", "2026.2", "3": digits and dots, as editions are cited. The one rule: the form, the API's
# parameters and their schema all use it.
NUMBER_REGEX = r"[0-9]{1,4}(?:\.[0-9]{1,4}){0,2}"
NUMBER_PATTERN = re.compile(NUMBER_REGEX)
NOTE_MAX_LENGTH = 5000
# Rows written at a time: a lexicon of a million terms is frozen without holding them all at once.
BATCH_SIZE = 2000


def number_error() -> str:
    """What to say of a text that cannot be an edition's number."""
    return _("Un numéro d'édition est fait de chiffres et de points, par exemple 2026.1.")


def clean_number(number: str) -> str:
    number = (number or "").strip()
    if not NUMBER_PATTERN.fullmatch(number):
        raise ValidationError({"number": [number_error()]})
    return number


def check_edition(*, number: str, note: str = "", by: User) -> tuple[str, str]:
    """(number, note) as an edition would be published with them, or the error publishing would raise now:
    what a form says at once, before the work is handed to the task queue."""
    _require_moderator(by, _("publier une édition"))
    number = clean_number(number)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("La note a %(count)d caractères au plus.") % {"count": NOTE_MAX_LENGTH}]})
    if Edition.objects.filter(number=number).exists():
        raise ValidationError({"number": [_("L'édition %(number)s existe déjà.") % {"number": number}]})
    state = LexiconState.current()
    _require_news(state)
    return number, note


def _require_news(state: LexiconState) -> None:
    latest = Edition.objects.order_by("-published_at", "-id").first()
    if latest is not None and latest.lexicon_version == state.version:
        raise WorkflowError(_("Rien n'a été publié depuis l'édition %(number)s.") % {"number": latest.number})
    if not Term.objects.published().exists():
        raise WorkflowError(_("Le lexique ne compte encore aucun terme publié."))


@transaction.atomic
def publish_edition(*, number: str, note: str = "", by: User,
                    progress: Callable[[int, int], None] | None = None) -> Edition:
    """Freeze the published set under `number`: later approvals, reverts and retirements never change it.

    The lexicon's state row is locked while the set is read, as every publication locks it: no
    approval can land half-way through. An edition with nothing new since the last one is refused.
    `progress` is told (entries written, entries in all) as the entries are written.
    """
    number, note = check_edition(number=number, note=note, by=by)
    state = LexiconState.objects.select_for_update().get(pk=1)
    _require_news(state)  # again, under the lock: a publication may have landed since
    published = Term.objects.published()
    now = timezone.now()
    approved = Revision.objects.filter(state=Revision.State.APPROVED, term__in=published.values("pk"))
    edition = Edition.objects.create(
        number=number, note=note, published_at=now, published_by=by,
        lexicon_version=state.version, lexicon_changed_at=state.changed_at,
        domains=_frozen_domains(), names=site_names(), book_rules=BOOK_RULES,
        typography=settings.LEXIQUE_TYPOGRAPHY, term_count=published.count(),
        authors=approved.values("author_id").distinct().count(),
        moderators=approved.exclude(reviewer=None).values("reviewer_id").distinct().count(),
    )
    _freeze_entries(edition, published, progress=progress or (lambda done, total: None))
    # What follows a publication (its comparison with the edition before, the sitemaps) is prepared by the
    # task queue once the entries are committed, so that no reader (nor the moderator) waits for it.
    transaction.on_commit(lambda: edition_published.send(sender=Edition, number=edition.number))
    return edition


def _frozen_domains() -> list[dict[str, Any]]:
    return domain_rows()


def _freeze_entries(edition: Edition, published: QuerySet[Term], *, progress: Callable[[int, int], None]) -> None:
    """One entry per published term, with its domains and related terms as published now."""
    domains: dict[int, list[str]] = {}
    links = Term.domains.through.objects.filter(term__status=Term.Status.PUBLISHED)
    for term_id, slug in links.order_by("domain__position", "domain__slug").values_list("term_id", "domain__slug"):
        domains.setdefault(term_id, []).append(slug)
    related: dict[int, list[str]] = {}
    pairs = Term.related.through.objects.filter(
        from_term__status=Term.Status.PUBLISHED, to_term__status=Term.Status.PUBLISHED
    ).order_by("to_term__sort_key", "to_term__slug").values_list("from_term_id", "to_term__slug")
    for term_id, slug in pairs:
        related.setdefault(term_id, []).append(slug)
    rows = published.order_by("pk").values_list("pk", "current_revision_id", "slug", "sort_key", "first_published_at")
    batch = []
    written = 0
    progress(0, edition.term_count)
    for term_id, revision_id, slug, sort_key, first_published_at in rows.iterator(chunk_size=BATCH_SIZE):
        batch.append(EditionEntry(
            edition=edition, term_id=term_id, revision_id=revision_id, slug=slug, sort_key=sort_key,
            domain_slugs=domains.get(term_id, []), related_slugs=related.get(term_id, []),
            first_published_at=first_published_at,
        ))
        if len(batch) >= BATCH_SIZE:
            EditionEntry.objects.bulk_create(batch)
            written += len(batch)
            progress(written, edition.term_count)
            batch = []
    EditionEntry.objects.bulk_create(batch)
    progress(written + len(batch), edition.term_count)
