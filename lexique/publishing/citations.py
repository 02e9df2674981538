"""Citations of one version of a term: a sentence, BibTeX and CSL-JSON, each pointing at its permanent address."""
import json
import re
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lexique.publishing.site import site_name, site_title

# What BibTeX reads as markup; a headword is written so that it comes out as typed.
_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_^~])")


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
    return _BIBTEX_SPECIAL.sub(lambda match: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(
        match.group(1), "\\" + match.group(1)), " ".join(str(text).split()))


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
    return f"@misc{{{citation_key(term, revision)},\n{body}\n}}\n"


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
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
