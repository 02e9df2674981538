"""Exports of a numbered edition: its frozen revisions read as a published set, and its files kept for ever.

An edition's export is a pure function of what the edition stored (the revision of each term, its
domains and related terms then, the domains' names then, the moment it was published): read twice,
it gives the same entries; written twice, the same bytes. Files are built once, on first request,
into MEDIA_ROOT/exports/editions/<number>/, and never rebuilt nor pruned afterwards. The first build
records each file's SHA-256 (EditionFile): a file built again, its stored copy lost, is served only
if it gives those very bytes.
"""
import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from django.db import IntegrityError
from django.utils import timezone

from lexique.core.text import initial, normalize, render_markdown
from lexique.exports.base import DomainEntry, Exporter, ExportOptions, PublishedSet, TermEntry
from lexique.exports.cache import (
    BUILD_WAIT_SECONDS,
    BuildFailed,
    ExportFailed,
    StoredExport,
    _build_slot,
    _holding,
    _write,
    build_lock,
    export_dir,
    file_sha256,
    logger,
    refuse_if_failed,
    remember_failure,
)
from lexique.models import Edition, EditionEntry, EditionFile, Revision

EDITIONS_SUBDIR = "editions"
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


# --- Reading -------------------------------------------------------------------------------------

def read_edition(exporter: Exporter, *, details: bool = True) -> PublishedSet:
    """The edition named in the exporter's options, as the published set it was (never stale)."""
    options = exporter.options
    edition = edition_named(options.edition)
    domains = [DomainEntry(**row) for row in edition.domains]
    by_slug = {domain.slug: domain for domain in domains}
    chosen = set(options.domains)
    selected = [domain for domain in domains if domain.slug in chosen]

    entries = EditionEntry.objects.filter(edition=edition).order_by("pk").values_list(
        "term_id", "slug", "domain_slugs", "related_slugs", "revision__headword_fr", "revision__headword_en",
        "revision__category", "revision__synonyms",
    )
    terms, slugs, related_slugs, outside_names = [], {}, {}, {}
    for term_id, slug, domain_slugs, related, headword_fr, headword_en, category, synonyms in entries.iterator(
        chunk_size=READ_CHUNK
    ):
        slugs[slug] = term_id
        if chosen and not chosen.intersection(domain_slugs):
            outside_names[term_id] = {"id": term_id, "slug": slug, "headword_fr": headword_fr,
                                      "headword_en": headword_en or ""}
            continue
        terms.append(TermEntry(
            id=term_id, slug=slug, sort_key=normalize(headword_fr)[:220], initial=initial(headword_fr),
            headword_fr=headword_fr, headword_en=headword_en or "", category=category or "",
            synonyms=list(synonyms or ()),
            domains=[by_slug[name] for name in domain_slugs if name in by_slug],
        ))
        related_slugs[term_id] = related
    entries_by_id = {term.id: term for term in terms}
    outside = {}
    for term in terms:
        term.related = [slugs[slug] for slug in related_slugs[term.id] if slug in slugs]
        for pk in term.related:
            if pk not in entries_by_id:
                outside[pk] = outside_names[pk]
    if details:
        for start in range(0, len(terms), READ_CHUNK):
            fill_edition_details(exporter, terms[start:start + READ_CHUNK])
    authors, moderators = edition.authors, edition.moderators
    if chosen:
        authors, moderators = _contributors(edition, list(entries_by_id))
    terms = exporter._ordered(terms)
    order = {term.id: position for position, term in enumerate(terms)}
    for term in terms:
        term.related.sort(key=lambda pk: (pk not in order, order.get(pk, 0), pk))
    return PublishedSet(
        version=edition.lexicon_version, changed_at=edition.lexicon_changed_at, taken_at=edition.published_at,
        domains=domains, terms=terms, outside=outside, selected_domains=selected,
        authors=authors, moderators=moderators,
    )


def fill_edition_details(exporter: Exporter, terms: list) -> None:
    """The texts of `terms` as their frozen revisions hold them; the HTML rendered from their Markdown
    as the approval rendered it."""
    english = "en" in exporter.options.languages
    frozen = dict(
        EditionEntry.objects.filter(edition__number=exporter.options.edition, term_id__in=[t.id for t in terms])
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


def _contributors(edition: Edition, term_ids: list) -> tuple[int, int]:
    """Authors and moderators of the approved revisions of these terms, up to the edition."""
    authors, moderators = set(), set()
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


# --- Files ---------------------------------------------------------------------------------------

def edition_file_name(exporter_class: type[Exporter], options: ExportOptions) -> str:
    """The file's name at its permanent address: lexique-fr.epub, lexique-skos.ttl, lexique-termes.csv..."""
    stem = getattr(exporter_class, "download_stem", "")
    if stem:
        return f"{stem}.{exporter_class.extension}"
    variant = {value: key for key, value in exporter_class.variants.items()}[options.lang]
    return f"lexique-{variant}.{exporter_class.extension}"


def edition_dir(edition: Edition) -> Path:
    return export_dir() / EDITIONS_SUBDIR / edition.number


def get_edition_export(edition: Edition, exporter_class: type[Exporter], options: ExportOptions) -> StoredExport:
    """The stored file of this edition in this format, built the first time it is asked for.

    The first build records the file's SHA-256 (EditionFile); a stored file is served only if it has
    those bytes, and a file built again (its stored copy lost) only if it gives them back: otherwise
    BuildMismatch, logged, and nothing served. Builds share the site's build slots (BuildsBusy when
    none is free); a failed one is remembered (BuildFailed at once meanwhile).
    """
    try:
        return _get(edition, exporter_class, options)
    except OSError as error:
        logger.exception("Edition store %s unusable", edition_dir(edition))
        raise ExportFailed(str(error)) from error


def recorded_files(edition: Edition) -> dict[str, EditionFile]:
    """The files of `edition` built so far, by name, with their recorded digests."""
    return {record.name: record for record in EditionFile.objects.filter(edition=edition)}


def _get(edition: Edition, exporter_class: type[Exporter], options: ExportOptions) -> StoredExport:
    directory = edition_dir(edition)
    name = edition_file_name(exporter_class, options)
    path = directory / name
    failure_name = f"edition-{edition.number}/{name}"
    stored = _checked(path, edition, name)
    if stored:
        return stored
    refuse_if_failed(failure_name)
    directory.mkdir(parents=True, exist_ok=True)
    with _build_slot(), _holding(build_lock(f"edition-{edition.number}-{name}"), wait=BUILD_WAIT_SECONDS):
        stored = _checked(path, edition, name)  # built by whoever held the lock before us
        if stored:
            return stored
        refuse_if_failed(failure_name)
        _build(edition, exporter_class, options, path, failure_name)
    stored = _checked(path, edition, name)
    if stored is None:
        raise ExportFailed(f"{path} vanished after it was built")
    return stored


def _build(edition: Edition, exporter_class: type[Exporter], options: ExportOptions, path: Path,
           failure_name: str) -> None:
    """Build the file into a temporary one; move it into place only if it has the recorded bytes
    (recording them if it is the first build)."""
    name = path.name
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".build-", suffix=".part")
    os.close(handle)
    try:
        try:
            _write(exporter_class, options, temporary)
        except OSError:
            raise
        except Exception as error:
            logger.exception("Edition %s: %s failed", edition.number, name)
            raise remember_failure(failure_name, str(error)) from error
        with open(temporary, "rb") as built:
            digest = hashlib.file_digest(built, "sha256").hexdigest()
            size = os.fstat(built.fileno()).st_size
        record = _record(edition, name, digest, size)
        if record.sha256 != digest:
            cause = f"{name} built again has SHA-256 {digest}, not the {record.sha256} recorded on {record.built_at}"
            logger.error("Edition %s: %s; refused, not served", edition.number, cause)
            raise remember_failure(failure_name, cause, mismatch=True)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BuildFailed:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    except Exception as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        logger.exception("Edition %s: %s failed", edition.number, name)
        raise ExportFailed(str(error)) from error
    logger.info("Edition %s: %s built (sha256 %s)", edition.number, name, digest)


def _record(edition: Edition, name: str, digest: str, size: int) -> EditionFile:
    """The record of the file's bytes: these ones if it is the first build, else the first build's."""
    try:
        record, _created = EditionFile.objects.get_or_create(
            edition=edition, name=name, defaults={"sha256": digest, "size": size, "built_at": timezone.now()})
    except IntegrityError:  # recorded by another host at the same moment
        record = EditionFile.objects.get(edition=edition, name=name)
    return record


def _checked(path: Path, edition: Edition, name: str) -> StoredExport | None:
    """The stored file, opened, if it has the bytes recorded for it; None if it is not there.

    A stored file with other bytes (changed on disk) is moved aside, logged, and never served: the
    caller builds it again, and serves that only if it gives the recorded bytes back. A file stored
    before digests were recorded is recorded as it is: those are the bytes its readers got.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 (the response streams it, then closes it)
    except FileNotFoundError:
        return None
    digest = file_sha256(handle)
    size = os.fstat(handle.fileno()).st_size
    record = EditionFile.objects.filter(edition=edition, name=name).first() or _record(edition, name, digest, size)
    if record.sha256 != digest:
        handle.close()
        aside = path.with_name(f".altered-{digest[:16]}-{name}")
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, aside)
        logger.error("Edition %s: the stored %s has SHA-256 %s, not the %s recorded; moved aside to %s, not served",
                     edition.number, name, digest, record.sha256, aside.name)
        return None
    stem, _dot, extension = name.rpartition(".")
    return StoredExport(
        file=handle, path=path, sha256=digest, last_modified=edition.published_at.timestamp(), size=size,
        download_name=f"{stem}-{edition.number}.{extension}",
    )
