"""Content fields translated with django-modeltranslation: French first, English second."""
from modeltranslation.translator import TranslationOptions, register

from lexique.core.content import TRANSLATED_FIELDS
from lexique.models import Domain, Revision, Term


@register(Domain)
class DomainTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("fr",)


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = TRANSLATED_FIELDS + ("definition_html", "examples_html", "notes_html")


@register(Revision)
class RevisionTranslationOptions(TranslationOptions):
    fields = TRANSLATED_FIELDS
