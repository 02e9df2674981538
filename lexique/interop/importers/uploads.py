"""Files uploaded for an import, kept by their SHA-256 for a while: the import that follows a preview imports
the very bytes that were previewed, or says why it cannot. They are kept in the site's storage (local files or a
bucket: `lexique.platform.files`), each whole or not at all."""
import hashlib
import re
import time

from django.conf import settings
from django.utils.translation import gettext as _

from lexique.interop.importers.readers import FORMATS, ImportFileError
from lexique.platform import files

SUBDIR = "imports"
# Long enough to read a long preview and answer its questions, short enough that files do not pile up.
KEEP_SECONDS = 24 * 3600
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def keep_seconds() -> int:
    return int(getattr(settings, "LEXIQUE_IMPORT_KEEP_SECONDS", KEEP_SECONDS))


def _name(digest: str, file_format: str) -> str:
    return f"{SUBDIR}/{digest}.{file_format}"


def keep_upload(data: bytes, file_format: str) -> str:
    """Keep `data` under its SHA-256 (returned), and let go of the files kept longer than allowed."""
    digest = hashlib.sha256(data).hexdigest()
    name = _name(digest, file_format)
    if not files.exists(name):
        files.put_bytes(name, data)
    _prune()
    return digest


def kept_upload(digest: str, file_format: str) -> bytes:
    """The bytes kept under `digest`, or ImportFileError saying why they are not there any more."""
    if not _DIGEST.match(digest or "") or file_format not in FORMATS:
        raise ImportFileError([_("Le fichier à importer n'est pas désigné correctement : déposez-le de nouveau.")])
    name = _name(digest, file_format)
    data = files.read_bytes(name)
    if data is None:
        raise ImportFileError([_("Le fichier prévisualisé n'est plus conservé (il l'est %(hours)d heures) : "
                                 "déposez-le de nouveau.") % {"hours": max(1, keep_seconds() // 3600)}])
    if hashlib.sha256(data).hexdigest() != digest:
        raise ImportFileError([_("Le fichier conservé a changé depuis l'aperçu : déposez-le de nouveau.")])
    return data


def _prune() -> None:
    limit = time.time() - keep_seconds()
    for file_name in files.names_in(SUBDIR):
        name = f"{SUBDIR}/{file_name}"
        modified = files.modified_at(name)
        if modified and modified < limit:  # (0: pruned meanwhile by another request)
            files.delete(name)
