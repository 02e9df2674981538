"""The book's cover, drawn with Pillow: organisation, title, subtitle and edition date on a plain background."""
import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
_Colour = tuple[int, int, int]

# The proportions e-book shops recommend (1:1.6).
WIDTH, HEIGHT = 1600, 2560
MARGIN = 140
BACKGROUND = (23, 42, 69)
ACCENT = (233, 196, 106)
INK = (255, 255, 255)
SOFT_INK = (214, 224, 240)
# An organisation's logo: within this box, on a white plate, at the top; the rest moves down.
LOGO_BOX = (720, 260)
LOGO_TOP = 90
LOGO_PADDING = 24
LOGO_SHIFT = 300
# A font with accents and most Latin, Greek and Cyrillic letters when the system has one;
# Pillow's own font otherwise, so that a cover never depends on the machine.
_FONT_FILES = {
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"),
}
# The title of a work, set in italics as a publisher sets it (book rules 6): a true italic of the same family
# of faces when the system has one (Debian's fonts-dejavu-extra), the bold roman otherwise.
_TITLE_FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
                     "/usr/share/fonts/TTF/DejaVuSerif-BoldItalic.ttf", *_FONT_FILES[True])


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False, italic: bool = False) -> _Font:
    for candidate in _TITLE_FONT_FILES if italic else _FONT_FILES[bold]:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: _Font, width: int) -> list[str]:
    """Greedy line breaking; a word wider than the page is cut where it must be."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while draw.textlength(word, font=font) > width:
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _fitted(draw: ImageDraw.ImageDraw, text: str, *, width: int, largest: int, smallest: int, max_lines: int,
            bold: bool, italic: bool = False) -> tuple[_Font, list[str], int]:
    """The largest font size at which `text` fits in `max_lines` lines."""
    size = largest
    while True:
        font = _font(size, bold, italic)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines or size <= smallest:
            return font, lines[:max_lines], size
        size -= 8


def _draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: _Font, size: int, top: int, fill: _Colour,
                spacing: float = 1.2) -> int:
    for line in lines:
        draw.text((MARGIN, top), line, font=font, fill=fill)
        top += int(size * spacing)
    return top


def _paste_logo(image: Image.Image, logo: bytes) -> None:
    """The organisation's logo (a PNG checked and re-encoded when it was stored) on a light plate, top left."""
    with Image.open(io.BytesIO(logo)) as source:
        mark = source.convert("RGBA")
    mark.thumbnail((LOGO_BOX[0] - 2 * LOGO_PADDING, LOGO_BOX[1] - 2 * LOGO_PADDING))
    plate = Image.new("RGB", (mark.width + 2 * LOGO_PADDING, mark.height + 2 * LOGO_PADDING), INK)
    plate.paste(mark, (LOGO_PADDING, LOGO_PADDING), mark)
    image.paste(plate, (MARGIN, LOGO_TOP))


def cover_jpeg(*, title: str, subtitle: str, edition: str, credit: str, organisation: str = "",
               logo: bytes | None = None, italic_title: bool = False) -> bytes:
    """A JPEG cover; `credit` names the lexicon when an organisation has given the book its own title,
    `organisation` the organisation whose edition it is (above the title), `logo` its logo (PNG, above all);
    the title in italics when `italic_title` (book rules 6; in roman before, so that earlier books keep
    their bytes)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN
    shift = 0
    if logo:
        _paste_logo(image, logo)
        shift = LOGO_SHIFT

    if organisation:
        font, lines, size = _fitted(draw, organisation, width=text_width, largest=64, smallest=40, max_lines=2,
                                    bold=True)
        _draw_lines(draw, lines, font, size, 120 + shift, ACCENT)

    draw.rectangle((MARGIN, 300 + shift, MARGIN + 260, 324 + shift), fill=ACCENT)
    font, lines, size = _fitted(draw, title, width=text_width, largest=150, smallest=64,
                                max_lines=5 if logo else 6, bold=True, italic=italic_title)
    top = _draw_lines(draw, lines, font, size, 420 + shift, INK)
    if subtitle:
        font, lines, size = _fitted(draw, subtitle, width=text_width, largest=80, smallest=44, max_lines=5, bold=False)
        _draw_lines(draw, lines, font, size, top + 70, SOFT_INK)

    font = _font(54)
    lines = _wrap(draw, credit, font, text_width)[:3] if credit else []
    bottom = HEIGHT - 260 - 66 * len(lines)
    draw.rectangle((MARGIN, bottom - 60, WIDTH - MARGIN, bottom - 56), fill=ACCENT)
    _draw_lines(draw, lines, font, 54, bottom, SOFT_INK)
    _draw_lines(draw, [edition], _font(64, True), 64, HEIGHT - 220, ACCENT)

    buffer = io.BytesIO()
    # JPEG, as e-book shops ask for covers; no chroma subsampling, so the lettering stays sharp.
    # (A PNG of this size takes ten times longer to encode, a third of a whole 10,000-term export.)
    image.save(buffer, format="JPEG", quality=90, subsampling=0)
    return buffer.getvalue()
