"""Imports of terminology files (CSV, TBX, SKOS) into the moderation queue: they only ever make proposals."""
from lexique.imports.readers import FORMATS, ImportFileError, read_entries
from lexique.imports.service import ImportReport, import_entries

__all__ = ["FORMATS", "ImportFileError", "ImportReport", "import_entries", "read_entries"]
