"""A small lexicon made to break e-books: markup characters, emoji, right-to-left text, endless words."""
import io
import zipfile

from lxml import etree

from lexique import services

from .factories import DomainFactory, UserFactory, content

LONG_WORD = "anticonstitutionnellement" * 40
SECRET_PENDING = "texte-en-attente-jamais-publie"
SECRET_REJECTED = "texte-refuse-jamais-publie"
SECRET_EDIT = "modification-en-attente-jamais-publiee"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"x": XHTML, "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/", "epub": "http://www.idpf.org/2007/ops"}


def nasty_lexicon():
    """Publish, through the real workflow, terms whose text breaks naive XML; plus unpublished ones."""
    author, moderator = UserFactory(), UserFactory(moderator=True)
    diffusion = DomainFactory(slug="diffusion", name_fr="Diffusion & « médiation »", name_en="Distribution & <outreach>")
    creation = DomainFactory(slug="creation", name_fr="Création", name_en="Creation")

    def publish(**overrides):
        revision = services.propose_term(author=author, content=content(**overrides))
        services.approve(revision, by=moderator)
        revision.term.refresh_from_db()
        return revision.term

    terms = {}
    terms["ecosysteme"] = publish(
        headword_fr="écosystème numérique", headword_en="digital ecosystem", category="n. m.",
        definition_fr="Ensemble d’acteurs & d’outils : « <b>pas</b> du HTML » ; voir [le site](https://example.org/?a=1&b=2 \"titre\").",
        definition_en="Actors & tools <i>together</i>; 'quoted' and \"double-quoted\".",
        examples_fr="Premier exemple avec < et >.\nSecond exemple\x0b avec un caractère de contrôle.",
        examples_en="An example & another.",
        notes_fr="Note : 1 < 2 && 3 > 2.", notes_en="Note in English.",
        sources=[{"title": "Rapport « R&D »", "url": "https://example.org/rapport?x=1&y=<2>"}],
        synonyms=[{"text": "écosystème", "lang": "fr", "status": "preferred"},
                  {"text": "ecosystem", "lang": "en", "status": "admitted"}],
        domains=["diffusion", "creation"],
    )
    terms["oeuvre"] = publish(
        headword_fr="Œuvre 🎭 immersive", headword_en="immersive work 🎭", category="n. f.",
        definition_fr="Une œuvre 🎭🎨 qui entoure son public — avec des emoji 👩🏽‍🎤.",
        definition_en="A work that surrounds its audience 🎨.",
        # A book and a standard, each supporting one definition; a printed glossary for the whole term.
        sources=[{"title": "L’art immersif & ses « publics »", "author": "M. Tremblay", "year": "2021",
                  "publisher": "PUL", "pages": "12-15", "definition": "fr"},
                 {"title": "Vocabulaire", "standard": "ISO 1087:2019", "url": "https://www.iso.org/standard/62330.html",
                  "definition": "en"},
                 {"title": "Glossaire <imprimé> | arts", "year": "1998"}],
        domains=["creation"], related=["ecosysteme-numerique"],
    )
    terms["rtl"] = publish(
        headword_fr="مكتبة رقمية", headword_en="digital library",
        definition_fr="Bibliothèque numérique, en arabe : مكتبة رقمية ; en hébreu : ספרייה דיגיטלית.",
        definition_en="A library of digital works: מכתבה and مكتبة.",
        domains=["diffusion"], related=["ecosysteme-numerique", "oeuvre-immersive"],
    )
    terms["long"] = publish(
        headword_fr=LONG_WORD[:200], headword_en="",
        definition_fr=f"Un mot très long : {LONG_WORD}.", definition_en="",
        domains=["diffusion"],
    )
    terms["quotes"] = publish(
        headword_fr="R&D <script>alert(\"x\")</script> l'« atelier »", headword_en="R&D \"workshop\" <b>",
        definition_fr="Recherche & développement ; `<code>` et **gras**.\n\n- un\n- deux",
        definition_en="Research & development.", category="loc. n. f.",
        related=["ecosysteme-numerique"],
    )

    pending = services.propose_term(author=author, content=content(headword_fr=SECRET_PENDING, definition_fr=SECRET_PENDING))
    rejected = services.propose_term(author=author, content=content(headword_fr=SECRET_REJECTED, definition_fr=SECRET_REJECTED))
    services.reject(rejected, by=moderator, reason="Non.")
    base = terms["ecosysteme"].current_revision
    services.propose_edit(term=terms["ecosysteme"], author=author, base_revision=base,
                          content={**base.content(), "definition_fr": SECRET_EDIT})
    return {"terms": terms, "domains": {"diffusion": diffusion, "creation": creation}, "pending": pending,
            "moderator": moderator, "author": author}


def read_book(data):
    """The XHTML documents of an EPUB (bytes or path), parsed strictly: a malformed one raises."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    documents = {}
    with zipfile.ZipFile(source) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                documents[name.split("/", 1)[-1]] = etree.fromstring(book.read(name), parser)
    return documents


def book_text(documents):
    return " ".join("".join(root.itertext()) for root in documents.values())


def exported_file(exporter_class, folder):
    """The whole published set written by `exporter_class` (its default options) into a file of `folder`."""
    path = folder / f"lexique-{exporter_class.name}.{exporter_class.extension}"
    exporter_class(exporter_class.options()).write(path)
    return path
