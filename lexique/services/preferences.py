"""A person's own choices: whether the e-books name them in their credits."""
from django.contrib.auth.models import User
from django.db import transaction

from lexique.models import ContributorPreferences


def set_named_in_credits(user: User, *, named: bool) -> ContributorPreferences:
    """Record whether `user` agrees to be named in the credits of the e-books (books built from now on)."""
    with transaction.atomic():
        preferences, _created = ContributorPreferences.objects.update_or_create(
            user=user, defaults={"named_in_credits": named},
        )
    return preferences


def is_named_in_credits(user: User) -> bool:
    return ContributorPreferences.objects.filter(user=user, named_in_credits=True).exists()
