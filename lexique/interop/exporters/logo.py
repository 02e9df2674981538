"""An organisation's logo for its edition: checked, re-encoded and kept in the site's storage by its digest.

Only PNG and JPEG are taken (SVG may carry scripts, and reading systems would run them), verified by
Pillow and re-encoded as a PNG of bounded size, so that nothing of the uploaded file but its pixels
reaches a book. The stored name is the digest of the re-encoded image: the same logo is kept once,
and an export names it by that digest. A name that says what the file holds is never half-written
or replaced by other bytes (`lexique.platform.files` stores it whole or not at all).
"""
import hashlib
import io
import re
import warnings

from django.conf import settings
from django.utils.translation import gettext as _

from lexique.interop.published import OptionsError
from lexique.platform import files

LOGO_SUBDIR = "logos"
ACCEPTED_FORMATS = {"PNG", "JPEG"}
# Larger images are scaled down: the cover shows a logo at most 1,000 pixels wide.
LOGO_MAX_SIDE = 1000
# What an image may claim before it is decoded (a small file may declare gigapixels)
# (4 million pixels decode to 16 MB at most.)
LOGO_MAX_PIXELS = 4_000_000
DIGEST_LENGTH = 32
_DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")


def is_digest(value: str) -> bool:
    return bool(_DIGEST.fullmatch(value or ""))


def logo_name(digest: str) -> str:
    """The name in the site's storage of the logo `digest`."""
    return f"{LOGO_SUBDIR}/{digest}.png"


def stored_logos() -> list[str]:
    """The digests of the logos kept."""
    return [name.removesuffix(".png") for name in files.names_in(LOGO_SUBDIR) if name.endswith(".png")]


def is_stored(digest: str) -> bool:
    """True if a logo named `digest` is kept."""
    return is_digest(digest) and files.exists(logo_name(digest))


def logo_bytes(digest: str) -> bytes | None:
    """The stored logo named `digest`, or None if there is none."""
    if not is_digest(digest):
        return None
    return files.read_bytes(logo_name(digest))


def store_logo(data: bytes) -> str:
    """Check and keep a logo; its digest. OptionsError, with a message for the reader, if it is refused."""
    limit = settings.LEXIQUE_LOGO_MAX_BYTES
    if len(data) > limit:
        raise OptionsError(_("Le logo pèse plus de %(size)d Ko.") % {"size": limit // 1024})
    png = _reencoded(data)
    digest = hashlib.sha256(png).hexdigest()[:DIGEST_LENGTH]
    name = logo_name(digest)
    if not files.exists(name):
        files.put_bytes(name, png)
        _prune(keep=digest)
    else:
        files.mark_used(name)  # recently used: pruned last
    return digest


def _reencoded(data: bytes) -> bytes:
    # Pillow loaded only here: a book, which only reads stored logos, starts without it.
    from PIL import Image

    refused = OptionsError(_("Le logo doit être une image PNG ou JPEG."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise refused
                width, height = probe.size
                if width * height > LOGO_MAX_PIXELS:
                    raise OptionsError(_("Le logo a trop de pixels."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                image = opened.convert("RGBA")
    except OptionsError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refused from None
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # pixels only: no metadata, no profile, no text chunks
    return buffer.getvalue()


def _prune(*, keep: str) -> None:
    """Logos are kept as custom books are: at most LEXIQUE_EXPORT_CACHE_FILES, the least recently used going."""
    logos = [digest for digest in stored_logos() if digest != keep]
    excess = len(logos) + 1 - settings.LEXIQUE_EXPORT_CACHE_FILES
    if excess <= 0:
        return
    logos.sort(key=lambda digest: files.modified_at(logo_name(digest)))
    for digest in logos[:excess]:
        files.delete(logo_name(digest))
