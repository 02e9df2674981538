"""Exports of a numbered edition: its frozen revisions read as a published set, and its files kept for ever.

An edition's export is a pure function of what the edition stored (the revision of each term, its
domains and related terms then, the domains' names then, the moment it was published): read twice,
it gives the same entries; written twice, the same bytes. Files are built once, on first request,
into the site's storage as exports/editions/<number>/<name> (local files or a bucket:
`lexique.platform.files`), and never rebuilt, replaced nor pruned afterwards. The first build
records each file's SHA-256 (EditionFile): a file built again, its stored copy lost, is served only
if it gives those very bytes.
"""
import hashlib
import os

from django.db import IntegrityError
from django.utils import timezone

from lexique.interop.exporters.base import Exporter
from lexique.interop.published import ExportOptions
from lexique.interop.store import (
    BUILD_WAIT_SECONDS,
    BuildFailed,
    ExportFailed,
    StoredExport,
    build_lock,
    build_slot,
    holding,
    logger,
    refuse_if_failed,
    remember_failure,
    stored_name,
    write_export,
)
from lexique.models import Edition, EditionFile
from lexique.platform import files

EDITIONS_SUBDIR = "editions"



# --- Files ---------------------------------------------------------------------------------------

def edition_file_name(exporter_class: type[Exporter], options: ExportOptions) -> str:
    """The file's name at its permanent address: lexique-fr.epub, lexique-skos.ttl, lexique-termes.csv,
    lexique-stardict-fr-en.zip, dicthtml-en-fr.zip..."""
    stem = exporter_class.file_stem(options.lang)
    if stem:
        return f"{stem}.{exporter_class.extension}"
    variant = exporter_class.variant_of(options.lang)
    return f"lexique-{variant}.{exporter_class.extension}"


def edition_dir(edition: Edition) -> str:
    """Where the files of `edition` are, in the site's storage."""
    return stored_name(f"{EDITIONS_SUBDIR}/{edition.number}")


def get_edition_export(edition: Edition, exporter_class: type[Exporter], options: ExportOptions) -> StoredExport:
    """The stored file of this edition in this format, built the first time it is asked for.

    The first build records the file's SHA-256 (EditionFile); a stored file is served only if it has
    those bytes, and a file built again (its stored copy lost) only if it gives them back: otherwise
    BuildMismatch, logged, and nothing served. Builds share the site's build slots (BuildsBusy when
    none is free); a failed one is remembered (BuildFailed at once meanwhile).
    """
    try:
        return _get(edition, exporter_class, options)
    except OSError as error:  # a full disk, a bucket or folder the site may not write to...
        logger.exception("Edition store %s unusable", edition_dir(edition))
        raise ExportFailed(str(error)) from error


def stored_edition_file(edition: Edition, exporter_class: type[Exporter],
                        options: ExportOptions) -> StoredExport | None:
    """The stored file of this edition in this format, if it is there with its recorded bytes; None if not."""
    name = edition_file_name(exporter_class, options)
    return _checked(f"{edition_dir(edition)}/{name}", edition, name)


def failure_name(edition: Edition, exporter_class: type[Exporter], options: ExportOptions) -> str:
    """What a failed build of this file is remembered by."""
    return f"edition-{edition.number}/{edition_file_name(exporter_class, options)}"


def recorded_files(edition: Edition) -> dict[str, EditionFile]:
    """The files of `edition` built so far, by name, with their recorded digests."""
    return {record.name: record for record in EditionFile.objects.filter(edition=edition)}


def _get(edition: Edition, exporter_class: type[Exporter], options: ExportOptions) -> StoredExport:
    name = edition_file_name(exporter_class, options)
    path = f"{edition_dir(edition)}/{name}"
    failure_name = f"edition-{edition.number}/{name}"
    stored = _checked(path, edition, name)
    if stored:
        return stored
    refuse_if_failed(failure_name)
    with build_slot(), holding(build_lock(f"edition-{edition.number}-{name}"), wait=BUILD_WAIT_SECONDS):
        stored = _checked(path, edition, name)  # built by whoever held the lock before us
        if stored:
            return stored
        refuse_if_failed(failure_name)
        _build(edition, exporter_class, options, path, failure_name)
    stored = _checked(path, edition, name)
    if stored is None:
        raise ExportFailed(f"{path} vanished after it was built")
    return stored


def _build(edition: Edition, exporter_class: type[Exporter], options: ExportOptions, path: str,
           failure_name: str) -> None:
    """Build the file into a temporary one; put it in place only if it has the recorded bytes
    (recording them if it is the first build)."""
    name = path.rpartition("/")[2]
    try:
        with files.file_to_write(path) as temporary:
            try:
                write_export(exporter_class, options, temporary)
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
                cause = (f"{name} built again has SHA-256 {digest}, not the {record.sha256} recorded on "
                         f"{record.built_at}")
                logger.error("Edition %s: %s; refused, not served", edition.number, cause)
                raise remember_failure(failure_name, cause, mismatch=True)
            files.put_in_place(temporary, path)
    except (BuildFailed, files.RemoteFileError):
        raise
    except Exception as error:
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


def _checked(path: str, edition: Edition, name: str) -> StoredExport | None:
    """The stored file, opened, if it has the bytes recorded for it; None if it is not there.

    A stored file with other bytes (changed on disk or in the bucket) is moved aside, logged, and never
    served: the caller builds it again, and serves that only if it gives the recorded bytes back. A file
    stored before digests were recorded is recorded as it is: those are the bytes its readers got.
    """
    stored = files.open_stored(path)
    if stored is None:
        return None
    digest = stored.sha256
    record = (EditionFile.objects.filter(edition=edition, name=name).first()
              or _record(edition, name, digest, stored.size))
    if record.sha256 != digest:
        stored.close()
        aside = f"{edition_dir(edition)}/.altered-{digest[:16]}-{name}"
        files.move_aside(path, aside)
        logger.error("Edition %s: the stored %s has SHA-256 %s, not the %s recorded; moved aside to %s, not served",
                     edition.number, name, digest, record.sha256, aside.rpartition("/")[2])
        return None
    stem, _dot, extension = name.rpartition(".")
    return StoredExport(
        file=stored.file, name=path, sha256=digest, last_modified=edition.published_at.timestamp(), size=stored.size,
        download_name=f"{stem}-{edition.number}.{extension}",
    )
