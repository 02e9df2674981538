"""Template helpers of the lexicon pages."""
from html import unescape
from typing import Any

from django import template
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.template import Context
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.formats import number_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import override

from lexique import selectors
from lexique.core import content, sources
from lexique.core.content import LANGUAGE_NAMES, reader_language, status_label
from lexique.core.diff import LIST_DIFF_FIELDS
from lexique.core.grammar import headword_grammar, headword_region
from lexique.interop.importers.readers import max_bytes, max_entries
from lexique.models import Term
from lexique.publishing.site import site_name as _site_name
from lexique.publishing.site import site_title as _site_title
from lexique.services import can_moderate, definition_missing, publishes_without_definition

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """The site's short name as plain text, for a sentence or a subject line (`{% site_name as name %}`)."""
    return _site_name()


@register.simple_tag
def site_title() -> str:
    """The site's full name as plain text, for a sentence that names it (`{% site_title as title %}`)."""
    return _site_title()


@register.filter
def usage_status(value: str) -> str:
    """The label of a usage status ('preferred' -> 'privilégié')."""
    return status_label(value)


@register.filter
def designation_kind(value: str) -> str:
    """The label of a designation's kind ('initialism' -> 'sigle')."""
    return content.kind_label(value)


@register.filter
def synonym_details(synonym: dict[str, str]) -> str:
    """A synonym's status, kind and region as readers read them: 'admis, sigle, Québec'."""
    return ", ".join(content.synonym_details(synonym))


@register.filter
def plain_text(html: str | None) -> str:
    """Stored HTML as the text a reader sees (tags dropped, entities decoded), to be escaped once on output."""
    return unescape(strip_tags(html or ""))


@register.filter
def field_label(name: str) -> str:
    """A content field's name as readers know it ('definition_fr' -> 'Définition (français)')."""
    return content.field_label(name)


@register.filter
def is_list_field(name: str) -> bool:
    """Whether a diff shows this field as a list of items (related terms, synonyms…) rather than as prose."""
    return name in LIST_DIFF_FIELDS


@register.filter
def field_lang(name: str) -> str:
    """The language of a content field's text, for its lang attribute ('' when it has none)."""
    return name[-2:] if name[-3:] in ("_fr", "_en") else ""


@register.filter
def language_name(code: str) -> str:
    """A language's name in that language, as language switches show it."""
    return LANGUAGE_NAMES.get(code, code)


@register.simple_tag(takes_context=True)
def language_links(context: Context) -> list[tuple[str, str, str]]:
    """[(code, name, url)] of this page in each other language; that language's home if the page has none."""
    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    current = reader_language()
    links: list[tuple[str, str, str]] = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(here, code)
        if url == here:
            with override(code):
                try:
                    url = reverse("lexique:home")
                except NoReverseMatch:  # pragma: no cover - the home page always exists
                    url = "/"
        links.append((code, language_name(code), url))
    return links


@register.simple_tag
def category_label(term: Term) -> dict[str, str]:
    """The grammatical label and region of the headword shown, in its language (lexique.core.grammar):
    'n. m.' on French pages, 'n.' beside an English headword; 'Québec' where it has a region."""
    lang = "en" if reader_language() == "en" and shown_language(term) == "en" else "fr"
    text = headword_grammar(term, lang)
    if lang == "en" and not text:
        lang, text = "fr", headword_grammar(term, "fr")
    return {"text": text, "lang": lang, "region": headword_region(term, lang)}


@register.simple_tag
def headword_label(content: Any, lang: str) -> dict[str, str]:
    """The grammatical label and region of a term's or revision's headword in `lang` ('n. m.', 'Québec')."""
    return {"text": headword_grammar(content, lang), "region": headword_region(content, lang)}


@register.filter
def public_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    return selectors.public_name(user)


@register.filter
def author_link(user: AbstractBaseUser | AnonymousUser | None) -> SafeString:
    """A person's public name, linked to their page of contributions only if they agreed to have one."""
    name = selectors.public_name(user)
    if user is not None and selectors.shows_contributions(user):
        return format_html('<a href="{}">{}</a>', reverse("lexique:contributor", args=[user.get_username()]), name)
    return format_html("{}", name)


@register.filter
def is_moderator(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return can_moderate(user)


@register.filter
def shown_language(term: Term) -> str:
    """The language of the headword a page shows for `term`: the reader's, or French as fallback."""
    language = reader_language()
    return language if getattr(term, f"headword_{language}", "") else "fr"


@register.filter
def other_headword(term: Term) -> dict[str, str] | None:
    """The headword in the other language than the one shown, with its language: (text, lang) or None."""
    shown = shown_language(term)
    other = "en" if shown == "fr" else "fr"
    text = getattr(term, f"headword_{other}", "")
    return {"text": text, "lang": other} if text else None


@register.simple_tag
def term_link(term: Term) -> SafeString:
    """A link to a term, its text in the reader's language when it has one, marked with its language."""
    return format_html('<a href="{}" lang="{}">{}</a>', term.get_absolute_url(), shown_language(term), term.headword)


@register.simple_tag(takes_context=True)
def page_url(context: Context, number: int) -> str:
    """This page's address with another page number, keeping the other parameters (search, domain)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def column_label_both(name: str) -> str:
    """What an imported column holds, in French then English (the import preview's reading of the columns)."""
    from lexique.interop.importers.readers import column_label

    with override("fr"):
        french = column_label(name)
    with override("en"):
        english = column_label(name)
    return french if french == english else f"{french} / {english}"


@register.filter
def lacks_definition(term: Term) -> bool:
    """Whether the term is an equivalence-only entry (no French definition): the one rule of the services."""
    return definition_missing({"definition_fr": term.definition_fr})


@register.simple_tag
def import_limits() -> str:
    """How large a file an import takes, as the import page says it."""
    return _("Un fichier compte jusqu'à %(entries)s entrées et pèse jusqu'à %(size)d Mo ; il est importé en "
             "arrière-plan, et cette page montre où il en est.") % {
        "entries": number_format(max_entries(), force_grouping=True), "size": max_bytes() // (1024 * 1024)}


@register.simple_tag
def missing_definition_policy() -> str:
    """The lexicon's policy for entries without a definition, as the import page and term pages say it."""
    if publishes_without_definition():
        return _("Ce lexique publie les entrées sans définition comme entrées d'équivalence (termes seulement), "
                 "que chacun peut ensuite compléter en proposant une définition.")
    return _("Ce lexique ne publie pas d'entrée sans définition : elle reste une proposition en attente, "
             "marquée « définition manquante », jusqu'à ce qu'une définition soit écrite.")


@register.simple_tag
def term_versions(term: Term) -> list[dict[str, Any]]:
    """The term in the reader's language first, then the other."""
    return term.versions(first=reader_language())


@register.filter
def cite(source: dict[str, Any]) -> SafeString:
    """A source cited in the reader's language (lexique.core.sources: the one citation of a source)."""
    return sources.citation_html(source, reader_language())


@register.filter
def supporting(items: list[dict[str, Any]] | None, lang: str) -> list[dict[str, Any]]:
    """The sources of the definition in `lang` ("" or "term": those of the term as a whole)."""
    wanted = lang if lang in sources.DEFINITION_LANGUAGES else None
    return [source for source in items or () if sources.supports(source, wanted)]


@register.filter
def not_beside(items: list[dict[str, Any]] | None, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources a page lists apart: the term's as a whole, and those of a definition it does not show."""
    shown = {section["lang"] for section in sections if section.get("definition_html")}
    return [source for source in items or () if source.get("definition") not in shown]


@register.filter
def cite_apart(source: dict[str, Any]) -> SafeString:
    """A source cited in a list apart from the definitions: the definition it supports, if any, said."""
    return sources.citation_html(source, reader_language(), with_definition=True)
