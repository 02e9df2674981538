"""Template tag libraries of the pages, registered by name in TEMPLATES["OPTIONS"]["libraries"]."""
