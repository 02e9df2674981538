"""Long commands show a progress bar on a terminal, and nothing when their output goes to a file or a pipe."""
import io
import os
import pty

import pytest
from django.core.management import call_command

from lexique.management.progress import on_terminal, progress_bar


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
