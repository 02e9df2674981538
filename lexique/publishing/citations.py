"""Citations of one version of a term: a sentence, BibTeX and CSL-JSON, each pointing at its permanent address."""
import json
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lexique.core.sources import bibtex_entry, bibtex_value, csl_item
from lexique.publishing.site import site_name, site_title


def version_url(term: Any, version: int) -> str:
    """The permanent, absolute address of `version` of `term`."""
    path = reverse("lexique:term-version", kwargs={"slug": term.slug, "version": version})
    return settings.SITE_URL.rstrip("/") + path


def _authors() -> str:
    return getattr(settings, "LEXIQUE_PUBLISHER", "") or _("Contributeurs du %(name)s") % {"name": site_name()}


def citation_text(term: Any, revision: Any, *, today: Any = None) -> str:
    """The citation a reader pastes: who, what, which version, when, where."""
    today = today or timezone.localdate()
    return _("%(authors)s, « %(headword)s », version %(version)s du %(date)s, dans %(title)s, "
             "%(url)s (consulté le %(today)s).") % {
        "authors": _authors(), "headword": revision.headword_fr, "version": revision.version,
        "date": formats.date_format(timezone.localtime(revision.reviewed_at), "j F Y"),
        "title": site_title(), "url": version_url(term, revision.version),
        "today": formats.date_format(today, "j F Y"),
    }


def _bibtex_value(text: str) -> str:
    return bibtex_value(text)


def citation_key(term: Any, revision: Any) -> str:
    return f"lexique-{term.pk}-v{revision.version}"


def bibtex(term: Any, revision: Any) -> str:
    """A @misc entry: the version in `version`, the permanent address in `url` (biblatex and BibTeX read them)."""
    published = timezone.localtime(revision.reviewed_at)
    fields = [
        ("author", "{" + _bibtex_value(_authors()) + "}"),
        ("title", _bibtex_value(revision.headword_fr)),
        ("howpublished", _bibtex_value(site_title())),
        ("version", str(revision.version)),
        ("year", str(published.year)),
        ("month", str(published.month)),
        ("date", published.date().isoformat()),
        ("url", version_url(term, revision.version)),
        ("language", "french"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    # The version's sources follow it, each an entry of its own (a book, a standard, a page).
    sources = "".join("\n" + bibtex_entry(source, _source_key(term, revision, number))
                      for number, source in enumerate(revision.sources or (), start=1))
    return f"@misc{{{citation_key(term, revision)},\n{body}\n}}\n" + sources


def csl_json(term: Any, revision: Any) -> str:
    """One CSL-JSON item (Zotero, Pandoc, citeproc): an entry of a dictionary, at one version."""
    published = timezone.localtime(revision.reviewed_at)
    item = {
        "id": citation_key(term, revision),
        "type": "entry-dictionary",
        "title": revision.headword_fr,
        "container-title": site_title(),
        "author": [{"literal": _authors()}],
        "issued": {"date-parts": [[published.year, published.month, published.day]]},
        "version": str(revision.version),
        "URL": version_url(term, revision.version),
        "language": "fr",
    }
    # The version first, then its sources (lexique.core.sources), so that one import brings both.
    items = [item, *(csl_item(source, _source_key(term, revision, number))
                     for number, source in enumerate(revision.sources or (), start=1))]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _source_key(term: Any, revision: Any, number: int) -> str:
    return f"{citation_key(term, revision)}-source-{number}"
