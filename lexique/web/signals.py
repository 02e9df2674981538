"""What the pages say at sign-in: a person whose address is not confirmed is asked to confirm it."""
from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lexique.services import accounts


@receiver(user_logged_in, dispatch_uid="lexique-ask-to-confirm")
def _ask_to_confirm(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Only on the site's pages (the API's token endpoint has no messages to show).
    if request is None or not hasattr(request, "_messages") or not accounts.should_confirm(user):
        return
    messages.warning(request, _("Confirmez votre adresse courriel : demandez le lien depuis votre compte "
                                "(« Mon compte »)."))
