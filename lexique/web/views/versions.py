"""Versions people cite: the permanent page of one published version of a term, and its citations."""
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from lexique import selectors
from lexique.core.content import LANGUAGES, MARKDOWN_FIELDS, reader_language
from lexique.models import Revision, Term
from lexique.publishing import citations


def _version(slug: str, version: int) -> tuple[Term, Revision]:
    # A cited version keeps its address when the term is retired later; a draft has no version.
    term: Term = get_object_or_404(
        Term.objects.exclude(status=Term.Status.DRAFT).select_related("current_revision"), slug=slug)
    revision = selectors.term_version(term, version)
    if revision is None:
        raise Http404(_("Version inconnue."))
    return term, revision


def _texts(term: Term, revision: Revision) -> list[dict[str, Any]]:
    """The version's content in each language that has a headword, the reader's first, as the term page shows it."""
    return [
        {
            "lang": lang,
            "headword": getattr(revision, f"headword_{lang}"),
            **{f"{field}_html": revision.html(field, lang, term=term) for field in MARKDOWN_FIELDS},
            "synonyms": [s for s in revision.synonyms or [] if s.get("lang") == lang],
        }
        for lang in sorted(LANGUAGES, key=lambda lang: lang != reader_language())
        if getattr(revision, f"headword_{lang}")
    ]


def term_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    term, revision = _version(slug, version)
    return render(request, "lexique/version.html", {
        "term": term, "revision": revision, "texts": _texts(term, revision),
        "references": selectors.version_references(revision),
        "is_current": term.is_public and revision.pk == term.current_revision_id,
        "current_version": term.current_revision.version if term.is_public and term.current_revision else None,
        "citation": citations.citation_text(term, revision),
        "bibtex": citations.bibtex(term, revision),
        "csl_json": citations.csl_json(term, revision),
        "permanent_url": citations.version_url(term, version),  # the revision cited as `version`
    })


def citation_file(request: HttpRequest, slug: str, version: int, kind: str) -> HttpResponse:
    """The citation as a file a reference manager imports (.bib or CSL-JSON)."""
    term, revision = _version(slug, version)
    if kind == "bib":
        body, media_type = citations.bibtex(term, revision), "application/x-bibtex; charset=utf-8"
    else:
        body, media_type = citations.csl_json(term, revision), "application/vnd.citationstyles.csl+json"
    response = HttpResponse(body, content_type=media_type)
    name = f"{citations.citation_key(term, revision)}.{'bib' if kind == 'bib' else 'json'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
