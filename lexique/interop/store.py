"""Exports made on demand and kept in the site's storage: one file per variant and per state of the published set.

The first request for a variant builds it under a build lock (so concurrent requests, in threads, in
other processes or, with a Redis cache, on other hosts, build it once); later requests serve the
stored file until the published set changes. A failed build leaves the last good file where it was.
Files go through `lexique.platform.files` (local files or a bucket), under `exports/`.

A build costs about a second of CPU and anyone may ask for a book with their own title, so builds are
bounded: a few at once on the whole site, a few custom books per client and per hour, and only
custom books are pruned (a standard book goes only when a newer edition replaces it).
"""
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedRandom
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from django.utils.text import slugify
from redis.exceptions import LockError, RedisError

from lexique.interop.exporters.base import Exporter
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.isolated import build_in_child
from lexique.interop.published import ExportOptions
from lexique.models import Domain, LexiconState
from lexique.platform import files
from lexique.publishing.site import site_names

logger = logging.getLogger("lexique.exports")

# Sent after each build, with options, name (in the storage), version and seconds: for logs and metrics (and tests).
export_built = Signal()

EXPORT_SUBDIR = "exports"
# A fresh build may have been made from a newer published set than the one it was asked for.
BUILD_ATTEMPTS = 3
# Stored names: standard books (no title of their own) and custom ones are kept by different rules.
STANDARD_PREFIX = "lexique-"
CUSTOM_PREFIX = "custom-"
_VERSIONED = re.compile(r"-v(?P<version>\d+)-[0-9a-f]+\.[a-z]+$")
# A lock outlives a build many times over, yet frees itself if its holder dies (Redis only: a file
# lock dies with its process anyway).
LOCK_EXPIRY_SECONDS = 120
LOCK_POLL_SECONDS = 0.05
# How long a request waits for another one building the same book, below gunicorn's 30 s timeout.
BUILD_WAIT_SECONDS = 20
# What a refused reader is told when every build slot is taken: builds take about a second.
BUSY_RETRY_SECONDS = 5
QUOTA_WINDOW_SECONDS = 3600


# Seconds after which a reader may ask again for a file whose build failed for no lasting reason.
RETRY_AFTER_SECONDS = 60


class ExportFailed(Exception):
    """The export could not be built; the cause is logged, the last good file is kept.

    Every refusal and failure says in `retry_after` when to ask again: the pages and the API send it
    as Retry-After, and never choose a delay of their own.
    """

    retry_after = RETRY_AFTER_SECONDS


class BuildFailed(ExportFailed):
    """The build of this very file failed, now or a moment ago for the same state of the lexicon; it is
    not tried again before `retry_after` seconds or the next publication, whichever comes first."""

    def __init__(self, cause: str, retry_after: int) -> None:
        super().__init__(cause)
        self.retry_after = retry_after


class BuildMismatch(BuildFailed):
    """A file that must always be the same bytes (an edition's) was built again into other bytes: they
    are refused, never served."""


class BuildRefused(Exception):
    """No build for this request now; ask again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class BuildsBusy(BuildRefused):
    """The site is already building as many books as it allows at once."""


class TooManyCustomBuilds(BuildRefused):
    """This client has had all the custom books it may have built this hour."""


@dataclass
class StoredExport:
    """A stored file, ready to be sent: `file` is open on local storage (the caller closes it; FileResponse
    does), None when the file is in a bucket and served from there (`lexique.interop.downloads`)."""

    file: IO[bytes] | None
    name: str  # in the storage
    sha256: str  # of the file's bytes, in hexadecimal
    last_modified: float
    size: int
    download_name: str

    @property
    def etag(self) -> str:
        """The digest of the bytes: two files share an ETag only if they are the same bytes."""
        return f'"{self.sha256}"'

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def read(self) -> bytes:
        """All its bytes (for tests, checks and commands; readers are sent the file)."""
        return files.StoredFile(name=self.name, size=self.size, modified=self.last_modified, sha256=self.sha256,
                                file=self.file).read()


def export_dir() -> Path:
    """The local directory of the store's file locks (the store itself on local storage)."""
    return files.local_dir(EXPORT_SUBDIR)


def stored_name(file_name: str) -> str:
    """The name in the storage of the stored export `file_name`."""
    return f"{EXPORT_SUBDIR}/{file_name}"


def is_custom(options: ExportOptions) -> bool:
    """A book with an organisation's own title or name: any number of them may be asked for."""
    return options.is_custom


def variant_name(options: ExportOptions, exporter_class: type[Exporter] = EpubExporter) -> str:
    """What every stored edition of this variant is named after, and its build lock too."""
    prefix = CUSTOM_PREFIX if is_custom(options) else STANDARD_PREFIX
    return f"{prefix}{exporter_class.store_prefix}{options.lang}-{options.digest()}"


def _state(options: ExportOptions, exporter_class: type[Exporter] = EpubExporter) -> tuple[int, str]:
    """The version of the published set, and a digest of the rest the book depends on (no build needed)."""
    state = LexiconState.current()
    domains = list(Domain.objects.order_by("pk").values_list("pk", "slug", "name_fr", "name_en", "position"))
    payload = [
        exporter_class.layout_version, domains, settings.SITE_URL,
        settings.LEXIQUE_CONTENT_LICENCE, settings.LEXIQUE_CONTENT_LICENCE_URL, settings.TIME_ZONE,
        settings.LEXIQUE_PUBLISHER, site_names(), settings.LEXIQUE_TYPOGRAPHY,
    ]
    return state.version, hashlib.sha256(json.dumps(payload, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


def download_name(options: ExportOptions, extension: str, stem: str = "") -> str:
    """An e-book is named after its title and language; a terminology file or a look-up dictionary (with its own
    `stem`) after its domains."""
    if stem:
        domains = "-".join(options.domains)[:60].strip("-")
        return f"{stem}-{domains}.{extension}" if domains else f"{stem}.{extension}"
    suffix = {"fr": "fr", "en": "en", "bilingual": "bilingue"}[options.lang]
    stem = slugify(options.title)[:60].strip("-") if options.title else "lexique"
    if options.domains and not options.title:
        stem += "-" + "-".join(options.domains)[:60].strip("-")
    return f"{stem or 'lexique'}-{suffix}.{extension}"


class Lock(Protocol):
    """What the store asks of a lock: redis-py's `Lock`, or a FileLock."""

    name: str

    def acquire(self, *, blocking: bool = ..., blocking_timeout: float | None = ...) -> bool: ...

    def release(self) -> None: ...


class FileLock:
    """An flock on a file of the store, removed after use; the interface of redis-py's `Lock`.

    flock is per open file, so it also separates threads of one process. The file is removed while
    still held, and a newcomer checks that the file it locked is still the one at the path, so two
    holders can never each have a different file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self._handle: BufferedRandom | None = None

    def acquire(self, blocking: bool = True, blocking_timeout: float | None = None) -> bool:
        deadline = None if blocking_timeout is None else time.monotonic() + blocking_timeout
        while True:
            handle = open(self.path, "a+b")  # noqa: SIM115 (kept open while the lock is held)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
            else:
                if _same_file(handle, self.path):
                    self._handle = handle
                    return True
                handle.close()  # its holder removed it meanwhile: the next turn locks the new one
                continue
            if not blocking or (deadline is not None and time.monotonic() >= deadline):
                return False
            time.sleep(LOCK_POLL_SECONDS)

    def release(self) -> None:
        handle, self._handle = self._handle, None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        assert handle is not None, "released without being held"
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _same_file(handle: IO[bytes], path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(handle.fileno())
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def build_lock(name: str) -> Lock:
    """The lock named `name`: in Redis when the cache is Redis, so every host using that cache shares
    it; otherwise a file lock in the store, shared by the processes of this machine."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(f"lexique-export-lock:{name}")
        client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]  # Django's own client
        return client.lock(key, timeout=LOCK_EXPIRY_SECONDS, sleep=LOCK_POLL_SECONDS)
    return FileLock(export_dir() / f".{name}.lock")


def _release(lock: Lock) -> None:
    try:
        lock.release()
    except LockError:  # expired in Redis: the build outlasted LOCK_EXPIRY_SECONDS
        logger.warning("Export lock %s had expired before it was released", lock.name)


@contextlib.contextmanager
def holding(lock: Lock, *, wait: float) -> Iterator[None]:
    """Hold `lock`, waiting at most `wait` seconds for it (BuildsBusy beyond)."""
    if not lock.acquire(blocking=wait > 0, blocking_timeout=wait):
        raise BuildsBusy(BUSY_RETRY_SECONDS)
    try:
        yield
    finally:
        _release(lock)


@contextlib.contextmanager
def build_slot() -> Iterator[None]:
    """One of the site's LEXIQUE_EXPORT_CONCURRENT_BUILDS slots, or BuildsBusy at once.

    Requests waiting for a book someone else is building hold a slot too: what is bounded is the
    number of web workers busy with books, so that pages stay served whatever is asked for.
    """
    for index in range(max(1, settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS)):
        lock = build_lock(f"slot-{index}")
        if lock.acquire(blocking=False):
            try:
                yield
            finally:
                _release(lock)
            return
    raise BuildsBusy(BUSY_RETRY_SECONDS)


def _failure_key(name: str) -> str:
    return "lexique-export-failed:" + hashlib.sha256(name.encode()).hexdigest()[:32]


def remember_failure(name: str, cause: str, *, mismatch: bool = False) -> BuildFailed:
    """Remember that building `name` failed (in the shared cache, so every process and host knows),
    and return the error to raise: BuildMismatch if it gave other bytes than those recorded."""
    seconds = max(1, settings.LEXIQUE_EXPORT_FAILURE_SECONDS)
    failure = {"cause": cause[-500:], "until": time.time() + seconds, "mismatch": mismatch}
    caches["default"].set(_failure_key(name), failure, seconds)
    return (BuildMismatch if mismatch else BuildFailed)(cause, seconds)


def refuse_if_failed(name: str) -> None:
    """BuildFailed, at once, if building `name` failed lately: nothing is tried and nothing logged again."""
    failure = caches["default"].get(_failure_key(name))
    if failure is not None:
        error_class = BuildMismatch if failure.get("mismatch") else BuildFailed
        raise error_class(failure["cause"], max(1, int(failure["until"] - time.time())))


def _quota_key(client: str) -> tuple[str, int]:
    """This hour's counter of custom builds for `client`, and the seconds until the next hour."""
    now = time.time()
    window = int(now // QUOTA_WINDOW_SECONDS)
    # Hashed: an address or an account id, kept out of the cache in clear, in a key any cache accepts.
    who = hashlib.sha256(client.encode()).hexdigest()[:24]
    return f"lexique-export-quota:{window}:{who}", int((window + 1) * QUOTA_WINDOW_SECONDS - now) + 1


# Who asks for a custom build: each counter it is charged to, with that counter's hourly limit (the
# client's address, and its account when signed in: the tighter wins). Built by downloads.export_client.
Quota = tuple[tuple[str, int], ...]


def _check_quota(client: Quota) -> None:
    """TooManyCustomBuilds if any of `client`'s counters has used up this hour's custom builds (nothing is counted)."""
    for who, limit in client:
        key, retry_after = _quota_key(who)
        if caches["default"].get(key, 0) >= limit:
            raise TooManyCustomBuilds(retry_after)


@contextlib.contextmanager
def logo_work(client: Quota) -> Iterator[None]:
    """Room to check and re-encode an uploaded logo: it costs `client` one custom book of the hour
    (TooManyCustomBuilds beyond) and takes one of the site's build slots (BuildsBusy if none)."""
    _charge_quota(client)
    with build_slot():
        yield


def _charge_quota(client: Quota) -> None:
    """Count one custom build on each of `client`'s counters (atomically, in the shared cache);
    TooManyCustomBuilds once any of them is past its limit."""
    cache = caches["default"]
    refused = None
    for who, limit in client:
        key, retry_after = _quota_key(who)
        cache.add(key, 0, timeout=retry_after + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls, at the turn of the hour
            cache.set(key, 1, timeout=retry_after + 60)
            count = 1
        if count > limit:
            refused = TooManyCustomBuilds(retry_after)
    if refused is not None:
        raise refused


def stored_size(options: ExportOptions, exporter_class: type[Exporter] = EpubExporter) -> int | None:
    """The size in bytes of the file of `options` made from the published set as it is now; None while it is not
    built (nothing is built here: a catalogue lists files without making them)."""
    return files.size_of(stored_name(export_name(options, exporter_class)))


def _open(file_name: str, options: ExportOptions, exporter_class: type[Exporter]) -> StoredExport | None:
    """The stored file, opened, or None if it is not there (or was just pruned by another process)."""
    stored = files.open_stored(stored_name(file_name))
    if stored is None:
        return None
    return StoredExport(
        file=stored.file, name=stored.name, sha256=stored.sha256, last_modified=stored.modified, size=stored.size,
        download_name=download_name(options, exporter_class.extension, exporter_class.file_stem(options.lang)),
    )


def get_export(options: ExportOptions, exporter_class: type[Exporter] = EpubExporter, *,
               client: Quota | None = None, fallback: bool = True) -> StoredExport:
    """The stored export for `options`, built first if the published set has changed since the last one.

    A build waits for a free slot; when none is free, the previous edition of the file is served if
    `fallback` allows it, else BuildsBusy. A custom one is counted against `client`'s hourly allowance
    (TooManyCustomBuilds beyond it). Serving a stored book costs nothing.
    """
    try:
        return _get_export(options, exporter_class, client, fallback=fallback)
    except (OSError, RedisError) as error:  # a full disk, a bucket or folder the site may not write to, no Redis...
        logger.exception("Export store %s unusable", EXPORT_SUBDIR)
        raise ExportFailed(str(error)) from error


def build_export(options: ExportOptions, exporter_class: type[Exporter], *, client: Quota | None = None) -> None:
    """Build the export for the current published set unless it is stored (what a task of the queue does):
    BuildsBusy when every build slot is taken, never an older file instead."""
    try:
        stored = _get_export(options, exporter_class, client, fallback=False)
    except (OSError, RedisError) as error:  # tried again by the task, which logs it once if it gives up
        raise ExportFailed(str(error)) from error
    stored.close()


def export_name(options: ExportOptions, exporter_class: type[Exporter]) -> str:
    """The stored name of the export for the current published set (its failures are remembered by it)."""
    version, rest = _state(options, exporter_class)
    return f"{variant_name(options, exporter_class)}-v{version}-{rest}.{exporter_class.extension}"


def stored_export(options: ExportOptions, exporter_class: type[Exporter]) -> StoredExport | None:
    """The stored export for the current published set, opened, or None if it is not built yet."""
    return _open(export_name(options, exporter_class), options, exporter_class)


def previous_export(options: ExportOptions, exporter_class: type[Exporter]) -> StoredExport | None:
    """The newest stored export of this variant, whatever published set it was made from; None if none."""
    return _latest_stored(f"{variant_name(options, exporter_class)}-", options, exporter_class)


def check_quota(options: ExportOptions, client: Quota | None) -> None:
    """TooManyCustomBuilds if a custom export asked by `client` would be over this hour's allowance."""
    if client is not None and is_custom(options):
        _check_quota(client)


def _get_export(options: ExportOptions, exporter_class: type[Exporter], client: Quota | None, *,
                fallback: bool) -> StoredExport:
    extension = exporter_class.extension
    variant = variant_name(options, exporter_class)
    prefix = f"{variant}-"
    # Whom a custom build is counted against (nobody for a standard book).
    counted = client if is_custom(options) else None
    for _attempt in range(BUILD_ATTEMPTS):
        version, rest = _state(options, exporter_class)
        name = f"{prefix}v{{version}}-{rest}.{extension}"
        stored = _open(name.format(version=version), options, exporter_class)
        if stored:
            return stored
        # A build that failed for this state of the lexicon fails the same way again: said at once,
        # without a build slot.
        refuse_if_failed(name.format(version=version))
        if counted is not None:
            _check_quota(counted)  # before taking a slot that others could use
        try:
            with build_slot(), holding(build_lock(variant), wait=BUILD_WAIT_SECONDS):
                # Whoever held the lock before us may have built it, or failed to, in the meantime.
                stored = _open(name.format(version=version), options, exporter_class)
                if stored:
                    return stored
                refuse_if_failed(name.format(version=version))
                if counted is not None:
                    _charge_quota(counted)
                built = _build(exporter_class, options, name, prefix, asked=version)
        except BuildsBusy:
            # Every build slot is taken (often by this very book, after a publication): the previous
            # edition of the book, one publication behind, is better than "come back later".
            previous = _latest_stored(prefix, options, exporter_class) if fallback else None
            if previous is None:
                raise
            return previous
        # The file is named after the version it was really made from; if a publication landed
        # in between, it is newer than asked and the next turn of the loop finds it.
        if built == version:
            break
    stored = _open(name.format(version=built), options, exporter_class)
    if stored is None:
        raise ExportFailed(f"{name} vanished after it was built")
    return stored


def _latest_stored(prefix: str, options: ExportOptions, exporter_class: type[Exporter]) -> StoredExport | None:
    """The newest stored book of this variant, whatever published set it was made from."""
    candidates = [(int(match["version"]), entry) for entry in files.names_in(EXPORT_SUBDIR)
                  if entry.startswith(prefix) and entry.endswith(f".{exporter_class.extension}")
                  and (match := _VERSIONED.search(entry))]
    for _version, entry in sorted(candidates, key=lambda candidate: candidate[0], reverse=True):
        stored = _open(entry, options, exporter_class)
        if stored:
            return stored
    return None


def _build(exporter_class: type[Exporter], options: ExportOptions, name: str, prefix: str, *, asked: int) -> int:
    """Build into a temporary file, then put it in place: readers never see half a book.

    A failure of the build itself (not of the store) is logged and remembered for the version `asked`.
    """
    started = time.perf_counter()
    try:
        with files.file_to_write(stored_name(name.format(version=asked))) as temporary:
            try:
                version, terms = write_export(exporter_class, options, temporary)
            except OSError:
                raise  # the store (a full disk...), not the build: tried again at the next request
            except Exception as error:
                logger.exception("Export %s failed", name.format(version=asked))
                raise remember_failure(name.format(version=asked), str(error)) from error
            file_name = name.format(version=version)
            files.put_in_place(temporary, stored_name(file_name))
    except (BuildFailed, files.RemoteFileError):
        raise
    except Exception as error:
        logger.exception("Export %s failed", name.format(version="?"))
        raise ExportFailed(str(error)) from error
    seconds = time.perf_counter() - started
    logger.info("Export %s built in %.2f s (%d terms)", file_name, seconds, terms)
    _remove_older(file_name, prefix, version=version)
    _prune_custom(keep=file_name)
    export_built.send(sender=exporter_class, options=options, name=stored_name(file_name), version=version,
                      seconds=seconds)
    return version


def write_export(exporter_class: type[Exporter], options: ExportOptions,
                 path: str | os.PathLike[str]) -> tuple[int, int]:
    """Write the export to `path`: (version of the published set it was made from, number of terms).

    In a child process unless LEXIQUE_EXPORT_ISOLATED_BUILDS is off: the worker's memory stays what
    it was, whatever the size of the book.
    """
    if settings.LEXIQUE_EXPORT_ISOLATED_BUILDS:
        return build_in_child(exporter_class, options, path, timeout=LOCK_EXPIRY_SECONDS)
    published = exporter_class(options).write(path)
    return published.version, len(published.terms)


def _remove_older(file_name: str, prefix: str, *, version: int) -> None:
    """Earlier editions of the same variant, now that a newer one is in place. Other variants keep theirs
    until they are rebuilt: a request that finds every build slot taken is served the previous edition."""
    for other in files.names_in(EXPORT_SUBDIR):
        made_from = _VERSIONED.search(other)
        if other == file_name or not made_from:
            continue
        if other.startswith(prefix) and int(made_from["version"]) <= version:
            files.delete(stored_name(other))


def _prune_custom(*, keep: str) -> None:
    """Organisations may ask for any title: keep the custom books bounded, dropping the least recently
    built. The standard books are not counted and never pruned here."""
    others = [entry for entry in files.names_in(EXPORT_SUBDIR)
              if not entry.startswith(STANDARD_PREFIX) and entry != keep]
    excess = len(others) + 1 - settings.LEXIQUE_EXPORT_CACHE_FILES
    if excess <= 0:
        return
    # When each was built (0 if pruned meanwhile by another process), read only when there are too many. A
    # bucket gives it to the second: of books built within one second, any may go.
    others.sort(key=lambda entry: files.modified_at(stored_name(entry)))
    for entry in others[:excess]:
        files.delete(stored_name(entry))
