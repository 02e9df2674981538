"""Exporters: one class per format (EPUB, SKOS, TBX, CSV), each writing the published set its own way."""
