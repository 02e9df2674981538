"""Account pages: sign up, API tokens, and the limits on password-reset e-mails (the rest is Django's)."""
import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lexique.core.content import LANGUAGE_NAMES
from lexique.platform.clients import client_address
from lexique.selectors import public_name
from lexique.services import ValidationError, error_message, tokens
from lexique.services.notifications import deliver
from lexique.services.preferences import (
    LANGUAGE_CODES,
    chosen_email_language,
    email_language,
    is_named_in_credits,
    set_email_language,
    set_named_in_credits,
)
from lexique.web.forms import QueuedPasswordResetForm, SignUpForm
from lexique.web.requests import AuthenticatedHttpRequest

logger = logging.getLogger(__name__)

RESET_WINDOW_SECONDS = 3600


def signup(request: HttpRequest) -> HttpResponse:
    """Everyone who fills the form correctly gets the same answer, whether their address is known or not.

    An address that already has an account still gets its new account (addresses are not verified,
    so an unknown one gives no more than this), and its owner is told by e-mail; the page never says
    that the address was in use, so it cannot be used to find out who has an account.
    """
    if request.user.is_authenticated:
        return redirect("lexique:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        known = list(get_user_model().objects.filter(email__iexact=form.cleaned_data["email"], is_active=True))
        user = form.save()
        if known:
            transaction.on_commit(lambda: _tell_owners_of_new_account(request, known, user))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue ! Vous pouvez maintenant proposer des termes."))
        return redirect("lexique:home")
    return render(request, "registration/signup.html", {"form": form})


def _tell_owners_of_new_account(request: HttpRequest, owners: list[User], new_user: User) -> None:
    messages = []
    for owner in owners:
        context = {"owner": owner, "new_username": new_user.get_username(), "site_url": settings.SITE_URL,
                   "reset_url": request.build_absolute_uri(reverse("password_reset"))}
        messages.append((_("Un autre compte a été créé avec votre adresse"),
                         render_to_string("registration/signup_known_address_email.txt", context), owner.email))
    # Sent by the task queue: the answer stays the one any sign-up gets, whatever the mail server does.
    deliver(messages)


@never_cache
@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's account, with their API tokens: make one (shown once), list them, revoke them."""
    new_token = None
    if request.method == "POST" and "credits" in request.POST:
        named = request.POST.get("credits") == "on"
        set_named_in_credits(request.user, named=named)
        messages.success(request, _("Votre nom figurera dans les crédits des prochains livres numériques.") if named
                         else _("Votre nom ne figurera pas dans les crédits des prochains livres numériques."))
        return redirect("lexique:account")
    if request.method == "POST" and "email_language" in request.POST:
        language = request.POST["email_language"]
        if language in ("", *LANGUAGE_CODES):
            set_email_language(request.user, language=language)
            messages.success(request, _("Langue des courriels enregistrée."))
        return redirect("lexique:account")
    if request.method == "POST":
        action = request.POST.get("token")
        if action == "revoke":
            if tokens.revoke_token(request.user, request.POST.get("digest", "")):
                messages.success(request, _("Jeton révoqué : les clients qui l'utilisaient sont refusés."))
            return redirect("lexique:account")
        if action == "revoke-all":
            tokens.revoke_all_tokens(request.user)
            messages.success(request, _("Tous vos jetons sont révoqués."))
            return redirect("lexique:account")
        try:
            _record, new_token = tokens.create_token(request.user, name=request.POST.get("name", ""))
        except ValidationError as error:
            messages.error(request, error_message(error))
            return redirect("lexique:account")
    response = render(request, "registration/account.html", {
        "tokens": tokens.live_tokens(request.user), "new_token": new_token,
        "named_in_credits": is_named_in_credits(request.user), "public_name": public_name(request.user),
        "email_language": {"chosen": chosen_email_language(request.user), "effective": email_language(request.user),
                           "choices": LANGUAGE_NAMES.items()},
        "token_days": settings.REST_KNOX["TOKEN_TTL"].days,
    })
    # The token appears in this page only once: no cache, no history copy may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _within_limit(key: str, limit: int) -> bool:
    """Count one more event under `key` for the hour; False once `limit` is exceeded (counted in the cache)."""
    if limit <= 0:
        return True
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=RESET_WINDOW_SECONDS)
        count = 1
    return count <= limit


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, sending at most a few e-mails per hour to one address and from one client.

    Beyond the limit the page answers exactly as if the e-mail had gone, so it reveals nothing.
    """

    form_class = QueuedPasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # A digest, not the address itself: the cache need not hold anyone's e-mail address.
        email = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        allowed = _within_limit(f"password-reset:client:{client_address(self.request)}",
                                settings.PASSWORD_RESET_REQUESTS_PER_HOUR)
        allowed = allowed and _within_limit(f"password-reset:email:{email}",
                                            settings.PASSWORD_RESET_EMAILS_PER_HOUR)
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
