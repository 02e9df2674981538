"""The moderators' import page: upload a CSV, TBX or SKOS file, preview what it would do, answer its
questions, then import exactly the file previewed."""
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lexique.interop.importers import FORMATS, ImportFileError, import_entries, read_entries
from lexique.interop.importers.readers import max_bytes
from lexique.interop.importers.service import NEW, Decisions, file_source
from lexique.interop.importers.uploads import keep_upload, kept_upload
from lexique.web.requests import AuthenticatedHttpRequest
from lexique.web.views.moderation import moderator_required


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


@moderator_required
def import_terms(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form. POST: a dry run ("apercu") or the import itself; a bad file writes nothing."""
    if request.method != "POST":
        return render(request, "lexique/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "lexique/import.html", {"form": form}, status=400)
    data = form.cleaned_data
    dry_run = "apercu" in request.POST
    try:
        if data["fichier"]:
            upload = data["fichier"]
            file_format, file_name = _extension(upload.name), upload.name[:200]
            content = upload.read(max_bytes() + 1)
            digest = keep_upload(content, file_format)
        else:
            file_format, file_name, digest = data["format"], data["nom"], data["empreinte"]
            content = kept_upload(digest, file_format)
        entries = read_entries(content, file_format)
    except ImportFileError as error:
        return render(request, "lexique/import.html", {"form": form, "problems": error.problems}, status=400)
    report = import_entries(entries=entries, by=request.user, dry_run=dry_run,
                            approve_now=data["mode"] == "approve", summary=data["resume"],
                            source=file_source(file_name, content),
                            decisions=_decisions(request.POST, clear_empty=data["vider"],
                                                 skip_refused=data["ignorer"]))
    # The next step works on the file kept by the site, with the answers given so far.
    following = ImportForm(initial={"empreinte": digest, "format": file_format, "nom": file_name,
                                    "mode": data["mode"], "resume": data["resume"], "vider": data["vider"],
                                    "ignorer": data["ignorer"]})
    context = {"form": ImportForm(), "following": following, "report": report, "dry_run": dry_run,
               "file_name": file_name, "digest": digest, "answers": dict(request.POST.items()), "new": NEW}
    status = 400 if (report.errors and not report.written) or (report.questions and not dry_run) else 200
    return render(request, "lexique/import.html", context, status=status)
