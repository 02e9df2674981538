"""The progress of long work done by the task queue (a book, an import), on a page that works without script."""
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lexique.platform.queue import TaskStatus, task_status

# How often a page without script asks again (a script asks the API as often).
REFRESH_SECONDS = 2


def progress_text(status: TaskStatus) -> str:
    """Where the task stands, in words: what the progress bar and its live region say."""
    if status.state == "done":
        return _("Prêt.")
    if status.state == "failed":
        return _("La préparation a échoué.")
    if status.state == "queued":
        return _("En attente : la préparation commence dans un instant.")
    if status.total:
        return _("%(done)d sur %(total)d (%(percent)d %%).") % {
            "done": status.done or 0, "total": status.total, "percent": status.percent or 0}
    return _("En préparation…")


@dataclass(frozen=True)
class TaskWords:
    """What the page of a kind of task calls it: while it runs, once done (and its link), once failed."""

    pending: str
    done: str
    link: str
    failed: str


def task_words(status: TaskStatus) -> TaskWords:
    """The words of the page of `status`'s task, from its kind (the start of its id: `task_id`)."""
    kind = status.id.split("-", 1)[0]
    if kind == "publish":
        return TaskWords(_("L'édition est en cours de publication"), _("L'édition est publiée"),
                         _("Voir l'édition"), _("L'édition n'a pas pu être publiée"))
    if kind == "compare":
        return TaskWords(_("La comparaison est en préparation"), _("La comparaison est prête"),
                         _("Voir la comparaison"), _("La comparaison n'a pas pu être préparée"))
    return TaskWords(_("Le fichier est en préparation"), _("Le fichier est prêt"), _("Télécharger le fichier"),
                     _("Le fichier n'a pas pu être préparé"))


def progress_page(request: HttpRequest, status: TaskStatus, *, http_status: int = 200,
                  location: str = "") -> HttpResponse:
    """The page of a task: a progress bar, announced as it moves; the link to what it made once done."""
    context = {
        "status": status,
        "words": task_words(status),
        # A refusal said to the person who asked (an edition's number taken meanwhile); a build's failure
        # is the team's business.
        "refusal": status.result.get("detail", "") if status.result.get("kind") == "refused" else "",
        "progress_text": progress_text(status),
        "location": status.location or location or request.get_full_path(),
        "status_page": reverse("task", kwargs={"identifier": status.id}),
        "status_url": reverse("api:task", kwargs={"identifier": status.id}),
        "refresh_seconds": REFRESH_SECONDS,
    }
    response = render(request, "lexique/task.html", context, status=http_status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def task_page(request: HttpRequest, identifier: str) -> HttpResponse:
    """/taches/<id>/: where the task stands; 404 for a task nobody asked for (or long forgotten)."""
    status = task_status(identifier)
    if status is None:
        raise Http404(_("Tâche inconnue."))
    return progress_page(request, status)
