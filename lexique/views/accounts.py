"""Account pages: sign up (sign in, out and password reset are Django's own views)."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
    return render(request, "registration/account.html", {})
