"""A numbered edition read as the published set it froze: its revisions, domains and credits, never stale."""
from lexique.core.grammar import GRAMMAR_FIELD_NAMES
from lexique.core.text import initial, normalize, render_markdown
from lexique.interop.published import DomainEntry, ExportOptions, OutsideTerm, PublishedSet, TermEntry
from lexique.models import Edition, EditionEntry, Revision
from lexique.publishing.site import SiteNames

# The names every edition published before they were kept with it (migration 0016) was built with: its
# files print these, whatever the site is called since.
NAMES_BEFORE_THEY_WERE_KEPT: SiteNames = {
    "fr": {"name": "Lexique", "title": "Lexique de la transformation numérique des organisations culturelles"},
    "en": {"name": "Lexicon", "title": "Lexicon of the Digital Transformation of Arts and Cultural Organisations"},
}
# Rows read at a time: the texts of a large edition are never all in memory at once.
READ_CHUNK = 2000
_TEXT_FIELDS = ("definition", "examples", "notes")
_TEXTS = tuple(f"{name}_{lang}" for name in _TEXT_FIELDS for lang in ("fr", "en"))


class UnknownEdition(LookupError):
    """No edition has this number."""


def edition_named(number: str) -> Edition:
    edition = Edition.objects.filter(number=number).first()
    if edition is None:
        raise UnknownEdition(number)
    return edition


def read_edition(options: ExportOptions, *, details: bool = True) -> PublishedSet:
    """The edition named in `options`, as the published set it was (never stale); its terms in the order
    they were frozen (the exporter files them)."""
    edition = edition_named(options.edition)
    domains = [DomainEntry(**row) for row in edition.domains]
    by_slug = {domain.slug: domain for domain in domains}
    chosen = set(options.domains)
    selected = [domain for domain in domains if domain.slug in chosen]

    entries = EditionEntry.objects.filter(edition=edition).order_by("pk").values_list(
        "term_id", "slug", "domain_slugs", "related_slugs", "revision__headword_fr", "revision__headword_en",
        "revision__category", "revision__synonyms", *(f"revision__{name}" for name in GRAMMAR_FIELD_NAMES),
    )
    terms: list[TermEntry] = []
    slugs: dict[str, int] = {}
    related_slugs: dict[int, list[str]] = {}
    outside_names: dict[int, OutsideTerm] = {}
    for term_id, slug, domain_slugs, related, headword_fr, headword_en, category, synonyms, *grammar in (
        entries.iterator(chunk_size=READ_CHUNK)
    ):
        slugs[slug] = term_id
        if chosen and not chosen.intersection(domain_slugs):
            outside_names[term_id] = {"id": term_id, "slug": slug, "headword_fr": headword_fr,
                                      "headword_en": headword_en or ""}
            continue
        term = TermEntry(
            id=term_id, slug=slug, sort_key=normalize(headword_fr)[:220], initial=initial(headword_fr),
            headword_fr=headword_fr, headword_en=headword_en or "", category=category or "",
            synonyms=list(synonyms or ()),
            domains=[by_slug[name] for name in domain_slugs if name in by_slug],
        )
        for name, value in zip(GRAMMAR_FIELD_NAMES, grammar, strict=True):
            setattr(term, name, value or "")
        terms.append(term)
        related_slugs[term_id] = related
    entries_by_id = {term.id: term for term in terms}
    outside: dict[int, OutsideTerm] = {}
    for term in terms:
        term.related = [slugs[slug] for slug in related_slugs[term.id] if slug in slugs]
        for pk in term.related:
            if pk not in entries_by_id:
                outside[pk] = outside_names[pk]
    if details:
        for start in range(0, len(terms), READ_CHUNK):
            fill_edition_details(options, terms[start:start + READ_CHUNK])
    authors, moderators = edition.authors, edition.moderators
    if chosen:
        authors, moderators = _contributors(edition, list(entries_by_id))
    return PublishedSet(
        version=edition.lexicon_version, changed_at=edition.lexicon_changed_at, taken_at=edition.published_at,
        domains=domains, terms=terms, outside=outside, selected_domains=selected,
        names=edition.names or NAMES_BEFORE_THEY_WERE_KEPT, authors=authors, moderators=moderators,
        book_rules=edition.book_rules, typography=edition.typography,
    )


def fill_edition_details(options: ExportOptions, terms: list[TermEntry]) -> None:
    """The texts of `terms` as their frozen revisions hold them; the HTML rendered from their Markdown
    as the approval rendered it."""
    english = "en" in options.languages
    frozen = dict(
        EditionEntry.objects.filter(edition__number=options.edition, term_id__in=[t.id for t in terms])
        .values_list("term_id", "revision_id")
    )
    rows = Revision.objects.filter(pk__in=frozen.values()).values("pk", "sources", *_TEXTS)
    by_revision = {row.pop("pk"): row for row in rows}
    for term in terms:
        row = by_revision[frozen[term.id]]
        term.sources = list(row["sources"] or ())
        for name in _TEXT_FIELDS:
            for lang in ("fr", "en"):
                if lang == "en" and not english:
                    continue
                source = row[f"{name}_{lang}"] or ""
                setattr(term, f"{name}_{lang}", source)
                setattr(term, f"{name}_html_{lang}", render_markdown(source))


def _contributors(edition: Edition, term_ids: list[int]) -> tuple[int, int]:
    """Authors and moderators of the approved revisions of these terms, up to the edition."""
    authors: set[int] = set()
    moderators: set[int] = set()
    for start in range(0, len(term_ids), READ_CHUNK):
        approved = Revision.objects.filter(
            state=Revision.State.APPROVED, term_id__in=term_ids[start:start + READ_CHUNK],
            reviewed_at__lte=edition.published_at,
        )
        for author, reviewer in approved.values_list("author_id", "reviewer_id"):
            authors.add(author)
            if reviewer is not None:
                moderators.add(reviewer)
    return len(authors), len(moderators)
