"""Template helpers of the lexicon pages."""
from django import template
from django.utils.translation import get_language

from ..models.content import UsageStatus
from ..services import can_moderate

register = template.Library()

LANGUAGE_NAMES = {"fr": "français", "en": "English"}


@register.filter
def usage_status(value):
    """The label of a usage status ('preferred' -> 'privilégié')."""
    try:
        return UsageStatus(value).label
    except ValueError:
        return value


@register.filter
def language_name(code):
    """A language's name in that language, as language switches show it."""
    return LANGUAGE_NAMES.get(code, code)


@register.filter
def is_moderator(user):
    return can_moderate(user)


@register.simple_tag
def term_versions(term):
    """The term in the reader's language first, then the other."""
    return term.versions(first=(get_language() or "fr")[:2])
