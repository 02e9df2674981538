"""Exports made on demand and kept on disk: one file per variant and per state of the published set.

The first request for a variant builds it under a file lock (so concurrent requests, in threads or
in other processes on the same disk, build it once); later requests serve the stored file until the
published set changes. A failed build leaves the last good file where it was.
"""
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.dispatch import Signal
from django.utils.text import slugify

from ..models import Domain, LexiconState
from .base import ExportOptions
from .epub import LAYOUT_VERSION, EpubExporter

logger = logging.getLogger("lexique.exports")

# Sent after each build, with options, path, version and seconds: for logs and metrics (and tests).
export_built = Signal()

EXPORT_SUBDIR = "exports"
# A fresh build may have been made from a newer published set than the one it was asked for.
BUILD_ATTEMPTS = 3


class ExportFailed(Exception):
    """The export could not be built; the cause is logged, the last good file is kept."""


@dataclass
class StoredExport:
    """An open stored file, ready to be sent; the caller closes `file` (FileResponse does)."""

    file: object
    path: Path
    etag: str
    last_modified: float
    size: int
    download_name: str


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORT_SUBDIR


def _state(options: ExportOptions) -> tuple[int, str]:
    """The version of the published set, and a digest of the rest the book depends on (no build needed)."""
    state = LexiconState.current()
    domains = list(Domain.objects.order_by("pk").values_list("pk", "slug", "name_fr", "name_en", "position"))
    payload = [
        LAYOUT_VERSION, domains, settings.SITE_URL,
        settings.LEXIQUE_CONTENT_LICENCE, settings.LEXIQUE_CONTENT_LICENCE_URL, settings.TIME_ZONE,
    ]
    return state.version, hashlib.sha256(json.dumps(payload, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


def download_name(options: ExportOptions, extension: str) -> str:
    suffix = {"fr": "fr", "en": "en", "bilingual": "bilingue"}[options.lang]
    stem = slugify(options.title)[:60].strip("-") if options.title else "lexique"
    if options.domains and not options.title:
        stem += "-" + "-".join(options.domains)[:60].strip("-")
    return f"{stem or 'lexique'}-{suffix}.{extension}"


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on `path` (flock: per open file, so it also separates threads of one process)."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open(path: Path, options: ExportOptions, extension: str):
    """The stored file, opened, or None if it is not there (or was just pruned by another process)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (the response streams it, then closes it)
    except FileNotFoundError:
        return None
    stat = os.fstat(handle.fileno())
    return StoredExport(
        file=handle, path=path, etag=f'"{path.stem}"', last_modified=stat.st_mtime, size=stat.st_size,
        download_name=download_name(options, extension),
    )


def get_export(options: ExportOptions, exporter_class=EpubExporter) -> StoredExport:
    """The stored export for `options`, built first if the published set has changed since the last one."""
    try:
        return _get_export(options, exporter_class)
    except OSError as error:  # a full disk, a folder the site may not write to...
        logger.exception("Export store %s unusable", export_dir())
        raise ExportFailed(str(error)) from error


def _get_export(options, exporter_class):
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    extension = exporter_class.extension
    prefix = f"lexique-{options.lang}-{options.digest()}-"
    for _attempt in range(BUILD_ATTEMPTS):
        version, rest = _state(options)
        name = f"{prefix}v{{version}}-{rest}.{extension}"
        stored = _open(directory / name.format(version=version), options, extension)
        if stored:
            return stored
        with _locked(directory / f".{prefix}lock"):
            # Whoever held the lock before us may have built it in the meantime.
            stored = _open(directory / name.format(version=version), options, extension)
            if stored:
                return stored
            built = _build(exporter_class, options, directory, name, prefix)
        # The file is named after the version it was really made from; if a publication landed
        # in between, it is newer than asked and the next turn of the loop finds it.
        if built == version:
            break
    stored = _open(directory / name.format(version=built), options, extension)
    if stored is None:
        raise ExportFailed(f"{name} vanished after it was built")
    return stored


def _build(exporter_class, options, directory, name, prefix):
    """Build into a temporary file, then move it into place: readers never see half a book."""
    started = time.perf_counter()
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".build-", suffix=".part")
    os.close(handle)
    try:
        published = exporter_class(options).write(temporary)
        path = directory / name.format(version=published.version)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a served file is public anyway
        os.replace(temporary, path)
    except Exception as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        logger.exception("Export %s failed", name.format(version="?"))
        raise ExportFailed(str(error)) from error
    seconds = time.perf_counter() - started
    logger.info("Export %s built in %.2f s (%d terms)", path.name, seconds, len(published.terms))
    _remove_older(path, prefix)
    _prune(directory, keep=path)
    export_built.send(sender=exporter_class, options=options, path=path, version=published.version, seconds=seconds)
    return published.version


def _remove_older(path: Path, prefix: str):
    """Earlier editions of the same variant, now that a newer one is in place."""
    for other in path.parent.glob(f"{prefix}*{path.suffix}"):
        if other != path:
            with contextlib.suppress(FileNotFoundError):
                other.unlink()


def _prune(directory: Path, *, keep: Path):
    """Organisations may ask for any title: keep the disk bounded, dropping the least recently built."""
    limit = settings.LEXIQUE_EXPORT_CACHE_FILES
    files = [entry for entry in directory.iterdir() if entry.is_file() and not entry.name.startswith(".")]
    if len(files) <= limit:
        return
    files.sort(key=_built_at)
    for entry in files[: len(files) - limit]:
        if entry != keep:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def _built_at(entry: Path) -> float:
    try:
        return entry.stat().st_mtime
    except FileNotFoundError:  # pruned meanwhile by another process
        return 0.0
