"""Every format out and in: the published set as formats read it, exporters, importers, registry, built files."""
