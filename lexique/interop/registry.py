"""Every export format, by name: views, the store of built files and the commands look formats up here."""
from lexique.interop.exporters.base import Exporter
from lexique.interop.exporters.csv import CsvExporter
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.records import DataExporter
from lexique.interop.exporters.skos import SkosJsonLdExporter, SkosRdfXmlExporter, SkosTurtleExporter
from lexique.interop.exporters.tbx import TbxExporter

EXPORTERS: dict[str, type[Exporter]] = {
    exporter.name: exporter
    for exporter in (EpubExporter, SkosTurtleExporter, SkosRdfXmlExporter, SkosJsonLdExporter, TbxExporter, CsvExporter)
}
# The API's data files (terms/files/<name>), each to its format, in the order the downloads page lists them.
API_FILES: dict[str, type[DataExporter]] = {
    exporter.api_file: exporter for exporter in EXPORTERS.values()
    if issubclass(exporter, DataExporter) and exporter.api_file
}
# The terminology formats, read back by the importers (lexique.interop.importers) and served by the API.
DATA_FORMATS = tuple(exporter.name for exporter in API_FILES.values())


def exporter_for(name: str) -> type[Exporter]:
    """The exporter class of format `name`; KeyError for an unknown one."""
    return EXPORTERS[name]


def by_extension(extension: str) -> type[Exporter] | None:
    """The terminology format whose files end in `extension` (ttl, rdf, jsonld, tbx, csv)."""
    return next((EXPORTERS[name] for name in DATA_FORMATS if EXPORTERS[name].extension == extension), None)
