"""Numbered editions: the list, one edition and its files at permanent addresses, a comparison, publishing."""
import hashlib
import math

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from lexique.editions.downloads import edition_file_or_task
from lexique.editions.selectors import (
    CHANGES_PER_PAGE,
    changed_fields,
    comparison_page,
    comparison_task,
    edition_changes,
    edition_digests,
    edition_file_label,
    edition_options,
    editions,
    page_is_prepared,
    page_number,
    previous_edition,
    revisions_by_id,
    sha256sums,
)
from lexique.editions.services import NOTE_MAX_LENGTH, check_edition
from lexique.editions.tasks import compare_editions_page_task, publish_edition_task, publish_task_id
from lexique.interop.downloads import file_response, immutable
from lexique.interop.store import BuildMismatch, BuildsBusy, ExportFailed
from lexique.models import Edition, Revision
from lexique.platform.queue import TaskStatus, enqueue, queue_enabled
from lexique.services import ValidationError, WorkflowError, error_message
from lexique.web.requests import AuthenticatedHttpRequest
from lexique.web.views.exports import refusal_page
from lexique.web.views.moderation import moderator_required
from lexique.web.views.tasks import progress_page

# The lists of added and retired terms are capped (changed terms come in pages of CHANGES_PER_PAGE).
LIST_LIMIT = 500
# A year, the longest a cache is asked to keep anything: the file never changes.


class EditionForm(forms.Form):
    number = forms.CharField(label=_("Numéro de l'édition"), max_length=20,
                             help_text=_("Des chiffres et des points, par exemple 2026.1."))
    note = forms.CharField(label=_("Note d'édition"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Ce qui distingue cette édition : elle figure sur la page de l'édition."))


def _files(edition: Edition) -> list[dict[str, str | None]]:
    return [{"name": name, "label": edition_file_label(name), "url": f"{edition.get_absolute_url()}{name}",
             "sha256": digest}
            for name, digest in edition_digests(edition)]


@require_safe
def edition_list(request: HttpRequest) -> HttpResponse:
    items = list(editions())
    return render(request, "lexique/editions.html", {"editions": items})


@require_safe
def edition_detail(request: HttpRequest, number: str) -> HttpResponse:
    edition = get_object_or_404(Edition.objects.select_related("published_by"), number=number)
    return render(request, "lexique/edition.html", {
        "edition": edition, "files": _files(edition), "previous": previous_edition(edition),
    })


@require_safe
def edition_file(request: HttpRequest, number: str, file_name: str) -> HttpResponseBase:
    """/editions/<number>/<file>: the same bytes on every download, for ever."""
    edition = get_object_or_404(Edition, number=number)
    try:
        exporter_class, options = edition_options(edition.number, file_name)
    except KeyError:
        raise Http404(_("Fichier inconnu.")) from None
    try:
        stored = edition_file_or_task(edition, exporter_class, options, location=request.get_full_path())
    except BuildsBusy as refusal:
        return refusal_page(request, refusal)
    except BuildMismatch:
        # Other bytes than those recorded: never served, under any status a cache would keep.
        response = render(request, "lexique/export_error.html", {"mismatch": True, "edition": edition}, status=500)
        response["Cache-Control"] = "no-store"
        return response
    except ExportFailed as failure:
        return refusal_page(request, failure)
    if isinstance(stored, TaskStatus):  # its first build, by the task queue: its progress, then the file
        return progress_page(request, stored, http_status=202)
    return immutable(file_response(request, stored, options.languages, exporter_class.media_type))


@require_safe
def edition_sums(request: HttpRequest, number: str) -> HttpResponse:
    """/editions/<number>/SHA256SUMS: the digest of each file built so far (`sha256sum --check` reads it)."""
    edition = get_object_or_404(Edition, number=number)
    body = sha256sums(edition).encode()
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    # Files not built yet are added as they are: asked again each time, cheaply (If-None-Match).
    response["ETag"] = f'"{hashlib.sha256(body).hexdigest()}"'
    response["Cache-Control"] = "public, no-cache"
    return response


@require_safe
def edition_compare(request: HttpRequest) -> HttpResponse:
    """What changed between two editions (?de=2026.1&a=2026.2): added, changed with word diffs, retired."""
    old = get_object_or_404(Edition, number=request.GET.get("de", ""))
    new = get_object_or_404(Edition, number=request.GET.get("a", ""))
    number = page_number(request.GET.get("page"))
    if queue_enabled() and not page_is_prepared(old, new, number):
        # Prepared by a worker (consecutive editions at publication, any other pair when first asked for):
        # meanwhile, a page that shows the work moving.
        language = translation.get_language() or settings.LANGUAGE_CODE
        identifier, number = comparison_task(old, new, number, language)
        status = enqueue(compare_editions_page_task, identifier, old=old.number, new=new.number, page=number,
                         language=language, location=request.get_full_path())
        if status.state != "done":
            return progress_page(request, status, http_status=202)
    changes = edition_changes(old, new)
    page = comparison_page(changes, number)
    added, retired = changes.added[:LIST_LIMIT], changes.retired[:LIST_LIMIT]
    revisions = revisions_by_id(
        [change.new_revision_id for change in added] + [change.old_revision_id for change in retired]
        + [pk for change in page for pk in (change.old_revision_id, change.new_revision_id)]
    )

    def at(pk: int | None) -> Revision:
        # Each side a term is present on names its revision: the new one of an added term, the old one of
        # a retired term, both of a changed one.
        if pk is None:
            raise KeyError(pk)
        return revisions[pk]

    changed = [
        {"slug": change.slug, "old": at(change.old_revision_id), "new": at(change.new_revision_id), "changes": diff}
        for change, diff in zip(page, changed_fields(changes, page, revisions), strict=True)
    ]
    return render(request, "lexique/edition_compare.html", {
        "old": old, "new": new, "page": page, "changed": changed, "changed_count": len(changes.changed),
        "added": [(change, at(change.new_revision_id)) for change in added], "added_count": len(changes.added),
        "retired": [(change, at(change.old_revision_id)) for change in retired],
        "retired_count": len(changes.retired), "list_limit": LIST_LIMIT,
        "pages": math.ceil(len(changes.changed) / CHANGES_PER_PAGE),
    })


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A moderator publishes an edition: the published set frozen under a number, by the task queue (its
    progress shown on the task's page, then the edition's page)."""
    form = EditionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                number, note = check_edition(number=form.cleaned_data["number"], note=form.cleaned_data["note"],
                                             by=request.user)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages)
            except WorkflowError as error:
                form.add_error(None, error_message(error))
            else:
                location = reverse("lexique:edition", kwargs={"number": number})
                task = enqueue(publish_edition_task, publish_task_id(number), number=number, note=note,
                               by=request.user.pk, location=location)
                if task.state == "done":
                    return redirect(location)
                if task.state != "failed":
                    return redirect("task", identifier=task.id)
                form.add_error(None, task.detail)
        status = 400
    return render(request, "lexique/edition_publish.html", {"form": form, "editions": editions()[:5]}, status=status)
