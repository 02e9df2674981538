"""Pages for readers: home, search, A–Z, domains, a term, its history and diffs."""
import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lexique import selectors
from lexique.core.content import LANGUAGES, reader_language
from lexique.core.diff import revision_diff
from lexique.core.text import initial
from lexique.models import Domain, PublicationEvent, Term
from lexique.publishing import citations
from lexique.publishing.caching import published_page
from lexique.publishing.changes import changes_filters
from lexique.publishing.feeds import recent_changes_title
from lexique.search import ranking
from lexique.search import suggestions as search_suggestions
from lexique.search.filters import (
    DESIGNATION_FACETS,
    WEB_PARAMETERS,
    MatchMode,
    SearchFilters,
    facet_choices,
    parse_search_filters,
)
from lexique.search.keys import SEARCH_PAGE_SIZE
from lexique.search.limits import MAX_SUGGESTION_CHARACTERS, bounded_query
from lexique.selectors import Retirement
from lexique.selectors.paging import BrowsingPaginator
from lexique.selectors.published import term_page_state
from lexique.web.templatetags.lexique import shown_language

PAGE_SIZE = 50

ViewArgs = ParamSpec("ViewArgs")
PageView = Callable[Concatenate[HttpRequest, ViewArgs], HttpResponse]


def same_for_every_reader(view: PageView[ViewArgs]) -> PageView[ViewArgs]:
    """A page that every anonymous reader sees alike: rendered once per version of the published set,
    answered 304 when the reader's copy is current (the API's ETag discipline)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: ViewArgs.args, **kwargs: ViewArgs.kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _personal(request):
            return view(request, *args, **kwargs)
        return published_page(request, lambda: view(request, *args, **kwargs))

    return wrapped


def _personal(request: HttpRequest) -> bool:
    # A session (a signed-in reader) or messages waiting to be shown make the page someone's own.
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or request.user.is_authenticated
    )


@same_for_every_reader
def home(request: HttpRequest) -> HttpResponse:
    published = Term.objects.published()
    lang = reader_language()
    recent = published.order_by("-updated_at")[:8]
    return render(request, "lexique/home.html", {
        "recent": recent,
        "count": selectors.published_count(),
        "domains": selectors.domains_with_published_counts(),
        "letters": selectors.letters_with_counts(lang=lang),
    })


def text_param(request: HttpRequest, name: str, limit: int = 200) -> str:
    """A query-string value as text a database accepts: no NUL, bounded length."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def search(request: HttpRequest) -> HttpResponse:
    """The results page: a query, its filters and match mode (a GET form, unknown values ignored and said),
    the count of the results by each filter's values beside it."""
    query = bounded_query(text_param(request, "q"))
    filters, errors = parse_search_filters(request.GET, WEB_PARAMETERS)
    lang = reader_language()
    found = ranking.search(query, lang=lang, filters=filters, facets=True) if query else None
    page = Paginator(found or [], SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    # A query meant as a part of words (starts with, contains) is not a misspelling of a whole one.
    partial = filters.mode in (MatchMode.STARTS, MatchMode.CONTAINS) and bool(found)
    suggestion = ranking.did_you_mean(query, lang=lang) if query and page.number == 1 and not partial else None
    kept = {WEB_PARAMETERS[name]: getattr(filters, name) for name in WEB_PARAMETERS if getattr(filters, name)}
    return render(request, "lexique/search.html", {
        "query": query, "page": page, "suggestion": suggestion, "found": found,
        "words_used": " ".join(found.words_used) if found and found.words_used else "",
        "filter_groups": _filter_groups(filters, found), "filter_errors": list(errors.values()),
        "filtered": bool(kept),
        "suggestion_query": urlencode({"q": suggestion, **kept}) if suggestion else "",
    })


def _filter_groups(filters: SearchFilters, found: ranking.SearchResults | None) -> list[dict[str, Any]]:
    """The results page's filters as its form shows them: each group's parameter, legend and options
    (value, label, count of the results it would keep, chosen), "all" first."""
    facets = found.facets if found else {}
    legends = {"domain": _("Domaine"), "language": _("Langue de la désignation"), "status": _("Statut d'usage"),
               "region": _("Région d'usage"), "mode": _("Correspondance")}
    everything = {"domain": _("Tous"), "language": _("Les deux"), "status": _("Tous"), "region": _("Toutes")}
    choices: dict[str, list[tuple[str, str]]] = {
        "domain": [(domain.slug, str(domain.name)) for domain in Domain.objects.order_by("position", "slug")],
        **{facet: facet_choices(facet) for facet in DESIGNATION_FACETS},
    }
    groups = []
    for facet, options in choices.items():
        chosen = getattr(filters, facet)
        counts = facets.get(facet)
        # With a domain chosen, the results are that domain's: another domain's count is not known here.
        counted = counts is not None and not (facet == "domain" and chosen)
        groups.append({
            "name": WEB_PARAMETERS[facet], "legend": legends[facet], "chosen": chosen,
            "options": [{"value": "", "label": everything[facet], "count": None, "chosen": not chosen}] + [
                {"value": value, "label": label, "chosen": value == chosen,
                 "count": (counts or {}).get(value, 0) if counted or value == chosen and counts is not None else None}
                for value, label in options],
        })
    groups.append({
        "name": WEB_PARAMETERS["mode"], "legend": legends["mode"], "chosen": filters.mode,
        "options": [{"value": value, "label": label, "count": None, "chosen": value == filters.mode}
                    for value, label in MatchMode.choices],
    })
    return groups


def suggestions(request: HttpRequest) -> JsonResponse:
    """As-you-type results, for the search box and for spotting duplicates while proposing.

    With `propositions=1` (the proposal form), new terms still waiting for review are included.
    """
    query = bounded_query(text_param(request, "q"), max_characters=MAX_SUGGESTION_CHARACTERS)
    results = [_suggestion(term) for term in search_suggestions.suggest(query, lang=reader_language())]
    if request.GET.get("propositions") == "1" and request.user.is_authenticated:
        results += [
            {**_suggestion(term, url=""), "pending": True, "label": _("proposition en attente")}
            for term in ranking.similar_proposals(query)
        ]
    return JsonResponse({"results": results})


def _suggestion(term: Term, url: str | None = None) -> dict[str, Any]:
    lang = shown_language(term)
    return {
        "headword": getattr(term, f"headword_{lang}"), "lang": lang, "headword_fr": term.headword_fr,
        "url": term.get_absolute_url() if url is None else url, "category": term.category,
    }


@same_for_every_reader
def letter_index(request: HttpRequest, letter: str | None = None) -> HttpResponse:
    lang = reader_language()
    letters = selectors.letters_with_counts(lang=lang)
    if letter is None:
        letter = next((initial for initial, count in letters if count), "A")
    filed_under = initial(letter) if letter != "#" else "#"
    if filed_under != letter:  # 'é' or 'É' is filed under 'E'
        if len(letter) == 1 and filed_under != "#":
            return redirect("lexique:letter", letter=filed_under)
        raise Http404(_("Lettre inconnue."))
    terms = selectors.terms_starting_with(letter, lang=lang)
    page = BrowsingPaginator(terms, PAGE_SIZE, count=dict(selectors.terms_per_letter(lang=lang)).get(letter, 0),
                             positions=f"letter.{letter}").get_page(request.GET.get("page"))
    # The letter's abbreviations (IA → intelligence artificielle), on its first page.
    abbreviations = selectors.abbreviations_starting_with(letter, lang=lang) if page.number == 1 else []
    return render(request, "lexique/letters.html", {"letters": letters, "letter": letter, "page": page,
                                                    "abbreviations": abbreviations})


@same_for_every_reader
def domain_list(request: HttpRequest) -> HttpResponse:
    return render(request, "lexique/domains.html", {"domains": selectors.domains_with_published_counts()})


@same_for_every_reader
def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = next((item for item in selectors.domains_with_published_counts() if item.slug == slug), None)
    if domain is None:
        raise Http404(_("Domaine inconnu."))
    page = BrowsingPaginator(
        Term.objects.published(), PAGE_SIZE, count=domain.published_count,
        ids=selectors.domain_listing(domain, lang=reader_language()), id_field="term_id",
        positions=f"domain.{domain.pk}",
    ).get_page(request.GET.get("page"))
    return render(request, "lexique/domain.html", {"domain": domain, "page": page})


def _published_term(slug: str) -> Term:
    return get_object_or_404(Term.objects.published(), slug=slug)


def retired_term(request: HttpRequest, retirement: Retirement, *, status: int = 410) -> HttpResponse:
    """A retired term's address: when and why, its last version and how to cite it, where to go next."""
    last = retirement.last_version
    return render(request, "lexique/retired.html", {
        "retirement": retirement, "term": retirement.term, "last": last,
        "citation": citations.citation_text(retirement.term, last) if last else "",
        "definitions": [
            {"lang": lang, "html": last.html("definition", lang, term=retirement.term)}
            for lang in LANGUAGES if last and getattr(last, f"definition_{lang}")
        ],
    }, status=status)


def term_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A term's page. Anonymous readers share one copy per state of what it shows (the term, its domains,
    the terms it links to: publications that leave them alone keep it) and size of the discussion (its one
    figure that changes without a publication); what is a reader's own (pending proposals, the follow
    button, the moderator's form) is only on signed-in readers' pages, never cached."""
    if request.method in ("GET", "HEAD") and not _personal(request):
        state = term_page_state(slug)
        if state is not None:
            return published_page(request, lambda: _term_page(request, slug), state=state,
                                  extra=f"discussion.{selectors.discussion_size(slug)}")
    return _term_page(request, slug)


def _term_page(request: HttpRequest, slug: str) -> HttpResponse:
    retirement = selectors.term_retirement(slug)
    if retirement is not None:
        return retired_term(request, retirement)
    term = get_object_or_404(
        Term.objects.published().select_related("current_revision").prefetch_related(
            "domains", selectors.published_related(to_attr="published_related")
        ),
        slug=slug,
    )
    pending = list(selectors.pending_proposals_for(term)) if request.user.is_authenticated else []
    return render(request, "lexique/term.html", {
        "term": term, "pending": pending, "following": selectors.is_following(request.user, term),
        "comment_count": selectors.term_discussion(term).visible().count(),
    })


def term_history(request: HttpRequest, slug: str) -> HttpResponse:
    term = _published_term(slug)
    history = list(selectors.term_history(term))
    return render(request, "lexique/history.html", {"term": term, "history": history})


def term_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """A word diff between two approved revisions (?de=N&a=M), by default the last two."""
    term = _published_term(slug)
    history = list(selectors.term_history(term))
    # Versions people cite, 1, 2, 3 …: the internal revision numbers stay internal (every approved revision has one).
    versions = [(revision.version, revision) for revision in history if revision.version is not None]
    by_version = dict(versions)
    try:
        new_version = int(request.GET.get("a", versions[0][0]))
        new = by_version[new_version]
        old_version = request.GET.get("de")
        old = by_version[int(old_version)] if old_version else next(
            (revision for version, revision in versions if version < new_version), None)
    except (KeyError, ValueError):
        raise Http404(_("Révision inconnue.")) from None
    return render(request, "lexique/diff.html", {
        "term": term, "old": old, "new": new, "history": history,
        "changes": revision_diff(selectors.labelled_content(old), selectors.labelled_content(new)),
    })


def recent_changes(request: HttpRequest) -> HttpResponse:
    """/modifications-recentes/: the latest publications, narrowed by kind and domain, with their Atom feed."""
    domains = list(Domain.objects.order_by("position", "slug"))
    filters = changes_filters(request.GET, domains=domains)
    before = request.GET.get("avant", "")
    events = selectors.recent_changes(kind=filters.kind, domain=filters.domain,
                                      before=int(before) if before.isdigit() else None)
    more = len(events) > selectors.RECENT_CHANGES_PAGE_SIZE
    events = events[:selectors.RECENT_CHANGES_PAGE_SIZE]
    return render(request, "lexique/recent_changes.html", {
        "events": events, "kinds": PublicationEvent.Kind.choices, "kind": filters.kind, "domains": domains,
        "domain": filters.domain, "feed_query": filters.query_string(), "feed_title": recent_changes_title(filters),
        "next_query": urlencode({**filters.query(), "avant": str(events[-1].sequence)}) if more and events else "",
    })
