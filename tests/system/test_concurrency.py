"""Publishing under real concurrency: two connections, two moderators (or imports written in bulk), one term."""
import threading

import pytest
from django.db import connection, connections

from lexique import services
from lexique.interop.importers import import_entries, read_entries
from lexique.interop.importers.service import Decisions
from lexique.models import PublicationEvent, Revision, Term
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import csv_file, row

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"),
]


def run_together(*actions):
    """Run each action in its own thread, so on its own database connection, released at once."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def worker(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_moderators_approving_rival_edits_at_once_publish_exactly_one():
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    base = term.current_revision
    rivals = [
        services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                              content={**base.content(), "definition_fr": f"Version {n}."})
        for n in (1, 2)
    ]
    outcomes = run_together(*(lambda r=r: services.approve(r, by=moderator) for r in rivals))
    conflicts = [o for o in outcomes if isinstance(o, services.ConflictError)]
    approved = [o for o in outcomes if isinstance(o, Revision)]
    assert len(approved) == 1 and len(conflicts) == 1, outcomes
    term.refresh_from_db()
    assert term.current_revision == approved[0]
    assert term.definition_fr == approved[0].definition_fr


def test_the_same_proposal_approved_twice_at_once_is_published_once():
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    base = term.current_revision
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                 content={**base.content(), "definition_fr": "Une fois."})
    outcomes = run_together(lambda: services.approve(edit, by=moderator), lambda: services.approve(edit, by=moderator))
    assert sum(isinstance(o, Revision) for o in outcomes) == 1
    assert sum(isinstance(o, services.WorkflowError) for o in outcomes) == 1
    assert PublicationEvent.objects.filter(term=term).count() == 2


def test_concurrent_publications_of_different_terms_get_gapless_event_sequences():
    moderator = UserFactory(moderator=True)
    proposals = [
        services.propose_term(author=UserFactory(), content={"headword_fr": f"terme {n}", "definition_fr": "Déf."})
        for n in range(6)
    ]
    outcomes = run_together(*(lambda p=p: services.approve(p, by=moderator) for p in proposals))
    assert all(isinstance(o, Revision) for o in outcomes), outcomes
    assert list(PublicationEvent.objects.values_list("sequence", flat=True)) == list(range(1, 7))
    assert Term.objects.published().count() == 6


def test_an_import_in_bulk_and_a_moderator_approving_the_same_term_at_once_publish_each_version_once():
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator, headword_fr="billetterie")
    base = term.current_revision
    rival = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                  content={**base.content(), "definition_fr": "Par le moderateur."})
    data = csv_file([row("billetterie", "Par l'import."), *(row(f"terme {n}", "Nouveau.") for n in range(20))])
    outcomes = run_together(
        lambda: import_entries(entries=read_entries(data, "csv"), by=moderator, approve_now=True),
        lambda: services.approve(rival, by=moderator),
    )
    assert not any(isinstance(outcome, Exception) and not isinstance(outcome, services.WorkflowError)
                   for outcome in outcomes), outcomes
    term.refresh_from_db()
    approved = list(Revision.objects.filter(term=term, state=Revision.State.APPROVED).order_by("version"))
    assert [revision.version for revision in approved] == list(range(1, len(approved) + 1))
    assert term.current_revision == approved[-1]
    assert PublicationEvent.objects.filter(term=term).count() == len(approved)
    sequences = list(PublicationEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))


def test_two_imports_in_bulk_of_the_same_new_terms_at_once_make_each_term_once():
    moderator = UserFactory(moderator=True)
    data = csv_file([row(f"terme {n}", "Nouveau.") for n in range(30)])
    outcomes = run_together(*(
        lambda: import_entries(entries=read_entries(data, "csv"), by=moderator, approve_now=True,
                               decisions=Decisions(skip_refused=True))
        for _ in range(2)))
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert Term.objects.count() == 30
    assert Revision.objects.filter(state=Revision.State.APPROVED).count() == 30
    assert PublicationEvent.objects.count() == 30
