"""A term's address as a concept URI: its SKOS description for RDF clients, its page for everyone else."""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers

from lexique import selectors
from lexique.interop.exporters.records import Domain, Records, entry_content
from lexique.interop.exporters.skos import build_graph
from lexique.models import Term
from lexique.publishing.site import site_names
from lexique.web.views import reading

# Media types a client may ask for, each with rdflib's name of the syntax; HTML wins a tie.
RDF_TYPES = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
HTML_TYPES = ("text/html", "application/xhtml+xml")


def preferred_rdf_type(accept: str) -> str | None:
    """The RDF media type the Accept header prefers to HTML, if any."""
    weights: dict[str, float] = {}
    for part in (accept or "").split(","):
        media_type, *parameters = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for parameter in parameters:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        weights[media_type.lower()] = max(quality, weights.get(media_type.lower(), 0.0))
    html = max([weights.get(media_type, 0.0) for media_type in HTML_TYPES] + [weights.get("*/*", 0.0) * 0.99])
    best = max(RDF_TYPES, key=lambda media_type: weights.get(media_type, 0.0))
    return best if weights.get(best, 0.0) > html else None


def term(request: HttpRequest, slug: str) -> HttpResponse:
    media_type = preferred_rdf_type(request.headers.get("Accept", ""))
    if media_type is None:
        response = reading.term_detail(request, slug)
    else:
        response = _rdf(request, slug, media_type)
    patch_vary_headers(response, ["Accept"])
    return response


def _rdf(request: HttpRequest, slug: str, media_type: str) -> HttpResponse:
    retirement = selectors.term_retirement(slug)
    if retirement is not None:
        # Gone, not unknown: an RDF client hears it as a browser does (the page says when and why).
        return reading.retired_term(request, retirement)
    published = Term.objects.published().prefetch_related("domains")
    found = get_object_or_404(published, slug=slug)
    related = list(found.related.filter(status=Term.Status.PUBLISHED).order_by("sort_key").values_list(
        "slug", "headword_fr", "headword_en"))
    entry = entry_content(found, domains=[domain.slug for domain in found.domains.all()],
                          related=[row[0] for row in related])
    records = Records(
        version=0,
        domains=[Domain(domain.slug, domain.name_fr or "", domain.name_en or "") for domain in found.domains.all()],
        entries=[entry],
        outside={row[0]: (row[1], row[2] or "") for row in related},
        names=site_names(),
    )
    body = build_graph(records).serialize(format=RDF_TYPES[media_type], encoding="utf-8")
    content_type = f"{media_type}; charset=utf-8" if media_type == "text/turtle" else media_type
    return HttpResponse(body, content_type=content_type)
