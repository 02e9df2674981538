"""Every format out and in: the published set read for a format, exporters, importers, one registry, the store of built files."""
