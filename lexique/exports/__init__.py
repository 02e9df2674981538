"""Exports of the published lexicon (EPUB for now), made from published terms only."""
from lexique.exports.base import Exporter, ExportOptions, OptionsError
from lexique.exports.epub import EpubExporter

__all__ = ["EpubExporter", "ExportOptions", "Exporter", "OptionsError"]
