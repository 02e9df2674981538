"""Long commands show a progress bar on a terminal, and nothing when their output goes to a file or a pipe."""
import io
import os
import pty

import pytest
from django.core.management import call_command

from lexique.management.progress import on_terminal, progress_bar
from tests.support.factories import publish_term


class _Command:
    def __init__(self, stdout, verbosity=1):
        self.stdout = stdout
        self.verbosity = verbosity


def test_a_command_writing_to_a_file_or_a_pipe_shows_no_bar(capsys):
    with progress_bar(_Command(io.StringIO()), what="Importing", unit="entry", total=10) as progress:
        progress(10, 10)
    assert capsys.readouterr().err == ""


def test_a_command_on_a_terminal_shows_its_bar_on_standard_error(capsys):
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            command = _Command(terminal)
            assert on_terminal(command)
            assert not on_terminal(_Command(terminal, verbosity=0))
            with progress_bar(command, what="Importing", unit="entry", total=4) as progress:
                progress(2, 4)
                shown = capsys.readouterr().err
        assert "Importing:" in shown and "/4 [" in shown
    finally:
        os.close(leader)
        os.close(follower)


@pytest.mark.django_db
def test_generate_terms_off_a_terminal_prints_its_figures_only(capsys):
    out = io.StringIO()
    call_command("generate_terms", "3", stdout=out)
    assert out.getvalue() == "Created 3 synthetic terms.\n"
    assert "%" not in capsys.readouterr().err


def _quiet_run(capsys, *args):
    """Run a command with its output going to files: what it printed there, and what reached standard error."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue(), capsys.readouterr().err


def _no_bar(shown: str) -> bool:
    return "%" not in shown and "\r" not in shown and "it/s" not in shown and "term/s" not in shown


@pytest.mark.django_db
def test_export_off_a_terminal_prints_what_it_wrote_only(capsys, moderator, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    for number in range(3):
        publish_term(moderator=moderator, headword_fr=f"terme {number}")
    printed, stderr = _quiet_run(capsys, "export", "--format", "csv", "-o", str(tmp_path / "lexique.csv"))
    assert printed.startswith(f"Wrote {tmp_path / 'lexique.csv'}: 3 terms") and _no_bar(printed + stderr)


@pytest.mark.django_db
def test_export_epub_off_a_terminal_prints_what_it_wrote_only(capsys, moderator, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    publish_term(moderator=moderator, headword_fr="terme")
    printed, stderr = _quiet_run(capsys, "export_epub", "-o", str(tmp_path / "lexique.epub"))
    assert f"Wrote {tmp_path / 'lexique.epub'}: 1 terms" in printed and _no_bar(printed + stderr)


@pytest.mark.django_db
def test_publish_edition_off_a_terminal_prints_the_edition_only(capsys, moderator):
    publish_term(moderator=moderator, headword_fr="terme")
    printed, stderr = _quiet_run(capsys, "publish_edition", "2026.1", "--by", moderator.username)
    assert printed == "Edition 2026.1 published: 1 terms, /editions/2026.1/\n" and _no_bar(stderr)


@pytest.mark.django_db
def test_publish_edition_on_a_terminal_shows_the_entries_written(capsys, moderator):
    for number in range(3):
        publish_term(moderator=moderator, headword_fr=f"terme {number}")
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            call_command("publish_edition", "2026.1", "--by", moderator.username, stdout=terminal)
        assert "Publishing:" in capsys.readouterr().err
    finally:
        os.close(leader)
        os.close(follower)


@pytest.mark.django_db
def test_an_exporter_tells_the_terms_it_read_as_a_book_is_written(moderator, tmp_path, settings):
    from lexique.interop.registry import asked_export

    settings.MEDIA_ROOT = tmp_path / "media"
    for number in range(3):
        publish_term(moderator=moderator, headword_fr=f"terme {number}")
    steps = []
    exporter_class, options = asked_export("epub", lang="fr", domains=[])
    exporter_class(options, progress=lambda done, total: steps.append((done, total))).write(tmp_path / "book.epub")
    assert steps[0] == (0, 3) and steps[-1] == (3, 3)
