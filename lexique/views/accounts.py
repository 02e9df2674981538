"""Account pages: sign up (sign in, out and password reset are Django's own views)."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..api import tokens
from ..forms import SignUpForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("lexique:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue ! Vous pouvez maintenant proposer des termes."))
        return redirect("lexique:home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account(request):
    """The person's account, with their API token: create it, see it, revoke it."""
    if request.method == "POST":
        if request.POST.get("token") == "revoke":
            tokens.revoke_token(request.user)
            messages.success(request, _("Votre jeton d'API est révoqué : les clients qui l'utilisaient sont refusés."))
        else:
            tokens.get_or_create_token(request.user)
            messages.success(request, _("Votre jeton d'API est prêt."))
        return redirect("lexique:account")
    return render(request, "registration/account.html", {"token": tokens.current_token(request.user)})
