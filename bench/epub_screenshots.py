"""Screenshots of e-books as a reader sees them: pages of each book in Chromium at phone and e-reader sizes.

    python bench/epub_screenshots.py book.epub [more.epub ...] [--out screenshots/epub] [--dark]

Each book is unzipped and its pages opened as they are (XHTML with the book's style sheet), at 390×844
(a phone) and 600×800 (a small e-reader); the PNGs are named <book>-<page>-<size>.png. Look at them.
"""
import argparse
import os
import tempfile
import zipfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SIZES = {"phone": (390, 844), "reader": (600, 800)}
# Page name -> (file in the book, fragment to scroll to); missing files are skipped. With no file, the
# letter page that holds the fragment (the same entry is filed under different letters in each book).
PAGES = {
    "cover": ("couverture.xhtml", ""),
    "title": ("titre.xhtml", ""),
    "copyright": ("droits.xhtml", ""),
    "contents": ("nav.xhtml", ""),
    "howto": ("mode-emploi.xhtml", "legende"),
    "letter": ("lettre-m.xhtml", ""),
    "entry": ("", "t-metadonnees"),
    "entry-synonyms": ("", "t-medias-sociaux"),
    "entry-not-recommended": ("", "v-megadonnees-1"),
    "entry-examples": ("", "t-mediation-numerique"),
    "entry-related": ("", "t-megadonnees"),
    "index": ("index.xhtml", ""),
    # A letter continued from the file before (books of more than 850 index entries).
    "index-continued": ("index-2.xhtml", ""),
    "english-index": ("index-anglais.xhtml", ""),
    "french-index": ("index-francais.xhtml", ""),
    "domains-index": ("index-domaines.xhtml", ""),
    "cite": ("citer.xhtml", ""),
    "credits": ("contributions.xhtml", ""),
    "colophon": ("colophon.xhtml", ""),
}


def page_of(folder: Path, file_name: str, fragment: str) -> Path | None:
    """The page to open: `file_name`, or the letter page whose markup holds the element `fragment`."""
    if file_name:
        path = folder / file_name
        return path if path.exists() else None
    for path in sorted(folder.glob("*.xhtml")):
        if f'id="{fragment}"' in path.read_text(encoding="utf-8"):
            return path
    return None


def shoot(books, out: Path, dark: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as workdir:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for book in books:
            folder = Path(workdir) / Path(book).stem
            with zipfile.ZipFile(book) as archive:
                archive.extractall(folder)
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height},
                                        color_scheme="dark" if dark else "light")
                for name, (file_name, fragment) in PAGES.items():
                    path = page_of(folder / "EPUB", file_name, fragment)
                    if path is None:
                        continue
                    page.goto(path.as_uri() + (f"#{fragment}" if fragment else ""))
                    target = out / f"{Path(book).stem}-{name}-{size}{'-dark' if dark else ''}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                page.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="+")
    parser.add_argument("--out", default="screenshots/epub")
    parser.add_argument("--dark", action="store_true", help="ask for the dark colour scheme")
    args = parser.parse_args()
    for path in shoot(args.books, Path(args.out), dark=args.dark):
        print(path)


if __name__ == "__main__":
    main()
