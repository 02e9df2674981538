"""Pages for readers: home, term."""
from django.shortcuts import get_object_or_404, render

from ..models import Term


def home(request):
    recent = Term.objects.published().order_by("-updated_at")[:12]
    return render(request, "lexique/home.html", {"recent": recent, "count": Term.objects.published().count()})


def term_detail(request, slug):
    term = get_object_or_404(Term.objects.published().prefetch_related("domains", "related"), slug=slug)
    return render(request, "lexique/term.html", {"term": term})
