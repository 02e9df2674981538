"""The request a signed-in page receives: the type checker learns what `login_required` guarantees."""
from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user has signed in: an account, never AnonymousUser (views behind `login_required`)."""

    user: User
