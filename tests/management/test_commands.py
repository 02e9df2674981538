"""The management commands: demo data and synthetic terms."""
import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from lexique import services
from lexique.models import Domain, PublicationEvent, Revision, Term
from tests.support import ROOT

pytestmark = pytest.mark.django_db


def snapshot():
    return (Term.objects.count(), Revision.objects.count(), Domain.objects.count(),
            get_user_model().objects.count(), PublicationEvent.objects.count())


def test_seed_demo_loads_a_living_lexicon():
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    assert Term.objects.published().count() >= 40
    assert Domain.objects.count() == 6
    assert all(domain.terms.exists() for domain in Domain.objects.all())
    assert Revision.objects.pending().count() >= 3
    assert Revision.objects.filter(state=Revision.State.REJECTED).count() == 1
    published = Term.objects.published()
    assert all(term.headword_en and term.definition_en for term in published)
    assert published.filter(related__isnull=False).exists()
    metadata = published.get(slug="metadonnees")
    assert metadata.definition_html_fr.startswith("<p>")


def test_seed_demo_accounts_can_sign_in_and_the_moderator_moderates(client):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    moderator = get_user_model().objects.get(username="moderatrice")
    contributor = get_user_model().objects.get(username="contributeur")
    assert services.can_moderate(moderator) and not services.can_moderate(contributor)
    assert client.login(username="contributeur", password="demo-contribution")
    assert client.login(username="moderatrice", password="demo-moderation")


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    before = snapshot()
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    assert snapshot() == before


def test_seed_demo_with_debug_off_refuses_and_writes_nothing(settings):
    settings.DEBUG = False
    before = snapshot()
    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_seed_demo_told_it_is_production_loads_and_names_the_passwords_to_change(settings):
    settings.DEBUG = False
    errors = io.StringIO()
    call_command("seed_demo", "--i-know-this-is-production", stdout=io.StringIO(), stderr=errors)
    assert Term.objects.published().exists()
    assert "demo-moderation" in errors.getvalue() and "changepassword moderatrice" in errors.getvalue()


def test_seed_demo_in_development_needs_no_flag_and_says_nothing_of_passwords(settings):
    settings.DEBUG = True
    errors = io.StringIO()
    call_command("seed_demo", stdout=io.StringIO(), stderr=errors)
    assert Term.objects.published().exists() and errors.getvalue() == ""


def test_generate_terms_creates_published_terms_with_their_revision_and_event():
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
    events_before = PublicationEvent.objects.count()
    call_command("generate_terms", 25, verbosity=0)
    call_command("generate_terms", 5, verbosity=0)
    synthetic = Term.objects.published().filter(slug__startswith="synthetique-")
    assert synthetic.count() == 30
    assert all(term.current_revision.term_id == term.pk for term in synthetic)
    sequences = list(PublicationEvent.objects.values_list("sequence", flat=True))
    assert len(sequences) == events_before + 30
    assert sequences == list(range(1, len(sequences) + 1))


def test_the_book_command_loads_the_books_exporter_alone():
    """Spreadsheets and RDF are no part of a book: loading every format would cost a book a fifth of its time."""
    script = ("import sys, django; django.setup(); import lexique.management.commands.export_epub; "
              "print(sorted({'lexique.interop.registry', 'openpyxl', 'rdflib'} & set(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"
