"""The moderators' import page: upload a CSV, TBX or SKOS file, preview what it would do, then import it."""
from pathlib import PurePath

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..imports import FORMATS, ImportFileError, import_entries, read_entries
from ..imports.readers import max_bytes
from .moderation import moderator_required


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier"),
        help_text=_("CSV (UTF-8, colonnes du fichier CSV du lexique), TBX-Basic (.tbx) ou SKOS (.ttl, .rdf, .jsonld)."),
    )
    mode = forms.ChoiceField(
        label=_("Les entrées deviennent"),
        choices=[("proposals", _("des propositions dans la file de modération")),
                 ("approve", _("des versions approuvées à votre nom, publiées aussitôt"))],
        widget=forms.RadioSelect, initial="proposals",
    )
    resume = forms.CharField(label=_("Résumé des propositions"), required=False, max_length=200)

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > max_bytes():
            raise forms.ValidationError(_("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.")
                                        % {"size": max_bytes() // (1024 * 1024)})
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if extension not in FORMATS:
            raise forms.ValidationError(_("Extension inconnue : .%(extension)s (csv, tbx, ttl, rdf ou jsonld).")
                                        % {"extension": extension[:10]})
        return upload


@moderator_required
def import_terms(request):
    """GET: the form. POST: a dry run ("apercu") or the import itself; a bad file writes nothing."""
    if request.method != "POST":
        return render(request, "lexique/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    context = {"form": form}
    status = 200
    if form.is_valid():
        upload = form.cleaned_data["fichier"]
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        dry_run = "apercu" in request.POST
        try:
            entries = read_entries(upload.read(max_bytes() + 1), extension)
        except ImportFileError as error:
            context["problems"] = error.problems
            status = 400
        else:
            report = import_entries(entries=entries, by=request.user, dry_run=dry_run,
                                    approve_now=form.cleaned_data["mode"] == "approve",
                                    summary=form.cleaned_data["resume"])
            context.update(report=report, dry_run=dry_run, file_name=upload.name)
            status = 400 if report.errors else 200
    else:
        status = 400
    return render(request, "lexique/import.html", context, status=status)
