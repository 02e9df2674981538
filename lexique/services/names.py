"""Names checked against those already taken: a headword against the lexicon's, a username against the accounts'.

The rules a name obeys on its own (characters, lookalikes, slugs) are in lexique.core.names.
"""
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lexique.core.names import clean_name, is_deceptive, refuse_lookalike, skeleton
from lexique.models import Term


def clean_headword(value: str, *, term: Term | None = None) -> str:
    """A headword or synonym: clean_name, and no lookalike of another term's headwords or synonyms."""
    name = clean_name(value)
    if name and is_deceptive(name):
        key = skeleton(name)
        # The published keys hold every headword and synonym normalised: a cheap first sieve.
        candidates = Term.objects.filter(Q(sort_key=key) | Q(search_text__contains=key))
        if term is not None and term.pk:
            candidates = candidates.exclude(pk=term.pk)
        refuse_lookalike(name, _names_of(candidates))
    return name


def _names_of(terms: QuerySet[Term]) -> Iterator[str]:
    for headword_fr, headword_en, synonyms in terms.values_list("headword_fr", "headword_en", "synonyms"):
        yield from (headword for headword in (headword_fr, headword_en) if headword)
        yield from (synonym.get("text", "") for synonym in synonyms or [] if isinstance(synonym, dict))


def clean_username(value: str, *, user: AbstractBaseUser | None = None) -> str:
    """A new username: clean_name, unique whatever its case, and no lookalike of another username."""
    name = clean_name(value)
    others = get_user_model().objects.all()
    if user is not None and user.pk:
        others = others.exclude(pk=user.pk)
    if others.filter(username__iexact=name).exists():
        raise ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="unique")
    if is_deceptive(name):
        key = skeleton(name)
        refuse_lookalike(name, others.filter(username__iexact=key).values_list("username", flat=True))
    return name
