"""Imports of terminology files (CSV, TBX, SKOS) into the moderation queue: they only ever make proposals."""
from lexique.interop.importers.readers import FORMATS, ImportFileError, read_entries
from lexique.interop.importers.service import ImportReport, import_entries

__all__ = ["FORMATS", "ImportFileError", "ImportReport", "import_entries", "read_entries"]
