"""What several test modules share: factories, helpers, sample lexicons, a production site, data files."""
