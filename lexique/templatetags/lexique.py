"""Template helpers of the lexicon pages."""
from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


FIELD_LABELS = {
    "headword_fr": _("Vedette (français)"), "headword_en": _("Vedette (anglais)"),
    "definition_fr": _("Définition (français)"), "definition_en": _("Définition (anglais)"),
    "examples_fr": _("Exemples (français)"), "examples_en": _("Exemples (anglais)"),
    "notes_fr": _("Notes (français)"), "notes_en": _("Notes (anglais)"),
    "category": _("Catégorie grammaticale"), "sources": _("Sources"), "synonyms": _("Synonymes"),
    "domains": _("Domaines"), "related": _("Termes associés"),
}


@register.filter
def field_label(name):
    """A content field's name as readers know it ('definition_fr' -> 'Définition (français)')."""
    return FIELD_LABELS.get(name, name)


@register.filter
def field_lang(name):
    """The language of a content field's text, for its lang attribute ('' when it has none)."""
    return name[-2:] if name[-3:] in ("_fr", "_en") else ""


@register.filter
def language_name(code):
    """A language's name in that language, as language switches show it."""
    return LANGUAGE_NAMES.get(code, code)


@register.filter
def is_moderator(user):
    return can_moderate(user)


@register.filter
def shown_language(term):
    """The language of the headword a page shows for `term`: the reader's, or French as fallback."""
    language = (get_language() or "fr")[:2]
    return language if getattr(term, f"headword_{language}", "") else "fr"


@register.simple_tag
def term_link(term):
    """A link to a term, its text in the reader's language when it has one, marked with its language."""
    return format_html('<a href="{}" lang="{}">{}</a>', term.get_absolute_url(), shown_language(term), term.headword)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """This page's address with another page number, keeping the other parameters (search, domain)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag
def term_versions(term):
    """The term in the reader's language first, then the other."""
    return term.versions(first=(get_language() or "fr")[:2])
