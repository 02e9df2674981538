"""The moderators' import page: upload a CSV, TBX or SKOS file, preview what it would do, answer its
questions, then import exactly the file previewed."""
import json
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexique.interop.importers import FORMATS, ImportFileError, ImportReport, import_entries, read_entries
from lexique.interop.importers.readers import COLUMN_FIELDS, ColumnReading, column_readings, max_bytes
from lexique.interop.importers.service import NEW, Decisions, file_source
from lexique.interop.importers.uploads import keep_upload, kept_upload
from lexique.interop.tasks import import_file_task, report_from
from lexique.platform.queue import enqueue, queue_enabled, task_id, task_status
from lexique.web.requests import AuthenticatedHttpRequest
from lexique.web.views.moderation import moderator_required
from lexique.web.views.tasks import REFRESH_SECONDS, progress_text


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier"), required=False,
        help_text=_(
            "CSV (UTF-8, colonnes du fichier CSV du lexique), classeur XLSX, TBX-Basic (.tbx) ou SKOS (.ttl, .rdf, "
            ".jsonld)."),
    )
    # The file of the preview, kept by the site: what "Importer" imports after a preview.
    empreinte = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    format = forms.ChoiceField(required=False, widget=forms.HiddenInput, choices=[(name, name) for name in FORMATS])
    nom = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    mode = forms.ChoiceField(
        label=_("Les entrées deviennent"),
        choices=[("proposals", _("des propositions dans la file de modération")),
                 ("approve", _("des versions approuvées à votre nom, publiées aussitôt"))],
        widget=forms.RadioSelect, initial="proposals",
    )
    resume = forms.CharField(label=_("Résumé des propositions"), required=False, max_length=200)
    vider = forms.BooleanField(
        label=_("Vider les champs que le fichier laisse vides"), required=False,
        help_text=_("Sans cette case, une cellule vide laisse le texte publié tel quel."),
    )
    ignorer = forms.BooleanField(
        label=_("Importer les entrées acceptées et laisser de côté les entrées refusées"), required=False,
        help_text=_("Sans cette case, une seule entrée refusée et rien n'est importé. L'aperçu liste chaque entrée "
                    "refusée et pourquoi."),
    )

    def clean_fichier(self) -> UploadedFile | None:
        upload = self.cleaned_data["fichier"]
        if upload is None:
            return None
        if upload.size > max_bytes():
            raise forms.ValidationError(_("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.")
                                        % {"size": max_bytes() // (1024 * 1024)})
        if _extension(upload.name) not in FORMATS:
            raise forms.ValidationError(_("Extension inconnue : .%(extension)s (csv, xlsx, tbx, ttl, rdf ou jsonld).")
                                        % {"extension": _extension(upload.name)[:10]})
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns
        if not cleaned.get("fichier") and not self.errors and not (cleaned.get("empreinte") and cleaned.get("format")):
            self.add_error("fichier", _("Choisissez un fichier."))
        return cleaned


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _decisions(post: QueryDict, *, clear_empty: bool, skip_refused: bool = False) -> Decisions:
    """The answers given in the preview: `correspondance-N` (NEW or a slug) and `garder-N` (an entry index)."""
    matches: dict[int, str] = {}
    keep: dict[int, int] = {}
    for name in post:
        value = post.get(name, "")
        prefix, _dash, number = name.partition("-")
        if not number.isdigit() or len(number) > 6:
            continue
        if prefix == "correspondance" and value:
            matches[int(number)] = value[:220]
        elif prefix == "garder" and value.isdigit() and len(value) <= 6:
            keep[int(number)] = int(value)
    return Decisions(matches=matches, keep=keep, clear_empty=clear_empty, skip_refused=skip_refused)


def _columns(post: QueryDict) -> dict[int, str]:
    """The moderator's reading of a table's columns: `colonne-N` (a column's position) -> a field, or "" to leave
    the column out; unknown fields are ignored."""
    chosen: dict[int, str] = {}
    for name in post:
        prefix, _dash, number = name.partition("-")
        value = post.get(name, "")
        if prefix == "colonne" and number.isdigit() and len(number) <= 4 and (value in COLUMN_FIELDS or value == "-"):
            chosen[int(number)] = "" if value == "-" else value
    return chosen


@moderator_required
def import_terms(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form (with ?tache=<id>, the progress then the outcome of a preview or import done by the
    task queue). POST: a dry run ("apercu") or the import itself; a bad file writes nothing."""
    if request.method != "POST":
        if "tache" in request.GET:
            return _queued_import(request, request.GET["tache"])
        return render(request, "lexique/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "lexique/import.html", {"form": form}, status=400)
    data = form.cleaned_data
    dry_run = "apercu" in request.POST
    readings: list[ColumnReading] = []
    file_format, file_name, digest = data["format"], data["nom"], data["empreinte"]
    try:
        if data["fichier"]:
            upload = data["fichier"]
            file_format, file_name = _extension(upload.name), upload.name[:200]
            content = upload.read(max_bytes() + 1)
            digest = keep_upload(content, file_format)
        else:
            file_format, file_name, digest = data["format"], data["nom"], data["empreinte"]
            content = kept_upload(digest, file_format)
        if queue_enabled():  # read and checked by a worker, its progress shown here meanwhile
            return _enqueue_import(request, data, dry_run=dry_run, digest=digest, file_format=file_format,
                                   file_name=file_name)
        columns = _columns(request.POST)
        readings = column_readings(content, file_format, columns)
        entries = read_entries(content, file_format, columns)
    except ImportFileError as error:
        return _problems_page(request, form, error.problems, page={
            "empreinte": digest, "format": file_format, "nom": file_name, "mode": data["mode"],
            "resume": data["resume"], "vider": data["vider"], "ignorer": data["ignorer"],
            "answers": dict(request.POST.items()), "columns": [asdict(reading) for reading in readings]})
    report = import_entries(entries=entries, by=request.user, dry_run=dry_run,
                            approve_now=data["mode"] == "approve", summary=data["resume"],
                            source=file_source(file_name, content),
                            decisions=_decisions(request.POST, clear_empty=data["vider"],
                                                 skip_refused=data["ignorer"]))
    page = {"empreinte": digest, "format": file_format, "nom": file_name, "mode": data["mode"],
            "resume": data["resume"], "vider": data["vider"],
            "ignorer": data["ignorer"], "dry_run": dry_run, "answers": dict(request.POST.items()),
            "columns": [asdict(reading) for reading in readings]}
    return _report_page(request, report, page)


def _problems_page(request: AuthenticatedHttpRequest, form: ImportForm, problems: list[str],
                   page: dict[str, Any] | None = None) -> HttpResponse:
    """A file refused whole: why; for a table, how its columns were read, for the moderator to change and preview
    the same file again."""
    context: dict[str, Any] = {"form": form, "problems": problems}
    if page and page.get("columns") and page.get("empreinte"):
        context.update(_columns_context(page))
    return render(request, "lexique/import.html", context, status=400)


def _columns_context(page: dict[str, Any]) -> dict[str, Any]:
    following = ImportForm(initial={name: page[name] for name in ("empreinte", "format", "nom", "mode", "resume",
                                                                  "vider", "ignorer")})
    return {"following": following, "columns": page.get("columns") or [], "column_fields": COLUMN_FIELDS}


def _report_page(request: AuthenticatedHttpRequest, report: ImportReport, page: dict[str, Any]) -> HttpResponse:
    """The outcome of a preview or an import; `page` holds the file kept by the site and the answers given."""
    # The next step works on the file kept by the site, with the answers given so far.
    following = ImportForm(initial={name: page[name] for name in ("empreinte", "format", "nom", "mode", "resume",
                                                                  "vider", "ignorer")})
    dry_run = page["dry_run"]
    context = {"form": ImportForm(), "following": following, "report": report, "dry_run": dry_run,
               "file_name": page["nom"], "digest": page["empreinte"], "answers": page["answers"], "new": NEW,
               "columns": page.get("columns") or [], "column_fields": COLUMN_FIELDS}
    status = 400 if (report.errors and not report.written) or (report.questions and not dry_run) else 200
    return render(request, "lexique/import.html", context, status=status)


def _enqueue_import(request: AuthenticatedHttpRequest, data: dict[str, Any], *, dry_run: bool, digest: str,
                    file_format: str, file_name: str) -> HttpResponse:
    """Send the preview or import to the task queue (once however often it is posted); its page follows."""
    decisions = _decisions(request.POST, clear_empty=data["vider"], skip_refused=data["ignorer"])
    work: dict[str, Any] = {
        "digest": digest, "file_format": file_format, "file_name": file_name, "by": request.user.pk,
        "dry_run": dry_run, "approve_now": data["mode"] == "approve", "summary": data["resume"],
        "matches": {str(index): value for index, value in decisions.matches.items()},
        "keep": {str(index): value for index, value in decisions.keep.items()}, "clear_empty": decisions.clear_empty,
        "skip_refused": decisions.skip_refused, "columns": {str(index): field for index, field in
                                                            _columns(request.POST).items()},
    }
    identifier = task_id("import", json.dumps(work, sort_keys=True))
    page = {"empreinte": digest, "format": file_format, "nom": file_name, "mode": data["mode"],
            "resume": data["resume"], "vider": data["vider"], "ignorer": data["ignorer"], "dry_run": dry_run,
            "answers": dict(request.POST.items())}
    location = f"{reverse('lexique:import')}?tache={identifier}"
    enqueue(import_file_task, identifier, **work, page=page, location=location)
    return redirect(location)


def _queued_import(request: AuthenticatedHttpRequest, identifier: str) -> HttpResponse:
    """The page of an import done by the task queue: its progress (entries done of all), then its outcome."""
    status = task_status(identifier)
    if status is None or status.result.get("by", request.user.pk) != request.user.pk:
        raise Http404(_("Import inconnu."))
    if status.state == "done" and status.result.get("problems"):
        page = {**status.result["page"], "columns": status.result.get("columns") or []}
        return _problems_page(request, ImportForm(), status.result["problems"], page=page)
    if status.state == "done":
        return _report_page(request, report_from(status.result["report"]), status.result["page"])
    context = {"form": ImportForm(), "task": status, "progress_text": progress_text(status),
               "refresh_seconds": REFRESH_SECONDS, "status_url": reverse("api:task", kwargs={"identifier": identifier})}
    response = render(request, "lexique/import.html", context, status=500 if status.state == "failed" else 200)
    response["Cache-Control"] = "no-store"
    return response
