"""The page of a task says what the task makes: a file, an edition, a comparison; a refusal to the one who asked."""
import pytest
from django.test import RequestFactory

from lexique.platform.queue import TaskStatus
from lexique.web.views.tasks import progress_page

IDENTIFIER = "{kind}-" + "0" * 40


def shown(status: TaskStatus) -> str:
    return progress_page(RequestFactory().get("/"), status).content.decode()


@pytest.mark.django_db
def test_a_publication_s_page_links_to_the_edition_once_published():
    page = shown(TaskStatus(IDENTIFIER.format(kind="publish"), "running", done=2000, total=5000,
                            location="/editions/2026.1/"))
    assert "L&#x27;édition est en cours de publication" in page and 'aria-valuenow="40"' in page
    done = shown(TaskStatus(IDENTIFIER.format(kind="publish"), "done", location="/editions/2026.1/"))
    assert '<a class="task-file" href="/editions/2026.1/">Voir l&#x27;édition</a>' in done


@pytest.mark.django_db
def test_a_refused_publication_says_why_and_a_failed_build_does_not():
    refused = shown(TaskStatus(IDENTIFIER.format(kind="publish"), "failed", location="/editions/2026.1/",
                               result={"failed": True, "kind": "refused", "detail": "L'édition 2026.1 existe déjà."}))
    assert "L&#x27;édition 2026.1 existe déjà." in refused and "L'édition n'a pas pu être publiée" not in refused
    assert "L&#x27;édition n&#x27;a pas pu être publiée" in refused
    failed = shown(TaskStatus(IDENTIFIER.format(kind="export"), "failed", detail="Disk full", location="/x"))
    assert "Disk full" not in failed and "Le fichier n&#x27;a pas pu être préparé" in failed
