"""A person's own choices: whether the e-books name them in their credits, how they hear of what they follow."""
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from lexique.models import ContributorPreferences
from lexique.models.people import NOTICE_CHOICES
from lexique.services.errors import ValidationError
from lexique.services.notifications import NOTICES, resubscribe


def set_named_in_credits(user: User, *, named: bool) -> ContributorPreferences:
    """Record whether `user` agrees to be named in the credits of the e-books (books built from now on)."""
    with transaction.atomic():
        preferences, _created = ContributorPreferences.objects.update_or_create(
            user=user, defaults={"named_in_credits": named},
        )
    return preferences


def is_named_in_credits(user: User) -> bool:
    return ContributorPreferences.objects.filter(user=user, named_in_credits=True).exists()


def set_notices(user: User, choice: str) -> ContributorPreferences:
    """How `user` hears of comments, decisions and new versions: "each", "daily" or "off".

    Choosing to hear again undoes an earlier unsubscribe link followed for their address."""
    if choice not in dict(NOTICE_CHOICES):
        raise ValidationError({"notices": [_("Choix inconnu.")]})
    with transaction.atomic():
        preferences, _created = ContributorPreferences.objects.update_or_create(
            user=user, defaults={"notices": choice},
        )
        if choice != "off" and user.email:
            resubscribe(user.email, NOTICES)
    return preferences
