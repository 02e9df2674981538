"""The files the site keeps (built exports, edition files, logos, uploaded imports), through Django's storage API.

They live in `STORAGES["default"]`: files under MEDIA_ROOT by default, an S3-compatible bucket
(django-storages) when AWS_STORAGE_BUCKET_NAME is set (docs/deployment.md). Whatever the storage:

- a file appears whole or not at all: on local storage it is written to a temporary file beside its
  address and renamed there; in a bucket, an object becomes visible only once its upload (single or
  multipart) is complete, so it is uploaded straight to its name;
- its SHA-256 is read from its bytes, once per process and per version of the file (its inode and
  times on disk, the object's ETag in a bucket), so that a file changed behind the site's back is seen;
- it is served efficiently: a local file is streamed by FileResponse (the open file, sendfile where
  the server has it); an object is served by its bucket, through a redirect to a presigned address
  that expires shortly (`served_at`), so that no web worker spends its time relaying bytes.

Locks (file locks without Redis) and the scratch files a build writes into are always local (`local_dir`).
"""
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.http import content_disposition_header

STORAGE_ALIAS = "default"
# How a stored file is named on local storage while it is written: hidden, never listed as a stored file.
TEMPORARY_PREFIX = ".build-"
TEMPORARY_SUFFIX = ".part"


class RemoteFileError(OSError):
    """The bucket could not be read or written (an OSError, as a local disk's failure would be)."""


def storage() -> Storage:
    """The storage every kept file goes to."""
    return storages[STORAGE_ALIAS]


def is_local() -> bool:
    """True when files are kept on this machine's disk (FileSystemStorage), False for a bucket."""
    current = storage()
    if isinstance(current, FileSystemStorage):
        return True
    if hasattr(current, "bucket"):
        return False
    raise ImproperlyConfigured(
        f"STORAGES['{STORAGE_ALIAS}'] must be a FileSystemStorage or django-storages' S3Storage, "
        f"not {type(current).__name__}")


def local_path(name: str) -> Path:
    """Where `name` is on local storage."""
    return Path(storage().path(name))


def local_dir(name: str) -> Path:
    """A local directory for what must stay on this machine (file locks, scratch files), made if needed:
    the storage's own directory `name` on local storage, MEDIA_ROOT/`name` otherwise (with a bucket,
    MEDIA_ROOT holds nothing else)."""
    directory = local_path(name) if is_local() else Path(settings.MEDIA_ROOT) / name
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@dataclass
class StoredFile:
    """What the site knows of a stored file; `file` is open (to stream) on local storage, None in a bucket."""

    name: str
    size: int
    modified: float  # seconds since the epoch
    sha256: str
    file: IO[bytes] | None

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def read(self) -> bytes:
        """All its bytes (and the local file closed)."""
        if self.file is not None:
            with self.file:
                self.file.seek(0)
                return self.file.read()
        data = read_bytes(self.name)
        if data is None:
            raise FileNotFoundError(self.name)
        return data


# Digests already read by this process, by the version of the file they were read from: a local file's
# identity and times, an object's name and ETag. A stored file is never changed in place.
_DIGESTS: dict[tuple[Any, ...], str] = {}
DIGESTS_KEPT = 4096


def _remember(key: tuple[Any, ...], digest: str) -> str:
    if len(_DIGESTS) >= DIGESTS_KEPT:
        _DIGESTS.clear()
    _DIGESTS[key] = digest
    return digest


def file_sha256(handle: BufferedReader) -> str:
    """The SHA-256 of the open local file `handle`'s bytes, read once per process; the position is kept."""
    stat = os.fstat(handle.fileno())
    key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    digest = _DIGESTS.get(key)
    if digest is None:
        position = handle.tell()
        handle.seek(0)
        digest = _remember(key, hashlib.file_digest(handle, "sha256").hexdigest())
        handle.seek(position)
    return digest


def _key(name: str) -> str:
    """The object key of `name` in the bucket (the storage's `location` before it)."""
    return storage()._normalize_name(name)  # type: ignore[attr-defined]  # django-storages' own mapping


def _object(name: str) -> Any:
    """The bucket's object `name`, loaded (HEAD), or None if there is none."""
    from botocore.exceptions import BotoCoreError, ClientError  # installed with django-storages[s3]

    obj = storage().bucket.Object(_key(name))  # type: ignore[attr-defined]
    try:
        obj.load()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise RemoteFileError(str(error)) from error
    except BotoCoreError as error:
        raise RemoteFileError(str(error)) from error
    return obj


def _object_sha256(obj: Any) -> str:
    key = ("s3", obj.bucket_name, obj.key, obj.e_tag, obj.content_length)
    digest = _DIGESTS.get(key)
    if digest is None:
        hasher = hashlib.sha256()
        for chunk in obj.get(IfMatch=obj.e_tag)["Body"].iter_chunks(1024 * 1024):
            hasher.update(chunk)
        digest = _remember(key, hasher.hexdigest())
    return digest


def open_stored(name: str) -> StoredFile | None:
    """The stored file `name`, or None if there is none (or it was removed meanwhile). The caller closes it."""
    if is_local():
        try:
            handle = open(local_path(name), "rb")  # noqa: SIM115 (the response streams it, then closes it)
        except (FileNotFoundError, IsADirectoryError):
            return None
        stat = os.fstat(handle.fileno())
        return StoredFile(name=name, size=stat.st_size, modified=stat.st_mtime, sha256=file_sha256(handle),
                          file=handle)
    obj = _object(name)
    if obj is None:
        return None
    try:
        sha256 = _object_sha256(obj)
    except Exception as error:  # replaced or removed while it was read: as if it were not there
        if "PreconditionFailed" in str(error) or "NoSuchKey" in str(error):
            return None
        raise RemoteFileError(str(error)) from error
    return StoredFile(name=name, size=obj.content_length, modified=obj.last_modified.timestamp(), sha256=sha256,
                      file=None)


def read_bytes(name: str) -> bytes | None:
    """The bytes of the stored file `name`, or None if there is none."""
    if is_local():
        try:
            return local_path(name).read_bytes()
        except FileNotFoundError:
            return None
    obj = _object(name)
    if obj is None:
        return None
    return obj.get()["Body"].read()  # type: ignore[no-any-return]


def exists(name: str) -> bool:
    return local_path(name).is_file() if is_local() else _object(name) is not None


def size_of(name: str) -> int | None:
    """The size in bytes of the stored file `name`, or None if there is none."""
    if is_local():
        try:
            return local_path(name).stat().st_size
        except FileNotFoundError:
            return None
    obj = _object(name)
    return None if obj is None else int(obj.content_length)


def names_in(directory: str) -> list[str]:
    """The names of the files stored in `directory` (not below it), without the temporary ones."""
    try:
        _directories, files = storage().listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(name for name in files if not name.startswith("."))


def modified_at(name: str) -> float:
    """When `name` was stored (or last marked as used); 0 if it is gone."""
    if is_local():
        try:
            return local_path(name).stat().st_mtime
        except FileNotFoundError:
            return 0.0
    obj = _object(name)
    return 0.0 if obj is None else float(obj.last_modified.timestamp())


def mark_used(name: str) -> None:
    """Give `name` the time of now, so that pruning by age takes it last."""
    if is_local():
        with contextlib.suppress(FileNotFoundError):
            os.utime(local_path(name))
        return
    key = _key(name)
    bucket = storage().bucket  # type: ignore[attr-defined]
    # Copied onto itself with its metadata replaced: the same bytes, a new LastModified.
    bucket.Object(key).copy_from(CopySource={"Bucket": bucket.name, "Key": key}, MetadataDirective="REPLACE")


def delete(name: str) -> None:
    """Remove `name`; nothing happens if it is already gone."""
    with contextlib.suppress(FileNotFoundError):
        storage().delete(name)


def move_aside(name: str, aside: str) -> None:
    """Move `name` to `aside` (kept for a person to look at), if it is still there."""
    if is_local():
        with contextlib.suppress(FileNotFoundError):
            os.replace(local_path(name), local_path(aside))
        return
    bucket = storage().bucket  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):  # gone meanwhile: nothing to move
        bucket.Object(_key(aside)).copy_from(CopySource={"Bucket": bucket.name, "Key": _key(name)})
    delete(name)


@contextlib.contextmanager
def file_to_write(name: str) -> Iterator[Path]:
    """A local temporary file to write `name`'s bytes into, then give to `put_in_place`; removed afterwards.

    On local storage it is beside `name`'s address (so that moving it there is one rename), in a local
    scratch directory otherwise."""
    directory = local_path(name).parent if is_local() else local_dir("scratch")
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    os.close(handle)
    try:
        yield Path(temporary)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def put_in_place(temporary: Path, name: str) -> None:
    """Store the complete file `temporary` as `name` (replacing any file of that name) at once: readers
    see the former file or the new one, never half of one."""
    if is_local():
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a served file is public anyway
        os.replace(temporary, local_path(name))
        return
    try:
        with open(temporary, "rb") as handle:
            storage().save(name, File(handle, name=name))
    except OSError:
        raise
    except Exception as error:  # botocore's errors: the bucket, like a disk, failed
        raise RemoteFileError(str(error)) from error


def put_bytes(name: str, data: bytes) -> None:
    """Store `data` as `name`, whole or not at all."""
    with file_to_write(name) as temporary:
        temporary.write_bytes(data)
        put_in_place(temporary, name)


def served_at(name: str, *, download_name: str, media_type: str) -> str:
    """A short-lived address in the bucket that gives `name` as an attachment named `download_name`.

    Only for bucket storage: it signs the request (valid LEXIQUE_FILES_URL_SECONDS), so the bucket
    stays private, and the bucket sends the name and type the site would have sent.
    """
    parameters = {"ResponseContentType": media_type,
                  "ResponseContentDisposition": content_disposition_header(True, download_name) or "attachment"}
    bucket_storage = cast(Any, storage())  # django-storages' S3Storage.url takes these two
    return str(bucket_storage.url(name, parameters=parameters, expire=settings.LEXIQUE_FILES_URL_SECONDS))
