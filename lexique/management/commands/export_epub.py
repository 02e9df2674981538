"""Write the lexicon as an EPUB 3 book from the shell (published terms only)."""
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.logo import store_logo
from lexique.interop.published import OptionsError
from lexique.management.files import write_file
from lexique.management.progress import progress_bar
from lexique.platform.checks import is_local_address


class Command(BaseCommand):
    help = "Write the published lexicon as an EPUB 3 book: French, English or bilingual, whole or by domain."
    # No system checks: they import the whole web stack (API, middleware) for a command that only reads
    # the published set, a second or so before every book; the one check that concerns books, a
    # development SITE_URL, is made below as a warning.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", default="fr", help="language of the book: fr, en or bilingue (default: fr)")
        parser.add_argument("--domain", action="append", default=[], dest="domains", metavar="SLUG",
                            help="only the terms of this domain (repeat for several)")
        parser.add_argument("--title", default="", help="the organisation's own title (shown on the cover)")
        parser.add_argument("--subtitle", default="")
        parser.add_argument("--organisation", default="",
                            help="the organisation whose edition this is (on the cover and title page)")
        parser.add_argument("--logo", metavar="FILE",
                            help="the organisation's logo, PNG or JPEG (on the cover and title page)")
        parser.add_argument("-o", "--output", help="file to write (default: lexique-<lang>.epub)")

    def handle(self, *args: Any, lang: str, domains: list[str], title: str, subtitle: str, organisation: str,
               logo: str | None, output: str | None, **options: Any) -> None:
        try:
            # Checked and kept as an upload is: the same limits, the same re-encoding.
            digest = store_logo(_read_logo(logo)) if logo else ""
            # The book's own exporter, not the registry: loading every format (spreadsheets, RDF) would
            # cost a book of 10,000 terms a fifth of its time.
            export_options = EpubExporter.asked_options(lang=lang, domains=domains, title=title, subtitle=subtitle,
                                                        organisation=organisation, logo=digest)
        except OptionsError as error:
            raise CommandError(str(error)) from error
        if is_local_address(settings.SITE_URL):
            # The book is made all the same (for a test), but it will not name the lexicon's address.
            self.stderr.write(self.style.WARNING(
                f"Warning: SITE_URL is {settings.SITE_URL!r}, an address of this machine: the book will not "
                "give the lexicon's address. Set SITE_URL to the public address of the site."
            ))
        target = Path(output or f"lexique-{lang}.epub")
        with progress_bar(self, what="Writing the book", unit="term") as progress:
            published = write_file(target, EpubExporter(export_options, progress=progress).write)
        self.stdout.write(f"Wrote {target}: {len(published.terms)} terms, version {published.version} of the lexicon.")


def _read_logo(name: str) -> bytes:
    try:
        with open(name, "rb") as handle:
            return handle.read(settings.LEXIQUE_LOGO_MAX_BYTES + 1)
    except OSError as error:
        raise CommandError(f"Cannot read the logo {name}: {error.strerror}") from error

