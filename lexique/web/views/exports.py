"""Downloads of the lexicon as an e-book: the stable export URLs and the downloads page."""
import math
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from lexique.core.content import reader_language
from lexique.interop.downloads import export_client, export_or_task, file_response
from lexique.interop.exporters.logo import is_stored, store_logo
from lexique.interop.exporters.lookup import DIRECTION_LABELS
from lexique.interop.published import (
    ORGANISATION_MAX_LENGTH,
    SUBTITLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    OptionsError,
)
from lexique.interop.registry import API_FILES, LOOKUP_FORMATS, asked_export, exporter_for
from lexique.interop.store import (
    BuildFailed,
    BuildRefused,
    BuildsBusy,
    ExportFailed,
    TooManyCustomBuilds,
    logo_work,
)
from lexique.models import Domain, Term
from lexique.platform.queue import TaskStatus
from lexique.publishing.addresses import site_url
from lexique.web.views.tasks import progress_page

EPUB = exporter_for("epub")


class _OfferedChoice(forms.ChoiceField):
    """A choice offered as radio buttons; whether the one sent exists is `asked_export`'s to say."""

    def valid_value(self, value: Any) -> bool:
        return True


class _OfferedChoices(forms.MultipleChoiceField):
    """Choices offered as check boxes; whether those sent exist is `asked_export`'s to say."""

    def valid_value(self, value: Any) -> bool:
        return True


# The form's field for each option `asked_export` may refuse.
_OPTION_FIELDS = {"lang": "langue", "domains": "domaine"}


class ExportForm(forms.Form):
    langue = _OfferedChoice(
        label=_("Langue du livre"),
        choices=[("fr", _("Français")), ("en", _("Anglais")), ("bilingue", _("Bilingue : français et anglais"))],
        widget=forms.RadioSelect,
        initial="fr",
    )
    domaine = _OfferedChoices(
        label=_("Domaines"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun domaine coché : tout le lexique."),
    )
    titre = forms.CharField(
        label=_("Titre"), required=False, max_length=TITLE_MAX_LENGTH,
        help_text=_("Pour une édition au nom de votre organisation ; sinon, le titre du lexique."),
    )
    sous_titre = forms.CharField(label=_("Sous-titre"), required=False, max_length=SUBTITLE_MAX_LENGTH)
    organisation = forms.CharField(
        label=_("Organisation"), required=False, max_length=ORGANISATION_MAX_LENGTH,
        help_text=_("Son nom figure sur la couverture et la page de titre de votre édition."),
    )
    fichier_logo = forms.FileField(
        label=_("Logo (facultatif)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    # A logo already sent, by its digest: what the stable address of the book carries.
    logo = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, domains: Iterable[Domain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fichier_logo"].help_text = _(
            "Image PNG ou JPEG, %(size)d Ko au plus : il figure sur la couverture et la page de titre."
        ) % {"size": settings.LEXIQUE_LOGO_MAX_BYTES // 1024}
        domain_field = cast(forms.MultipleChoiceField, self.fields["domaine"])  # declared above
        domain_field.choices = [(domain.slug, _domain_name(domain)) for domain in domains]

    def clean_logo(self) -> str:
        digest = self.cleaned_data["logo"].strip()
        if digest and not is_stored(digest):
            raise forms.ValidationError(_("Ce logo n'est plus conservé : envoyez-le de nouveau."))
        return digest

    def clean_fichier_logo(self) -> UploadedFile | None:
        upload = self.cleaned_data["fichier_logo"]
        if upload and upload.size > settings.LEXIQUE_LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("Le logo pèse plus de %(size)d Ko.") % {"size": settings.LEXIQUE_LOGO_MAX_BYTES // 1024})
        return upload

    def store_logo(self) -> None:
        """Keep the uploaded logo (checked, re-encoded) and name it in the options; a form error if refused."""
        upload = self.cleaned_data.get("fichier_logo")
        if not upload:
            return
        try:
            self.cleaned_data["logo"] = store_logo(upload.read(settings.LEXIQUE_LOGO_MAX_BYTES + 1))
        except OptionsError as error:
            self.add_error("fichier_logo", str(error))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns
        if not self.errors:
            try:
                _exporter, data["options"] = asked_export(
                    EPUB.name, lang=data["langue"], domains=data["domaine"],
                    title=data["titre"], subtitle=data["sous_titre"], organisation=data["organisation"],
                    logo=data.get("logo", ""),
                )
            except OptionsError as error:
                if error.field not in _OPTION_FIELDS:
                    raise forms.ValidationError(str(error)) from error
                self.add_error(_OPTION_FIELDS[error.field], str(error))
        return data

    def export_url(self) -> str:
        """The stable address of the chosen book, with only the parameters that differ from the defaults."""
        data = self.cleaned_data
        query = [("domaine", slug) for slug in data["domaine"]]
        query += [(name, data[name].strip()) for name in ("titre", "sous_titre", "organisation", "logo")
                  if data[name].strip()]
        url = reverse("export-epub", kwargs={"variant": EPUB.variant_of(data["options"].lang)})
        return f"{url}?{urlencode(query)}" if query else url


def _domains() -> list[Domain]:
    return list(Domain.objects.all())


def _domain_name(domain: Domain) -> str:
    """The domain's name in the reader's language, French when it has no English name."""
    name = (domain.name_en or domain.name_fr) if reader_language() == "en" else domain.name_fr
    return name or domain.name


def _data_url(file_name: str, domain: Domain | None) -> str:
    url = reverse("api:export", kwargs={"file_name": file_name})
    return f"{url}?{urlencode({'domain': domain.slug})}" if domain else url


def _downloads_page(request: HttpRequest, form: ExportForm, *, status: int = 200,
                    data_domain: str = "") -> HttpResponse:
    """The page; `data_domain` is the slug chosen in its select, which narrows the data files to that domain
    (an unknown slug leaves them whole)."""
    domains = _domains()
    chosen = next((domain for domain in domains if domain.slug == data_domain), None)
    context = {
        "form": form,
        "count": Term.objects.published().count(),
        "variants": [
            {"url": reverse("export-epub", kwargs={"variant": "fr"}), "label": _("Tout le lexique, en français"),
             "hreflang": "fr"},
            {"url": reverse("export-epub", kwargs={"variant": "en"}), "label": _("Tout le lexique, en anglais"),
             "hreflang": "en"},
            {"url": reverse("export-epub", kwargs={"variant": "bilingue"}),
             "label": _("Tout le lexique, bilingue (français et anglais)"), "hreflang": "fr"},
        ],
        "data_domains": [{"slug": domain.slug, "name": _domain_name(domain)} for domain in domains],
        "data_domain": chosen.slug if chosen else "",
        "data_domain_name": _domain_name(chosen) if chosen else "",
        "data_files": [
            {"url": _data_url(file_name, chosen), "label": label,
             "media_type": exporter_for(name).media_type.split(";")[0]}
            for file_name, name, label in _data_files()
        ],
        "dictionaries": _dictionaries(chosen),
        "opds_url": site_url() + reverse("opds"),
    }
    return render(request, "lexique/downloads.html", context, status=status)


def _dictionaries(domain: Domain | None) -> list[dict[str, Any]]:
    """Each look-up dictionary format, with its file in each direction (narrowed to `domain`)."""
    query = f"?{urlencode({'domaine': domain.slug})}" if domain else ""
    return [
        {"label": exporter.label, "files": [
            {"url": reverse("export-dictionary", kwargs={"format_name": name, "variant": variant}) + query,
             "label": DIRECTION_LABELS[lang], "hreflang": lang}
            for variant, lang in exporter.variants.items()
        ]}
        for name, exporter in LOOKUP_FORMATS.items()
    ]


def _data_files() -> list[tuple[str, str, str]]:
    return [(file_name, exporter.name, exporter.label) for file_name, exporter in API_FILES.items()]


@require_http_methods(["GET", "HEAD", "POST"])
def downloads(request: HttpRequest) -> HttpResponse:
    """The downloads page; its form sends the reader to the stable address of the book they chose.

    A form with a logo is posted: the logo is kept (checked, re-encoded, by its digest) before the
    reader is sent on; the book with it is a custom one, under the same limits as any other.
    """
    if request.method == "POST":
        form = ExportForm(request.POST, request.FILES, domains=_domains())
        if form.is_valid() and form.cleaned_data.get("fichier_logo"):
            try:
                with logo_work(export_client(request)):
                    form.store_logo()
            except BuildRefused as refusal:
                return refusal_page(request, refusal)
    elif "langue" not in request.GET:
        return _downloads_page(request, ExportForm(domains=_domains()), data_domain=request.GET.get("domaine", ""))
    else:
        form = ExportForm(request.GET, domains=_domains())
    if not form.is_valid():
        return _downloads_page(request, form, status=400)
    return redirect(form.export_url())


@require_safe
def export_epub(request: HttpRequest, variant: str) -> HttpResponseBase:
    """/export/lexique-<fr|en|bilingue>.epub[?domaine=slug&...&titre=...&sous_titre=...]"""
    data = request.GET.copy()
    data["langue"] = variant
    form = ExportForm(data, domains=_domains())
    if not form.is_valid():
        return _downloads_page(request, form, status=400)
    try:
        stored = export_or_task(form.cleaned_data["options"], EPUB, client=export_client(request),
                                location=request.get_full_path())
    except (BuildRefused, ExportFailed) as refusal:
        return refusal_page(request, refusal)
    if isinstance(stored, TaskStatus):  # built by the task queue: its progress, then the book
        return progress_page(request, stored, http_status=202)
    return file_response(request, stored, form.cleaned_data["options"].languages, EPUB.media_type)


@require_safe
def export_dictionary(request: HttpRequest, format_name: str, variant: str) -> HttpResponseBase:
    """/export/<stardict|kobo>-<fr-en|en-fr>.zip[?domaine=slug&...]: a look-up dictionary for reading apps."""
    try:
        exporter_class, options = asked_export(format_name, lang=variant, domains=request.GET.getlist("domaine"))
    except OptionsError:
        # Only the domains can be wrong (the address holds the format and the direction): the page's form,
        # given them, says which with the same message.
        form = ExportForm({"langue": "fr", "domaine": request.GET.getlist("domaine")}, domains=_domains())
        form.is_valid()
        return _downloads_page(request, form, status=400)
    try:
        stored = export_or_task(options, exporter_class, client=export_client(request),
                                location=request.get_full_path())
    except (BuildRefused, ExportFailed) as refusal:
        return refusal_page(request, refusal)
    if isinstance(stored, TaskStatus):  # built by the task queue: its progress, then the dictionary
        return progress_page(request, stored, http_status=202)
    return file_response(request, stored, ("fr", "en"), exporter_class.media_type)


def refusal_page(request: HttpRequest, refusal: BuildRefused | ExportFailed) -> HttpResponse:
    """The page for a file that cannot be served now, with the delay the refusal gives as Retry-After."""
    if isinstance(refusal, TooManyCustomBuilds):
        minutes = math.ceil(refusal.retry_after / 60)
        template, context, status = "lexique/export_throttled.html", {"minutes": minutes}, 429
    elif isinstance(refusal, BuildsBusy):
        template, context, status = "lexique/export_busy.html", {}, 503
    else:
        template, context, status = "lexique/export_error.html", {"failed": isinstance(refusal, BuildFailed)}, 503
    response = render(request, template, context, status=status)
    response["Retry-After"] = str(refusal.retry_after)
    return response
