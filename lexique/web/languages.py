"""The language a signed-in person uses, noted when they write: their e-mails follow it until they choose one."""
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lexique.services.preferences import note_language_used

# The language last noted for this session, so that a person who keeps to one language costs one write.
SESSION_KEY = "lexique_language_noted"


class LanguageUsedMiddleware:
    """After a form sent by a signed-in person (signing up or in, a proposal, a comment), note its language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        # The API's answers are in no person's language of the site: only the pages' forms count.
        if request.method == "POST" and user is not None and user.is_authenticated and language \
                and not request.path.startswith("/api/") and request.session.get(SESSION_KEY) != language:
            note_language_used(user, language)  # type: ignore[arg-type]  # an authenticated user is a User
            request.session[SESSION_KEY] = language
        return response
