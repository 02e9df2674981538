"""Pages for contributors: propose a term or an edit, follow one's proposals, revise after review."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import ProposalForm
from ..models import Revision, Term
from ..text import render_markdown


def _proposal_page(request, form, *, title, term=None, base=None, replaces=None):
    """The proposal form; a 'preview' submit shows the rendered Markdown and similar terms."""
    preview = None
    similar = []
    if form.is_bound and "preview" in request.POST and form.is_valid():
        preview = {lang: render_markdown(form.cleaned_data[f"definition_{lang}"]) for lang in ("fr", "en")}
    if form.is_bound and term is None:
        headword = form.data.get("headword_fr", "")
        similar = list(selectors.search_terms(headword)[:5]) if headword.strip() else []
    return render(request, "lexique/propose.html", {
        "form": form, "title": title, "term": term, "base": base, "replaces": replaces,
        "preview": preview, "similar": similar,
    })


def _submitted(request, revision):
    messages.success(request, _("Merci ! Votre proposition est envoyée aux modérateurs."))
    return redirect("lexique:my-contributions")


@login_required
def propose_term(request):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            revision = services.propose_term(
                author=request.user, content=form.content(), summary=form.cleaned_data["summary"]
            )
        except services.ValidationError as error:
            form.add_service_errors(error)
        else:
            return _submitted(request, revision)
    return _proposal_page(request, form, title=_("Proposer un terme"))


@login_required
def propose_edit(request, slug):
    term = get_object_or_404(Term.objects.published().select_related("current_revision"), slug=slug)
    if request.method == "POST":
        base_id = request.POST.get("base_revision", "")
        if not base_id.isdigit():
            raise Http404(_("Révision de départ inconnue."))
        base = get_object_or_404(Revision, pk=base_id, term=term)
        form = ProposalForm(request.POST)
        if "preview" not in request.POST and form.is_valid():
            try:
                revision = services.propose_edit(
                    term=term, author=request.user, base_revision=base, content=form.content(),
                    summary=form.cleaned_data["summary"],
                )
            except services.ValidationError as error:
                form.add_service_errors(error)
            except services.WorkflowError as error:
                messages.error(request, error.message)
            else:
                return _submitted(request, revision)
    else:
        base = term.current_revision
        form = ProposalForm(initial=ProposalForm.initial_from(base.content()))
    return _proposal_page(request, form, title=_("Proposer une amélioration"), term=term, base=base)


@login_required
def resubmit(request, pk):
    revision = get_object_or_404(Revision.objects.select_related("term"), pk=pk)
    if revision.author_id != request.user.pk:
        raise PermissionDenied(_("Seul l'auteur d'une proposition peut la reprendre."))
    if revision.state != Revision.State.CHANGES_REQUESTED:
        messages.error(request, _("Cette proposition n'attend pas de modifications."))
        return redirect("lexique:my-contributions")
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_from(revision.content()))
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            new = services.resubmit(
                revision=revision, author=request.user, content=form.content(), summary=form.cleaned_data["summary"]
            )
        except services.ValidationError as error:
            form.add_service_errors(error)
        except services.WorkflowError as error:  # reviewed again meanwhile
            messages.error(request, error.message)
            return redirect("lexique:my-contributions")
        else:
            return _submitted(request, new)
    return _proposal_page(
        request, form, title=_("Reprendre ma proposition"),
        term=revision.term if revision.term.is_public else None, base=revision.base_revision, replaces=revision,
    )


@login_required
def my_contributions(request):
    return render(request, "lexique/my_contributions.html", {"proposals": selectors.proposals_of(request.user)})
