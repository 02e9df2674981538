"""Atom feeds of the lexicon, in the language of the address: new terms, every publication (new or updated), and
recent changes narrowed as their page is (retirements included).

Each feed holds the latest FEED_ITEMS entries only: a feed reader polls it, a mirror follows the API's
changes feed. Entries link to the term's page in the feed's language and carry its definition there, as
the HTML rendered when that version was approved (never rendered again here).
"""
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from lexique.core.content import reader_language
from lexique.models import Domain, PublicationEvent, Revision, Term
from lexique.models.content import TermContent
from lexique.publishing.addresses import term_uri
from lexique.publishing.caching import published_page
from lexique.publishing.changes import ChangesFilters, changes_filters, publication_log
from lexique.publishing.site import site_name, site_title

FEED_ITEMS = 50
# Events read to find FEED_ITEMS new terms still published: a term retired since its first publication
# (or published again after a retirement) leaves a gap that these few extra rows cover.
NEW_TERM_EVENTS = 4 * FEED_ITEMS

# What one entry of a feed is made from: a term (new terms) or one of its publications (every publication).
_Item = TypeVar("_Item", Term, PublicationEvent)


def new_terms_title() -> str:
    """The title of the feed of new terms, as the feed and the pages that link to it say it."""
    return _("%(name)s : nouveaux termes") % {"name": site_name()}


def publications_title() -> str:
    """The title of the feed of every publication, as the feed and the pages that link to it say it."""
    return _("%(name)s : termes nouveaux et mis à jour") % {"name": site_name()}


def _in(language: str, content: TermContent, name: str) -> tuple[str, str]:
    """A translated field of a term or revision in `language`, French standing in; with its real language."""
    value = getattr(content, f"{name}_{language}", "") or ""
    if value or language == "fr":
        return value, language
    return getattr(content, f"{name}_fr", "") or "", "fr"


class _LexiconFeed(Feed, Generic[_Item]):
    # One instance serves every request: the language is the request's (Django's default), never stored.
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A feed is the same for every reader: built once per version of the published set (and language),
        # answered 304 when the reader's copy is current.
        if request.method not in ("GET", "HEAD"):
            return super().__call__(request, *args, **kwargs)
        return published_page(request, lambda: super(_LexiconFeed, self).__call__(request, *args, **kwargs),
                              personal=False)

    def link(self) -> str:
        return reverse("lexique:home")

    def feed_url(self) -> str:
        raise NotImplementedError

    def feed_guid(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.feed_url()

    def author_name(self) -> str:
        return site_title()

    def feed_copyright(self) -> str:
        return f"{settings.LEXIQUE_CONTENT_LICENCE} ({settings.LEXIQUE_CONTENT_LICENCE_URL})"

    def item_title(self, item: _Item) -> str:
        return _in(reader_language(), self._content(item), "headword")[0]

    def item_description(self, item: _Item) -> str:
        revision = self._content(item)
        _text, lang = _in(reader_language(), revision, "definition")
        return revision.html("definition", lang, term=self._term(item))

    def item_link(self, item: _Item) -> str:
        return reverse("lexique:term", kwargs={"slug": self._term(item).slug})

    def item_categories(self, item: _Item) -> list[str]:
        return [domain.name for domain in self._term(item).domains.all()]

    @staticmethod
    def _term(item: _Item) -> Term:
        raise NotImplementedError

    @staticmethod
    def _content(item: _Item) -> Revision:
        """The version of the term the entry is about."""
        raise NotImplementedError


class NewTermsFeed(_LexiconFeed[Term]):
    """Terms published for the first time, newest first."""

    def title(self) -> str:
        return new_terms_title()

    def subtitle(self) -> str:
        return str(_("Les derniers termes publiés dans le lexique."))

    def feed_url(self) -> str:
        return reverse("lexique:feed-new")

    def items(self) -> list[Term]:
        # From the newest end of the events' unique sequence (an index), not by sorting every term by date:
        # a term's first publication is its first PUBLISHED event.
        events = PublicationEvent.objects.filter(kind=PublicationEvent.Kind.PUBLISHED).order_by("-sequence")
        term_ids = list(dict.fromkeys(events.values_list("term_id", flat=True)[:NEW_TERM_EVENTS]))
        # The newest first from their dates alone; only those shown are read whole, with their version.
        dates = Term.objects.published().exclude(first_published_at=None).filter(pk__in=term_ids).values_list(
            "pk", "first_published_at")
        shown = [pk for pk, _date in sorted(dates, key=lambda row: (row[1], row[0]), reverse=True)[:FEED_ITEMS]]
        terms = Term.objects.filter(pk__in=shown).select_related("current_revision").prefetch_related(
            "domains").in_bulk()
        return [terms[pk] for pk in shown if pk in terms]

    def item_guid(self, item: Term) -> str:
        return term_uri(item.slug)

    def item_pubdate(self, item: Term) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Term) -> datetime | None:
        return item.updated_at or item.first_published_at

    @staticmethod
    def _term(item: Term) -> Term:
        return item

    @staticmethod
    def _content(item: Term) -> Revision:
        revision = item.current_revision
        assert revision is not None, "a published term has a current revision"
        return revision


class PublicationsFeed(_LexiconFeed[PublicationEvent]):
    """Every publication, new term or new version of one, newest first: one entry per version."""

    def title(self) -> str:
        return publications_title()

    def subtitle(self) -> str:
        return str(_("Chaque nouvelle version approuvée d'un terme du lexique."))

    def feed_url(self) -> str:
        return reverse("lexique:feed-updates")

    def items(self) -> list[PublicationEvent]:
        return list(
            PublicationEvent.objects.filter(
                kind__in=(PublicationEvent.Kind.PUBLISHED, PublicationEvent.Kind.UPDATED),
                term__status=Term.Status.PUBLISHED, revision__isnull=False,
            ).select_related("term", "revision").prefetch_related("term__domains").order_by("-sequence")[:FEED_ITEMS]
        )

    def item_guid(self, item: PublicationEvent) -> str:
        # One entry per version: the same term updated twice is two entries, never one rewritten.
        return f"{term_uri(item.term.slug)}#version-{self._content(item).number}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublicationEvent) -> datetime:
        return item.created_at

    def item_updateddate(self, item: PublicationEvent) -> datetime:
        return item.created_at

    @staticmethod
    def _term(item: PublicationEvent) -> Term:
        return item.term

    @staticmethod
    def _content(item: PublicationEvent) -> Revision:
        revision = item.revision
        assert revision is not None, "items() reads only events with a revision"
        return revision


def recent_changes_title(filters: ChangesFilters) -> str:
    """The title of the feed of recent changes, naming its filters, as the feed and its page say it."""
    parts = [str(_("%(name)s : modifications récentes") % {"name": site_name()})]
    if filters.kind:
        parts.append(str(PublicationEvent.Kind(filters.kind).label))
    if filters.domain:
        domain = Domain.objects.filter(slug=filters.domain).first()
        parts.append(domain.name if domain else filters.domain)
    return " — ".join(parts)


class RecentChangesFeed(_LexiconFeed[PublicationEvent]):
    """/modifications-recentes/ as a feed, with the page's filters (`type`, `domaine`): one entry per event."""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One address per set of filters: anything else in the query string is sent there, so that the copies
        # kept per version and address are one per filter a reader can choose.
        filters = changes_filters(request.GET)
        if request.method in ("GET", "HEAD") and sorted(request.GET.items()) != sorted(filters.query().items()):
            return HttpResponsePermanentRedirect(self.feed_url(filters))
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> ChangesFilters:
        return changes_filters(request.GET)

    def title(self, obj: ChangesFilters | None = None) -> str:
        return recent_changes_title(obj or ChangesFilters())

    def subtitle(self) -> str:
        return str(_("Nouveaux termes, nouvelles versions approuvées et termes retirés, les plus récents en premier."))

    def link(self, obj: ChangesFilters | None = None) -> str:
        query = (obj or ChangesFilters()).query_string()
        return reverse("lexique:recent-changes") + (f"?{query}" if query else "")

    def feed_url(self, obj: ChangesFilters | None = None) -> str:
        query = (obj or ChangesFilters()).query_string()
        return reverse("lexique:feed-recent-changes") + (f"?{query}" if query else "")

    def feed_guid(self, obj: ChangesFilters | None = None) -> str:
        return settings.SITE_URL.rstrip("/") + self.feed_url(obj)

    def items(self, obj: ChangesFilters) -> list[PublicationEvent]:
        events = publication_log(obj, limit=FEED_ITEMS)
        prefetch_related_objects(events, "term__domains")
        return events

    def item_title(self, item: PublicationEvent) -> str:
        headword = _in(reader_language(), item.revision or item.term, "headword")[0]
        kind = str(PublicationEvent.Kind(item.kind).label)
        version = item.revision.version if item.revision else None
        if version:
            return str(_("%(headword)s : %(kind)s (version %(version)s)")
                       % {"headword": headword, "kind": kind, "version": version})
        return str(_("%(headword)s : %(kind)s") % {"headword": headword, "kind": kind})

    def item_description(self, item: PublicationEvent) -> str:
        if item.kind == PublicationEvent.Kind.RETIRED or item.revision is None:
            return str(_("Ce terme a été retiré du lexique ; son adresse dit pourquoi et garde sa dernière version."))
        return super().item_description(item)

    def item_link(self, item: PublicationEvent) -> str:
        version = item.revision.version if item.revision else None
        if version and (item.term.is_public or item.kind != PublicationEvent.Kind.RETIRED):
            return reverse("lexique:term-version", kwargs={"slug": item.term.slug, "version": version})
        return reverse("lexique:term", kwargs={"slug": item.term.slug})

    def item_guid(self, item: PublicationEvent) -> str:
        return f"{term_uri(item.term.slug)}#event-{item.sequence}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublicationEvent) -> datetime:
        return item.created_at

    def item_updateddate(self, item: PublicationEvent) -> datetime:
        return item.created_at

    @staticmethod
    def _term(item: PublicationEvent) -> Term:
        return item.term

    @staticmethod
    def _content(item: PublicationEvent) -> Revision:
        revision = item.revision
        assert revision is not None, "read only for an event with a revision"
        return revision
