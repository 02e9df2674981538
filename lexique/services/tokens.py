"""API tokens of a person (django-rest-knox): hashed, expiring, named; revoked when the password changes."""
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.settings import knox_settings

from lexique.models import ApiToken
from lexique.services.errors import ValidationError

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


def live_tokens(user: User) -> QuerySet[ApiToken]:
    """The person's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user).filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))


@transaction.atomic
def create_token(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: returns the stored record and the token itself, which is never stored."""
    name = (name or "").strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": [_("Nom trop long (%(max)d caractères au plus).") % {"max": NAME_MAX_LENGTH}]})
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise ValidationError({"name": [_("Le nom ne peut pas contenir de caractères de contrôle.")]})
    # Lock the account row so that two requests at once cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and live_tokens(user).count() >= limit:
        message = _("Vous avez déjà %(limit)d jetons : révoquez-en un d'abord.") % {"limit": limit}
        raise ValidationError({"name": [message]})
    return ApiToken.objects.create(user=user, name=name)


def revoke_token(user: User, digest: str) -> bool:
    """Revoke one of the person's tokens (clients using it are refused at once); False if there was none."""
    deleted, _details = ApiToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)


def revoke_all_tokens(user: User) -> int:
    """Revoke every token of the person; the number revoked."""
    deleted, _details = ApiToken.objects.filter(user=user).delete()
    return deleted


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="lexique.revoke_tokens_on_new_password")
def _revoke_tokens_on_new_password(sender: type[User], instance: User, update_fields: Iterable[str] | None = None,
                                   raw: bool = False, **kwargs: Any) -> None:
    """A new password (changed, reset, set in the admin) ends every token made with the old one.

    One place for every path that writes a password: the saved hash is compared with the stored one.
    """
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        ApiToken.objects.filter(user_id=instance.pk).delete()
