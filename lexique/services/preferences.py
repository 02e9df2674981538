"""A person's own choices: whether the e-books name them in their credits, whether their contributions have a
public page, the language of their e-mails,
how they hear of what they follow."""
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from lexique.models import ContributorPreferences
from lexique.models.people import NOTICE_CHOICES
from lexique.services.errors import ValidationError
from lexique.services.mail import NOTICES, resubscribe

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def set_named_in_credits(user: User, *, named: bool) -> ContributorPreferences:
    """Record whether `user` agrees to be named in the credits of the e-books (books built from now on)."""
    with transaction.atomic():
        preferences, _created = ContributorPreferences.objects.update_or_create(
            user=user, defaults={"named_in_credits": named},
        )
    return preferences


def is_named_in_credits(user: User) -> bool:
    return ContributorPreferences.objects.filter(user=user, named_in_credits=True).exists()


def set_public_contributions(user: User, *, public: bool) -> ContributorPreferences:
    """Record whether `user` agrees to a public page of their approved contributions, linked from their name."""
    with transaction.atomic():
        preferences, _created = ContributorPreferences.objects.update_or_create(
            user=user, defaults={"public_contributions": public},
        )
    return preferences


def set_email_language(user: User, *, language: str) -> ContributorPreferences:
    """The language `user` chooses for the e-mails the site sends them ('' goes back to the last one used)."""
    if language and language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language: {language!r}")
    with transaction.atomic():
        preferences, _created = ContributorPreferences.objects.update_or_create(
            user=user, defaults={"language": language},
        )
    return preferences


def chosen_email_language(user: User) -> str:
    """The language `user` chose for their e-mails, '' when they chose none."""
    return ContributorPreferences.objects.filter(user=user).values_list("language", flat=True).first() or ""


def note_language_used(user: User, language: str) -> None:
    """Remember the language of the site `user` last signed in to or wrote in: their e-mails' language until
    they choose one."""
    language = (language or "")[:2]
    if language not in LANGUAGE_CODES:
        return
    updated = ContributorPreferences.objects.filter(user=user).exclude(last_language=language).update(
        last_language=language)
    if not updated:
        ContributorPreferences.objects.get_or_create(user=user, defaults={"last_language": language})


def email_languages(users: Iterable[User]) -> dict[int, str]:
    """{user id: the language of the e-mails sent to them}: chosen, else last used, else the site's."""
    ids = [user.pk for user in users]
    chosen = {
        pk: language or last_language
        for pk, language, last_language in ContributorPreferences.objects.filter(user_id__in=ids).values_list(
            "user_id", "language", "last_language")
    }
    default = settings.LANGUAGE_CODE[:2]
    return {pk: chosen.get(pk) or default for pk in ids}


def email_language(user: User) -> str:
    return email_languages([user])[user.pk]


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
