"""Every export format, by name: views, the store of built files and the commands look formats up here,
and ask `asked_export` whether the format, language and domains they were given are valid."""
from collections.abc import Iterable

from django.utils.translation import gettext as _

from lexique.interop.exporters.base import Exporter
from lexique.interop.exporters.csv import CsvExporter
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.lookup import KoboExporter, LookupExporter, StarDictExporter
from lexique.interop.exporters.ontolex import OntolexExporter
from lexique.interop.exporters.records import DataExporter
from lexique.interop.exporters.skos import SkosJsonLdExporter, SkosRdfXmlExporter, SkosTurtleExporter
from lexique.interop.exporters.tbx import Tbx2008Exporter, TbxExporter
from lexique.interop.exporters.xlsx import XlsxExporter
from lexique.interop.published import ExportOptions, OptionsError

EXPORTERS: dict[str, type[Exporter]] = {
    exporter.name: exporter
    for exporter in (EpubExporter, SkosTurtleExporter, SkosRdfXmlExporter, SkosJsonLdExporter, TbxExporter,
                     Tbx2008Exporter, CsvExporter, XlsxExporter, OntolexExporter, StarDictExporter, KoboExporter)
}
# The API's data files (terms/files/<name>), each to its format, in the order the downloads page lists them.
API_FILES: dict[str, type[DataExporter]] = {
    exporter.api_file: exporter for exporter in EXPORTERS.values()
    if issubclass(exporter, DataExporter) and exporter.api_file
}
# The terminology formats, read back by the importers (lexique.interop.importers) and served by the API.
DATA_FORMATS = tuple(exporter.name for exporter in API_FILES.values())
# The look-up dictionaries for reading apps, in the order the downloads page lists them.
LOOKUP_FORMATS: dict[str, type[LookupExporter]] = {
    exporter.name: exporter for exporter in EXPORTERS.values() if issubclass(exporter, LookupExporter)
}


def exporter_for(name: str) -> type[Exporter]:
    """The exporter class of format `name`; KeyError for an unknown one."""
    return EXPORTERS[name]


def asked_export(format_name: str, *, lang: str = "", domains: Iterable[str] = (),
                 **book: str) -> tuple[type[Exporter], ExportOptions]:
    """The exporter and options of an export asked for by format, language and domains: the one check the
    downloads page, the API and the commands make, each refusal with its one message.

    `lang` is a word of the format's addresses ("bilingue") or a language of ExportOptions ("bilingual");
    empty, the format's first. `book` holds the rest of a book's options (title, subtitle, organisation,
    logo). OptionsError, its `field` "format", "lang" or "domains", when one of them is not valid.
    """
    exporter_class = EXPORTERS.get(format_name)
    if exporter_class is None:
        raise OptionsError(_("Format inconnu : %(format)s.") % {"format": str(format_name)[:20]}, field="format")
    return exporter_class, exporter_class.asked_options(lang=lang, domains=domains, **book)


def by_extension(extension: str) -> type[Exporter] | None:
    """The terminology format whose files end in `extension` (ttl, rdf, jsonld, tbx, csv, xlsx)."""
    return next((EXPORTERS[name] for name in DATA_FORMATS if EXPORTERS[name].extension == extension), None)
