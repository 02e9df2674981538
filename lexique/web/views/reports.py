"""Reporting an error on a term without an account, and the moderators' page of reports.

The form has a page of its own, never cached: its timer is signed when the page is served, so the term's
page (one copy per published version for every anonymous reader) only links to it.
"""
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lexique import selectors, services
from lexique.models import ErrorReport, Term
from lexique.platform.clients import client_address
from lexique.web.forms import ErrorReportAnswerForm, ErrorReportForm
from lexique.web.requests import AuthenticatedHttpRequest
from lexique.web.views.moderation import moderator_required


@never_cache
def report_error(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(Term.objects.published().select_related("current_revision"), slug=slug)
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if not form.spend_timer():
                    raise services.ValidationError({"started": [_("Ce formulaire a déjà servi : rechargez la page.")]})
                services.report_error(term=term, message=form.cleaned_data["message"],
                                      email=form.cleaned_data["email"], client=client_address(request),
                                      language=(get_language() or "fr")[:2])
            except services.ValidationError as error:
                errors: dict[str, list[str]] = (error.message_dict if hasattr(error, "error_dict")
                                                else {"__all__": error.messages})
                if "started" not in errors:
                    form.release_timer()
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            except services.RateLimited as error:
                form.add_error(None, services.error_message(error))
                status = 429
            else:
                messages.success(request, _("Merci : votre signalement est transmis aux modérateurs."))
                return redirect(term)
        if status == 200:
            status = 400
    return render(request, "lexique/report.html", {"term": term, "form": form}, status=status)


@moderator_required
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "lexique/reports.html", {
        "reports": selectors.error_reports(), "handled": selectors.error_reports(handled=True, limit=20),
        "form": ErrorReportAnswerForm(),
    })


@require_POST
@moderator_required
def handle_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ErrorReport, pk=pk)
    form = ErrorReportAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ValidationError(list(form.errors.get("answer", [])))
        services.handle_report(report, by=request.user, answer=form.cleaned_data["answer"])
    except (services.ValidationError, services.WorkflowError, services.PermissionDenied) as error:
        messages.error(request, services.error_message(error))
    else:
        messages.success(request, _("Le signalement est traité.") + (
            " " + _("La réponse part par courriel.") if form.cleaned_data["answer"] and report.email else ""))
    return redirect("lexique:reports")
