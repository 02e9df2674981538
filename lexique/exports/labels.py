"""The words of the book itself, in each of its two content languages.

A book is written in the language its reader chose, not in the language of the web page that
offered it, and the bilingual edition needs both at once; so these are content, kept side by side
like the lexicon's own bilingual fields, rather than interface strings of the message catalogue.
"""

LEXICON_NAME = {
    "fr": "Lexique de la transformation numérique des organisations culturelles",
    "en": "Lexicon of the Digital Transformation of Arts and Cultural Organisations",
}

LABELS = {
    "fr": {
        "edition": "Édition du {date}",
        "cover": "Couverture",
        "cover_alt": "Couverture : {title}{subtitle}. {edition}.",
        "title_page": "Page de titre",
        "based_on": "D’après le {name}",
        "contents": "Table des matières",
        "landmarks": "Repères",
        "about": "À propos de ce livre",
        "about_lexicon": (
            "Le {name} est un lexique collaboratif et bilingue (français et anglais). Les personnes du milieu "
            "culturel y proposent des termes et des définitions ; une équipe de modération relit chaque "
            "proposition avant de la publier. Ce livre en reprend les termes publiés, et eux seuls."
        ),
        "contribute_heading": "Contribuer",
        "contribute": (
            "Toute personne qui a un compte sur {site} peut proposer un nouveau terme ou une meilleure "
            "définition d’un terme existant."
        ),
        "licence_heading": "Licence",
        "licence": "Le contenu du lexique est offert sous licence {licence}.",
        "custom_title": (
            "Cette édition, intitulée « {title} », a été préparée à partir du lexique ; elle en garde "
            "la licence et les crédits."
        ),
        "this_edition": "Cette édition",
        "terms_count": "Nombre de termes",
        "domains": "Domaines",
        "all_domains": "tous",
        "language": "Langue",
        "export_date": "Date de l’export",
        "version": "Version du lexique",
        "site": "Adresse du lexique",
        "identifier": "Identifiant",
        "languages": {"fr": "français", "en": "anglais", "bilingual": "bilingue (français et anglais)"},
        "letter_title": "Lettre {letter}",
        "continued": "{letter} (suite)",
        "symbols": "0–9 et symboles",
        "index": "Index par domaine",
        "index_intro": "Les termes de ce livre, regroupés par domaine.",
        "examples": "Exemples",
        "notes": "Notes",
        "synonyms": "Synonymes",
        "related": "Voir aussi",
        "sources": "Sources",
        "on_site": "sur le site du lexique",
        "french_term": "Terme français",
        "english_term": "Terme anglais",
        "status": {"preferred": "privilégié", "admitted": "admis", "not_recommended": "déconseillé"},
        "empty": "Aucun terme publié ne correspond à cette sélection pour le moment.",
        "summary": (
            "Ce livre numérique respecte la norme EPUB Accessibility 1.1 (WCAG 2.1 niveau AA). Il est "
            "entièrement textuel, sauf la couverture, décrite par un texte de remplacement. Il comporte une "
            "table des matières, une section par lettre, des titres hiérarchisés, des liens entre termes "
            "associés et un index par domaine ; la langue de chaque passage est indiquée."
        ),
        "description": "Lexique bilingue de la transformation numérique des organisations culturelles.",
    },
    "en": {
        "edition": "Edition of {date}",
        "cover": "Cover",
        "cover_alt": "Cover: {title}{subtitle}. {edition}.",
        "title_page": "Title page",
        "based_on": "Based on the {name}",
        "contents": "Contents",
        "landmarks": "Landmarks",
        "about": "About this book",
        "about_lexicon": (
            "The {name} is a collaborative, bilingual lexicon (French and English). People of the cultural "
            "sector propose terms and definitions; moderators review every proposal before it is published. "
            "This book contains the published terms, and only those."
        ),
        "contribute_heading": "Contributing",
        "contribute": "Anyone with an account on {site} can propose a new term or a better definition of an existing one.",
        "licence_heading": "Licence",
        "licence": "The content of the lexicon is offered under the {licence} licence.",
        "custom_title": (
            "This edition, entitled “{title}”, was prepared from the lexicon; it keeps the lexicon’s "
            "licence and credits."
        ),
        "this_edition": "This edition",
        "terms_count": "Number of terms",
        "domains": "Domains",
        "all_domains": "all",
        "language": "Language",
        "export_date": "Export date",
        "version": "Lexicon version",
        "site": "Lexicon address",
        "identifier": "Identifier",
        "languages": {"fr": "French", "en": "English", "bilingual": "bilingual (French and English)"},
        "letter_title": "Letter {letter}",
        "continued": "{letter} (continued)",
        "symbols": "0–9 and symbols",
        "index": "Index by domain",
        "index_intro": "The terms of this book, grouped by domain.",
        "examples": "Examples",
        "notes": "Notes",
        "synonyms": "Synonyms",
        "related": "See also",
        "sources": "Sources",
        "on_site": "on the lexicon’s website",
        "french_term": "French term",
        "english_term": "English term",
        "status": {"preferred": "preferred", "admitted": "admitted", "not_recommended": "not recommended"},
        "empty": "No published term matches this selection yet.",
        "summary": (
            "This e-book meets EPUB Accessibility 1.1 (WCAG 2.1 Level AA). It is entirely textual except for "
            "the cover, which has a text alternative. It has a table of contents, one section per letter, "
            "structured headings, links between related terms and an index by domain; the language of every "
            "passage is marked."
        ),
        "description": "A bilingual lexicon of the digital transformation of arts and cultural organisations.",
    },
}


def _french_spacing(value):
    """Non-breaking spaces where French typography wants them, so that « : » never starts a line."""
    if isinstance(value, dict):
        return {key: _french_spacing(item) for key, item in value.items()}
    for plain, fixed in ((" ;", "\u202f;"), (" :", "\u00a0:"), ("« ", "«\u00a0"), (" »", "\u00a0»")):
        value = value.replace(plain, fixed)
    return value


LABELS["fr"] = _french_spacing(LABELS["fr"])
