"""Exports of the published lexicon (EPUB for now), made from published terms only."""
from .base import Exporter, ExportOptions, OptionsError
from .epub import EpubExporter

__all__ = ["EpubExporter", "ExportOptions", "Exporter", "OptionsError"]
