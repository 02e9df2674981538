"""Atom feeds of the lexicon, in the language of the address: new terms, and every publication (new or updated).

Each feed holds the latest FEED_ITEMS entries only: a feed reader polls it, a mirror follows the API's
changes feed. Entries link to the term's page in the feed's language and carry its definition there.
"""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from lexique.core.text import render_markdown
from lexique.models import PublicationEvent, Term
from lexique.publishing.addresses import term_uri

FEED_ITEMS = 50


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


def _in(language: str, content, name: str) -> tuple[str, str]:
    """A translated field of a term or revision in `language`, French standing in; with its real language."""
    value = getattr(content, f"{name}_{language}", "") or ""
    if value or language == "fr":
        return value, language
    return getattr(content, f"{name}_fr", "") or "", "fr"


class _LexiconFeed(Feed):
    # One instance serves every request: the language is the request's (Django's default), never stored.
    feed_type = Atom1Feed

    def link(self):
        return reverse("lexique:home")

    def feed_guid(self):
        return settings.SITE_URL.rstrip("/") + self.feed_url()

    def author_name(self):
        return str(_("Lexique de la transformation numérique en culture"))

    def feed_copyright(self):
        return f"{settings.LEXIQUE_CONTENT_LICENCE} ({settings.LEXIQUE_CONTENT_LICENCE_URL})"

    def item_title(self, item):
        return _in(_language(), self._content(item), "headword")[0]

    def item_description(self, item):
        content = self._content(item)
        html = getattr(content, f"definition_html_{_language()}", None)
        if html is None:  # a revision keeps its Markdown only
            html = render_markdown(_in(_language(), content, "definition")[0])
        return html or render_markdown(content.definition_fr)

    def item_link(self, item):
        return reverse("lexique:term", kwargs={"slug": self._term(item).slug})

    def item_categories(self, item):
        return [domain.name for domain in self._term(item).domains.all()]

    @staticmethod
    def _term(item):
        return item

    @staticmethod
    def _content(item):
        return item


class NewTermsFeed(_LexiconFeed):
    """Terms published for the first time, newest first."""

    def title(self):
        return str(_("Lexique : nouveaux termes"))

    def subtitle(self):
        return str(_("Les derniers termes publiés dans le lexique."))

    def feed_url(self):
        return reverse("lexique:feed-new")

    def items(self):
        return Term.objects.published().exclude(first_published_at=None).prefetch_related("domains").order_by(
            "-first_published_at", "-pk")[:FEED_ITEMS]

    def item_guid(self, item):
        return term_uri(item.slug)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at or item.first_published_at


class PublicationsFeed(_LexiconFeed):
    """Every publication, new term or new version of one, newest first: one entry per version."""

    def title(self):
        return str(_("Lexique : termes nouveaux et mis à jour"))

    def subtitle(self):
        return str(_("Chaque nouvelle version approuvée d'un terme du lexique."))

    def feed_url(self):
        return reverse("lexique:feed-updates")

    def items(self):
        return list(
            PublicationEvent.objects.filter(
                kind__in=(PublicationEvent.Kind.PUBLISHED, PublicationEvent.Kind.UPDATED),
                term__status=Term.Status.PUBLISHED, revision__isnull=False,
            ).select_related("term", "revision").prefetch_related("term__domains").order_by("-sequence")[:FEED_ITEMS]
        )

    def item_guid(self, item):
        # One entry per version: the same term updated twice is two entries, never one rewritten.
        return f"{term_uri(item.term.slug)}#version-{item.revision.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    @staticmethod
    def _term(item):
        return item.term

    @staticmethod
    def _content(item):
        return item.revision
