"""A contributor's public page: the versions they wrote that moderators approved, only if they agreed to it."""
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lexique import selectors

PAGE_SIZE = 50


def contributor(request: HttpRequest, name: str) -> HttpResponse:
    # One answer for an unknown name and for a person who did not agree: nobody learns which accounts exist.
    person = selectors.public_contributor(name)
    if person is None:
        raise Http404(_("Aucune page publique de contributions à ce nom."))
    page = Paginator(selectors.public_contributions(person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lexique/contributor.html", {
        "person": person, "name": selectors.public_name(person), "page": page, "contributions": page,
    })
