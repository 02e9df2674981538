"""Pages for readers: home, search, A–Z, domains, a term, its history and diffs."""
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import selectors
from ..diff import revision_diff
from ..models import Domain, Term
from ..templatetags.lexique import shown_language
from ..text import normalize

PAGE_SIZE = 50


def home(request):
    published = Term.objects.published()
    return render(request, "lexique/home.html", {
        "recent": published.order_by("-updated_at")[:8],
        "count": published.count(),
        "domains": selectors.domains_with_counts(),
        "letters": selectors.letters_with_counts(),
    })


def text_param(request, name, limit=200):
    """A query-string value as text a database accepts: no NUL, bounded length."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def search(request):
    query = text_param(request, "q")
    domain = text_param(request, "domaine", 60) or None
    results = selectors.search_terms(query, domain=domain) if query else Term.objects.none()
    page = Paginator(results, selectors.SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lexique/search.html", {
        "query": query, "page": page, "domains": Domain.objects.all(), "domain": domain,
    })


def suggestions(request):
    """As-you-type results, for the search box and for spotting duplicates while proposing."""
    query = text_param(request, "q")
    terms = selectors.search_terms(query)[:8] if len(normalize(query)) >= 2 else []
    return JsonResponse({"results": [
        {"headword": term.headword, "lang": shown_language(term), "headword_fr": term.headword_fr,
         "url": term.get_absolute_url(), "category": term.category}
        for term in terms
    ]})


def letter_index(request, letter=None):
    letters = selectors.letters_with_counts()
    if letter is None:
        letter = next((initial for initial, count in letters if count), "A")
    letter = letter.upper()
    if letter not in {initial for initial, _count in letters}:
        raise Http404(_("Lettre inconnue."))
    terms = Term.objects.published().starting_with(letter)
    page = Paginator(terms, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lexique/letters.html", {"letters": letters, "letter": letter, "page": page})


def domain_list(request):
    return render(request, "lexique/domains.html", {"domains": selectors.domains_with_counts()})


def domain_detail(request, slug):
    domain = get_object_or_404(Domain, slug=slug)
    page = Paginator(Term.objects.published().filter(domains=domain), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lexique/domain.html", {"domain": domain, "page": page})


def _published_term(slug):
    return get_object_or_404(Term.objects.published(), slug=slug)


def term_detail(request, slug):
    term = get_object_or_404(
        Term.objects.published().select_related("current_revision").prefetch_related("domains", "related"), slug=slug
    )
    return render(request, "lexique/term.html", {"term": term})


def term_history(request, slug):
    term = _published_term(slug)
    history = list(selectors.term_history(term))
    return render(request, "lexique/history.html", {"term": term, "history": history})


def term_diff(request, slug):
    """A word diff between two approved revisions (?de=N&a=M), by default the last two."""
    term = _published_term(slug)
    history = list(selectors.term_history(term))
    by_number = {revision.number: revision for revision in history}
    try:
        new = by_number[int(request.GET.get("a", history[0].number))]
        old_number = request.GET.get("de")
        old = by_number[int(old_number)] if old_number else next((r for r in history if r.number < new.number), None)
    except (KeyError, ValueError):
        raise Http404(_("Révision inconnue.")) from None
    return render(request, "lexique/diff.html", {
        "term": term, "old": old, "new": new, "history": history, "changes": revision_diff(old, new),
    })
