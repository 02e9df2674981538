"""Write the published lexicon in any registered format from the shell: SKOS, TBX, CSV, EPUB, StarDict or Kobo."""
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lexique.interop.exporters.base import Exporter
from lexique.interop.published import OptionsError
from lexique.interop.registry import EXPORTERS, asked_export
from lexique.management.files import write_file
from lexique.management.progress import progress_bar


class Command(BaseCommand):
    help = ("Write the published lexicon as SKOS (ttl, rdf, jsonld), TBX, CSV, EPUB or a look-up dictionary (StarDict, "
            "Kobo); whole or one domain.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS), dest="format_name")
        parser.add_argument("--domain", action="append", default=[], dest="domains", metavar="SLUG",
                            help="only the terms of this domain (repeat for several)")
        parser.add_argument("--lang", default="", help="EPUB: language (fr, en, bilingue); look-up dictionaries: "
                                                       "direction (fr-en, en-fr)")
        parser.add_argument("-o", "--output", help="file to write, or - for standard output "
                                                   "(default: lexique.<extension>)")

    def handle(
        self, *args: Any, format_name: str, domains: list[str], lang: str, output: str | None, **options: Any
    ) -> None:
        try:
            exporter_class, export_options = asked_export(format_name, lang=lang, domains=domains)
        except OptionsError as error:
            raise CommandError(str(error)) from error
        with progress_bar(self, what="Exporting", unit="term") as progress:
            exporter = exporter_class(export_options, progress=progress)
            if output == "-":
                self._to_stdout(exporter)
                return
            target = Path(output or f"lexique.{exporter_class.extension}")
            published = write_file(target, exporter.write)
        self.stderr.write(f"Wrote {target}: {len(published.terms)} terms, version {published.version} of the lexicon.")

    def _to_stdout(self, exporter: Exporter) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / f"export.{exporter.extension}"
            exporter.write(path)
            stream = getattr(self.stdout, "_out", sys.stdout)
            stream.flush()
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(path.read_bytes())
                buffer.flush()
            else:
                stream.write(path.read_text(encoding="utf-8"))
