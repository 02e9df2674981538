"""Account pages: sign up, API tokens, and the limits on password-reset e-mails (the rest is Django's)."""
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lexique.core.content import LANGUAGE_NAMES
from lexique.models.people import NOTICE_CHOICES
from lexique.platform.clients import client_address
from lexique.selectors import public_name, shows_contributions
from lexique.services import RateLimited, ValidationError, accounts, error_message, mail, notifications, tokens
from lexique.services.preferences import (
    LANGUAGE_CODES,
    chosen_email_language,
    email_language,
    is_named_in_credits,
    set_email_language,
    set_named_in_credits,
    set_notices,
    set_public_contributions,
)
from lexique.web.forms import SignUpForm
from lexique.web.requests import AuthenticatedHttpRequest

logger = logging.getLogger(__name__)

RESET_WINDOW_SECONDS = 3600


def signup(request: HttpRequest) -> HttpResponse:
    """Everyone who fills the form correctly gets the same answer, whether their address is known or not.

    The new account is signed in but may only read until its address is confirmed from the link e-mailed
    to it; that one e-mail a day per address also names the other accounts that hold the address, so
    the page never says that an address was in use. At most SIGNUPS_PER_CLIENT_PER_HOUR accounts are
    made from one client address.
    """
    if request.user.is_authenticated:
        return redirect("lexique:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.count_signup(client_address(request))
        except RateLimited as error:
            form.add_error(None, error.message)
            return render(request, "registration/signup.html", {"form": form}, status=429)
        with transaction.atomic():
            user = form.save()
            accounts.start_confirmation(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue ! Un lien vous est envoyé par courriel : confirmez votre adresse, "
                                    "puis vous pourrez proposer des termes."))
        return redirect("lexique:home")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the e-mail: a page with one button (a link checker that opens it confirms nothing)."""
    user = _user_from_uid(uidb64)
    valid = user is not None and accounts.confirmation_tokens.check_token(user, token)
    if request.method == "POST" and user is not None and valid:
        address = accounts.confirm_address(user=user, token=token)
        messages.success(request, _("Adresse confirmée : %(address)s.") % {"address": address})
        return redirect("lexique:account" if request.user.is_authenticated else "login")
    response = render(request, "registration/confirm_email.html", {
        "valid": valid, "address": accounts.address_to_confirm(user) if user is not None and valid else "",
    }, status=200 if valid else 400)
    response["Cache-Control"] = "no-store"
    # The token is in the address: never sent to another site (same-origin keeps the form's Origin for CSRF).
    response["Referrer-Policy"] = "same-origin"
    return response


def _user_from_uid(uidb64: str) -> User | None:
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return get_user_model().objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None


@never_cache
@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's account, with their API tokens: make one (shown once), list them, revoke them."""
    new_token = None
    if request.method == "POST" and "email-action" in request.POST:
        return _email_action(request)
    if request.method == "POST" and "notices" in request.POST:
        try:
            set_notices(request.user, request.POST["notices"])
        except ValidationError as error:
            messages.error(request, error_message(error))
        else:
            messages.success(request, _("Votre choix de courriels est enregistré."))
        return redirect("lexique:account")
    if request.method == "POST" and "credits" in request.POST:
        named = request.POST.get("credits") == "on"
        set_named_in_credits(request.user, named=named)
        messages.success(request, _("Votre nom figurera dans les crédits des prochains livres numériques.") if named
                         else _("Votre nom ne figurera pas dans les crédits des prochains livres numériques."))
        return redirect("lexique:account")
    if request.method == "POST" and "public_contributions" in request.POST:
        public = request.POST.get("public_contributions") == "on"
        set_public_contributions(request.user, public=public)
        messages.success(request, _("Vos contributions approuvées sont maintenant publiques, sur une page à votre nom.")
                         if public else _("Vos contributions ne sont plus montrées sur une page publique."))
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
        "public_contributions": shows_contributions(request.user),
        "email_language": {"chosen": chosen_email_language(request.user), "effective": email_language(request.user),
                           "choices": LANGUAGE_NAMES.items()},
        "notices": notifications.notice_choice(request.user), "notice_choices": NOTICE_CHOICES,
        "token_days": settings.REST_KNOX["TOKEN_TTL"].days,
        "email_confirmed": accounts.is_confirmed(request.user), "may_contribute": accounts.may_contribute(request.user),
        "pending_email": accounts.address_to_confirm(request.user)
        if accounts.address_to_confirm(request.user) != request.user.email else "",
    })
    # The token appears in this page only once: no cache, no history copy may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _email_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for the confirmation link again, or for a new address (confirmed from a link sent to it)."""
    try:
        if request.POST["email-action"] == "change":
            accounts.change_address(user=request.user, email=request.POST.get("email", ""))
            messages.success(request, _("Un lien vous est envoyé à la nouvelle adresse : elle remplacera "
                                        "l'actuelle une fois confirmée."))
        else:
            accounts.resend_confirmation(user=request.user)
            messages.success(request, _("Un nouveau lien de confirmation vous est envoyé."))
    except (ValidationError, RateLimited) as error:
        messages.error(request, error_message(error))
    return redirect("lexique:account")


@csrf_exempt  # the signed token is the proof; mail programs send RFC 8058's one-click POST without a form
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of every e-mail: a page with one button, or the mail program's one-click POST."""
    signed = mail.read_unsubscribe_token(token)
    if signed is None:
        return render(request, "registration/unsubscribe.html", {"valid": False}, status=400)
    address, stream = signed
    done = request.method == "POST"
    if done:
        with transaction.atomic():
            mail.unsubscribe(address, stream)
    response = render(request, "registration/unsubscribe.html", {
        "valid": True, "done": done, "address": address, "what": mail.stream_label(stream),
    })
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
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


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, its e-mail sent the site's one way (after commit, with its unsubscribe headers)."""

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        notifications.send_password_reset(to=to_email, subject=subject,
                                          body=render_to_string(email_template_name, context))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, sending at most a few e-mails per hour to one address and from one client.

    Beyond the limit the page answers exactly as if the e-mail had gone, so it reveals nothing.
    """

    form_class = PasswordResetForm

    def form_valid(self, form: DjangoPasswordResetForm) -> HttpResponse:
        # A digest, not the address itself: the cache need not hold anyone's e-mail address.
        email = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        allowed = _within_limit(f"password-reset:client:{client_address(self.request)}",
                                settings.PASSWORD_RESET_REQUESTS_PER_HOUR)
        allowed = allowed and _within_limit(f"password-reset:email:{email}",
                                            settings.PASSWORD_RESET_EMAILS_PER_HOUR)
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
