"""What several test modules share: factories, helpers, sample lexicons, a production site, data files."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # data files the tests read
