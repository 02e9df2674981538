"""The words of the book itself, in each of its two content languages.

A book is written in the language its reader chose, not in the language of the web page that
offered it, and the bilingual edition needs both at once; so these are content, kept side by side
like the lexicon's own bilingual fields, rather than interface strings of the message catalogue.
The lexicon's own name is not among them: `{name}` is filled with the site's (PublishedSet.names).
"""
from typing import Any

from lexique.interop.exporters.typography import CONVENTIONS, FRANCE, typeset

# Each language's labels: mostly strings to format, a few lists of paragraphs and tables by code.
LABELS: dict[str, dict[str, Any]] = {
    "fr": {
        "edition": "Édition du {date}",
        "edition_bilingual": "Édition bilingue du {date}",
        "edition_cited": "édition du {date}",
        "edition_statement": "Édition du {date}, qui reprend les termes publiés à cette date.",
        "cover": "Couverture",
        "cover_alt": "Couverture : {title}{subtitle}. {edition}.",
        "half_title": "Faux-titre",
        "title_page": "Page de titre",
        "based_on": "D’après le {name}",
        "organisation_edition": "Édition préparée par : {organisation}",
        "logo": "Logo de l’organisation",
        "logo_alt": "Logo de {organisation}",
        "logo_named": "Logo : {organisation}",
        "copyright": "Droits et édition",
        "contents": "Table des matières",
        "landmarks": "Repères",
        "start": "Début du lexique",
        "terms_az": "Les termes de A à Z",
        "letters": "Lettres",
        "preface": "Préface",
        "preface_text": [
            "Le {name} est né d’une journée de formation sur la transformation numérique des arts et de la "
            "culture : un petit glossaire remis aux participantes et aux participants pour partager un "
            "vocabulaire commun.",
            "Les personnes du milieu l’enrichissent depuis ensemble, en français et en anglais. Chacune peut "
            "proposer un terme ou une meilleure définition ; une équipe de modération relit chaque "
            "proposition avant de la publier. Ce livre reprend les termes publiés, et eux seuls, tels "
            "qu’ils étaient le jour de son édition.",
        ],
        "preface_site": "Le lexique vit en ligne, à l’adresse {site}, où il continue de s’enrichir.",
        "preface_custom": "{organisation} a préparé cette édition pour ses équipes et ses publics.",
        "how_to_use": "Mode d’emploi",
        "how_to_use_text": [
            "Les termes sont classés par ordre alphabétique, sans tenir compte des accents ni des majuscules. "
            "La table des matières et la barre de lettres en haut de chaque page mènent à chaque lettre.",
            "Chaque article donne le terme, sa catégorie grammaticale, sa définition puis, selon le cas, "
            "ses synonymes avec leur statut d’usage, des exemples, des notes, ses domaines, des termes "
            "associés et des sources.",
            "Un synonyme ou un terme déconseillé renvoie au terme à employer : « voir … ». Les index, à la "
            "fin du livre, donnent tous les termes par ordre alphabétique et par domaine.",
            "Si votre application de lecture le permet, sa recherche retrouve aussi les synonymes.",
        ],
        "how_to_use_bilingual": (
            "Dans l’édition bilingue, l’équivalent anglais suit la définition française, marqué d’un filet ; "
            "l’index anglais-français donne accès aux termes par leur nom anglais."
        ),
        "how_to_use_english": (
            "Dans l’édition anglaise, le terme français accompagne chaque terme anglais ; l’index "
            "français-anglais donne accès aux termes par leur nom français."
        ),
        "legend": "Abréviations et statuts d’usage",
        "abbreviations": "Abréviations",
        "statuses": "Statuts d’usage",
        "status_legend": {
            "preferred": "le terme à employer de préférence",
            "admitted": "un terme correct, moins courant ou moins précis",
            "not_recommended": "un terme à éviter : on lui préfère le terme de l’article",
        },
        "symbols": "0–9 et symboles",
        "continued": "{letter} (suite)",
        "see": "voir",
        "see_entry": "voir {term}",
        "index": "Index alphabétique",
        "index_intro": "Tous les termes de ce livre et leurs synonymes, par ordre alphabétique.",
        "index_domains": "Index par domaine",
        "index_domains_intro": "Les termes de ce livre, regroupés par domaine.",
        "index_en_fr": "Index anglais-français",
        "index_en_fr_intro": "Les termes anglais et leur équivalent français.",
        "index_fr_en": "Index français-anglais",
        "index_fr_en_intro": "Les termes français et leur équivalent anglais.",
        "examples": "Exemples",
        "notes": "Notes",
        "synonyms": "Synonymes",
        "domains": "Domaines",
        "related": "Voir aussi",
        "sources": "Sources",
        "not_in_edition": "absent de cette édition",
        # The short labels of a run-in entry (rules 5), spelled out in the legend.
        "run_in": {"synonyms": ("Syn.", "synonymes"), "examples": ("Ex.", "exemples")},
        "note_label": "Remarque :",
        "see_also_arrow": "voir aussi",
        "french_equivalent": "Terme français :",
        "domains_label": "Domaines :",
        "sources_label": "Sources :",
        "french_term": "Terme français",
        "english_term": "Terme anglais",
        "status": {"preferred": "privilégié", "admitted": "admis", "not_recommended": "déconseillé"},
        # A synonym's kind, beside a see entry (rules 6).
        "kind": {"abbreviation": "abréviation", "initialism": "sigle", "acronym": "acronyme"},
        "empty": "Aucun terme publié ne correspond à cette sélection pour le moment.",
        "how_to_cite": "Comment citer",
        "cite_intro": "Pour citer un article de ce livre :",
        "cite_book": "Pour citer le livre :",
        "cite_online": "En ligne : {site}",
        "contributors_heading": "Contributions",
        "contributors": "Les termes de ce livre sont l’œuvre commune des personnes qui les ont proposés et relus.",
        "contributors_count": "Personnes qui ont proposé ces termes : {authors}. Personnes de l’équipe de "
                              "modération qui les ont publiés : {moderators}.",
        "contributors_names": "Leurs noms figurent dans l’historique de chaque terme, sur le site du lexique.",
        "contributors_named": "Ont accepté d’être nommés ici :",
        "contribute": (
            "Toute personne qui a un compte sur le site du lexique peut proposer un nouveau terme ou une "
            "meilleure définition d’un terme existant."
        ),
        "custom_credits": (
            "Cette édition, préparée à partir du lexique, en garde la licence et les crédits."
        ),
        "licence": "Le contenu du lexique est offert sous licence {licence}.",
        "licence_attribution": "Texte : les contributrices et contributeurs du {name}.",
        "publisher": "Éditeur : {publisher}",
        "terms_count": "{count} termes",
        "domains_list": "Domaines : {domains}",
        "all_domains": "tous les domaines",
        "language": "Langue : {language}",
        "identifier": "Identifiant : {identifier}",
        "languages": {"fr": "français", "en": "anglais", "bilingual": "bilingue (français et anglais)"},
        "colophon": "Colophon",
        "colophon_text": [
            "Ce livre numérique a été composé automatiquement le {date} par le logiciel libre du lexique, "
            "à partir des termes publiés, au format EPUB 3.",
            "Il suit la norme EPUB Accessibility 1.1 : il se lit à voix haute, s’adapte à la taille du texte "
            "et au mode sombre de votre application, et marque la langue de chaque passage.",
            "Les lettres s’affichent dans la police de votre application de lecture ; la couverture est "
            "composée en DejaVu Sans.",
            "État {version} du lexique.",
        ],
        "colophon_version": "Le texte est celui de la version {version} du lexique en ligne.",
        "creator": "Les contributrices et contributeurs du {name}",
        "publisher_default": "Communauté du {name}",
        "summary": (
            "Ce livre numérique respecte la norme EPUB Accessibility 1.1 (WCAG 2.1 niveau AA). Il est "
            "entièrement textuel, sauf la couverture, décrite par un texte de remplacement. Il comporte une "
            "table des matières, une section par lettre, des titres hiérarchisés, des liens entre termes "
            "associés, des index alphabétiques et par domaine ; la langue de chaque passage est indiquée."
        ),
        "description": {
            "fr": "Glossaire de la transformation numérique des organisations culturelles, en français.",
            "en": "Glossaire de la transformation numérique des organisations culturelles, en anglais, "
                  "avec les termes français.",
            "bilingual": "Glossaire bilingue (français et anglais) de la transformation numérique des "
                         "organisations culturelles.",
        },
    },
    "en": {
        "edition": "{date} edition",
        "edition_bilingual": "Bilingual edition, {date}",
        "edition_cited": "{date} edition",
        "edition_statement": "The {date} edition, with the terms published on that date.",
        "cover": "Cover",
        "cover_alt": "Cover: {title}{subtitle}. {edition}.",
        "half_title": "Half title",
        "title_page": "Title page",
        "based_on": "Based on the {name}",
        "organisation_edition": "Edition prepared by: {organisation}",
        "logo": "The organisation’s logo",
        "logo_alt": "Logo of {organisation}",
        "logo_named": "Logo: {organisation}",
        "copyright": "Copyright and edition",
        "contents": "Contents",
        "landmarks": "Landmarks",
        "start": "Start of the lexicon",
        "terms_az": "Terms from A to Z",
        "letters": "Letters",
        "preface": "Preface",
        "preface_text": [
            "The {name} began at a training day on the digital transformation of the arts and culture: a "
            "small glossary handed to the participants so that they could share a common vocabulary.",
            "People of the sector have grown it together since, in French and English. Anyone may propose a "
            "term or a better definition; moderators review every proposal before it is published. This "
            "book contains the published terms, and only those, as they stood on the day of its edition.",
        ],
        "preface_site": "The lexicon lives online at {site}, where it keeps growing.",
        "preface_custom": "{organisation} prepared this edition for its teams and audiences.",
        "how_to_use": "How to use this book",
        "how_to_use_text": [
            "Terms are in alphabetical order, ignoring accents and capitals. The contents and the strip "
            "of letters at the top of each page lead to every letter.",
            "Each entry gives the term, its part of speech, its definition and, where there are some, its "
            "synonyms with their usage status, examples, notes, domains, related terms and sources.",
            "A synonym or a term not recommended points to the term to use: “see …”. The indexes at the end "
            "of the book list every term alphabetically and by domain.",
            "If your reading app allows it, its search also finds synonyms.",
        ],
        "how_to_use_bilingual": (
            "In the bilingual edition, the English equivalent follows the French definition, marked by a "
            "rule; the English–French index finds terms by their English name."
        ),
        "how_to_use_english": (
            "In the English edition, the French term comes with each English term; the French–English "
            "index finds terms by their French name. Parts of speech describe the French term."
        ),
        "legend": "Abbreviations and usage statuses",
        "abbreviations": "Abbreviations",
        "statuses": "Usage statuses",
        "status_legend": {
            "preferred": "the term to use by preference",
            "admitted": "a correct term, less common or less precise",
            "not_recommended": "a term to avoid: the entry’s term is preferred",
        },
        "symbols": "0–9 and symbols",
        "continued": "{letter} (continued)",
        "see": "see",
        "see_entry": "see {term}",
        "index": "Alphabetical index",
        "index_intro": "Every term of this book and its synonyms, in alphabetical order.",
        "index_domains": "Index by domain",
        "index_domains_intro": "The terms of this book, grouped by domain.",
        "index_en_fr": "English–French index",
        "index_en_fr_intro": "The English terms and their French equivalents.",
        "index_fr_en": "French–English index",
        "index_fr_en_intro": "The French terms and their English equivalents.",
        "examples": "Examples",
        "notes": "Notes",
        "synonyms": "Synonyms",
        "domains": "Domains",
        "related": "See also",
        "sources": "Sources",
        "not_in_edition": "not in this edition",
        "run_in": {"synonyms": ("Syn.", "synonyms"), "examples": ("Ex.", "examples")},
        "note_label": "Note:",
        "see_also_arrow": "see also",
        "french_equivalent": "French term:",
        "domains_label": "Domains:",
        "sources_label": "Sources:",
        "french_term": "French term",
        "english_term": "English term",
        "status": {"preferred": "preferred", "admitted": "admitted", "not_recommended": "not recommended"},
        "kind": {"abbreviation": "abbreviation", "initialism": "initialism", "acronym": "acronym"},
        "empty": "No published term matches this selection yet.",
        "how_to_cite": "How to cite",
        "cite_intro": "To cite an entry of this book:",
        "cite_book": "To cite the book:",
        "cite_online": "Online: {site}",
        "contributors_heading": "Contributors",
        "contributors": "The terms of this book are the common work of the people who proposed and reviewed them.",
        "contributors_count": "People who proposed these terms: {authors}. Moderators who published them: "
                              "{moderators}.",
        "contributors_names": "Their names are in the history of each term, on the lexicon’s website.",
        "contributors_named": "Those who agreed to be named here:",
        "contribute": (
            "Anyone with an account on the lexicon’s website can propose a new term or a better definition "
            "of an existing one."
        ),
        "custom_credits": "This edition, prepared from the lexicon, keeps the lexicon’s licence and credits.",
        "licence": "The content of the lexicon is offered under the {licence} licence.",
        "licence_attribution": "Text: the contributors to the {name}.",
        "publisher": "Publisher: {publisher}",
        "terms_count": "{count} terms",
        "domains_list": "Domains: {domains}",
        "all_domains": "all domains",
        "language": "Language: {language}",
        "identifier": "Identifier: {identifier}",
        "languages": {"fr": "French", "en": "English", "bilingual": "bilingual (French and English)"},
        "colophon": "Colophon",
        "colophon_text": [
            "This e-book was typeset automatically on {date} by the lexicon’s free software, from the "
            "published terms, as an EPUB 3 book.",
            "It follows EPUB Accessibility 1.1: it can be read aloud, adapts to the text size and dark mode "
            "of your app, and marks the language of every passage.",
            "The text appears in the typeface of your reading app; the cover is set in DejaVu Sans.",
            "State {version} of the lexicon.",
        ],
        "colophon_version": "The text is that of version {version} of the online lexicon.",
        "creator": "The contributors to the {name}",
        "publisher_default": "The {name} community",
        "summary": (
            "This e-book meets EPUB Accessibility 1.1 (WCAG 2.1 Level AA). It is entirely textual except for "
            "the cover, which has a text alternative. It has a table of contents, one section per letter, "
            "structured headings, links between related terms, alphabetical and domain indexes; the "
            "language of every passage is marked."
        ),
        "description": {
            "fr": "A glossary of the digital transformation of arts and cultural organisations, in French.",
            "en": "A glossary of the digital transformation of arts and cultural organisations, in English, "
                  "with the French terms.",
            "bilingual": "A bilingual (French and English) glossary of the digital transformation of arts and "
                         "cultural organisations.",
        },
    },
}

# Parts of speech as contributors write them (French conventions), spelled out in the book's language.
CATEGORIES = {
    "n.": ("nom", "noun"),
    "n. m.": ("nom masculin", "masculine noun"),
    "n. f.": ("nom féminin", "feminine noun"),
    "n. m. pl.": ("nom masculin pluriel", "masculine plural noun"),
    "n. f. pl.": ("nom féminin pluriel", "feminine plural noun"),
    "n. m. ou f.": ("nom masculin ou féminin", "masculine or feminine noun"),
    "n. inv.": ("nom invariable", "invariable noun"),
    "loc. n.": ("locution nominale", "noun phrase"),
    "loc. n. m.": ("locution nominale masculine", "masculine noun phrase"),
    "loc. n. f.": ("locution nominale féminine", "feminine noun phrase"),
    "loc. n. m. pl.": ("locution nominale masculine plurielle", "masculine plural noun phrase"),
    "loc. n. f. pl.": ("locution nominale féminine plurielle", "feminine plural noun phrase"),
    "loc. nom.": ("locution nominale", "noun phrase"),
    "loc. nom. m.": ("locution nominale masculine", "masculine noun phrase"),
    "loc. nom. f.": ("locution nominale féminine", "feminine noun phrase"),
    "loc. nom. m. ou f.": ("locution nominale masculine ou féminine", "masculine or feminine noun phrase"),
    "loc. verb.": ("locution verbale", "verb phrase"),
    "loc. adv.": ("locution adverbiale", "adverbial phrase"),
    "loc. adj.": ("locution adjectivale", "adjectival phrase"),
    "loc. v.": ("locution verbale", "verb phrase"),
    "adj.": ("adjectif", "adjective"),
    "adv.": ("adverbe", "adverb"),
    "v.": ("verbe", "verb"),
    "v. tr.": ("verbe transitif", "transitive verb"),
    "v. intr.": ("verbe intransitif", "intransitive verb"),
    "sigle": ("sigle", "initialism"),
    "acronyme": ("acronyme", "acronym"),
    "abrév.": ("abréviation", "abbreviation"),
}


def category_name(category: str, lang: str) -> str:
    """A part of speech spelled out in `lang`, or '' when the abbreviation is not a known one."""
    names = CATEGORIES.get(" ".join((category or "").split()))
    return names[0 if lang == "fr" else 1] if names else ""


def _typeset(value: Any, lang: str, convention: str = FRANCE) -> Any:
    """The labels set with the same typography as the content, so that the whole book has one convention."""
    if isinstance(value, dict):
        return {key: _typeset(item, lang, convention) for key, item in value.items()}
    if isinstance(value, list):
        return [_typeset(item, lang, convention) for item in value]
    if isinstance(value, tuple):
        return tuple(_typeset(item, lang, convention) for item in value)
    return typeset(value, lang, convention=convention)


_WRITTEN = LABELS
# The labels by typographic convention; LABELS, France's, is what books before rules 4 print.
LABELS_BY_CONVENTION = {convention: {lang: _typeset(labels, lang, convention) for lang, labels in _WRITTEN.items()}
                        for convention in CONVENTIONS}
LABELS = LABELS_BY_CONVENTION[FRANCE]

# The labels books written by rules before 2 (interop.published.BOOK_RULES) gave otherwise: an edition
# published then prints them still.
_BEFORE_RULES_2: dict[str, dict[str, Any]] = {
    "fr": {},
    "en": {
        "edition": "Edition of {date}",
        "edition_statement": "Edition of {date}, with the terms published on that date.",
    },
}
_LABELS_BEFORE_RULES_2 = {lang: {**LABELS[lang], **_typeset(_BEFORE_RULES_2[lang], lang)} for lang in LABELS}


def labels_for(lang: str, rules: int, convention: str = FRANCE) -> dict[str, Any]:
    """The labels of a book in `lang` written by the book rules numbered `rules` and typographic `convention`."""
    return LABELS_BY_CONVENTION[convention][lang] if rules >= 2 else _LABELS_BEFORE_RULES_2[lang]
