"""Pages for contributors: propose a term or an edit, follow, edit or withdraw one's proposals."""
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lexique import selectors, services
from lexique.core.content import LANGUAGES, MARKDOWN_FIELDS
from lexique.core.diff import revision_diff
from lexique.core.text import render_markdown
from lexique.models import Revision, Term
from lexique.models.revision import OPEN_PROPOSAL_STATES
from lexique.search import ranking
from lexique.services.merge import COMBINED, MINE, THEIRS, MergedContent, merge_proposal
from lexique.web.forms import CommentForm, ProposalForm
from lexique.web.requests import AuthenticatedHttpRequest
from lexique.web.views.moderation import conflict_rows

CONTRIBUTIONS_PAGE_SIZE = 20


def _proposal_page(request: HttpRequest, form: ProposalForm, *, title: str, term: Term | None = None,
                   base: Revision | None = None, replaces: Revision | None = None) -> HttpResponse:
    """The proposal form; a 'preview' submit shows the rendered Markdown and similar terms."""
    preview = None
    similar: list[Term] = []
    similar_pending: list[Term] = []
    if form.is_bound and "preview" in request.POST and form.is_valid():
        preview = [
            {"field": field, "lang": lang, "html": render_markdown(form.cleaned_data[f"{field}_{lang}"])}
            for lang in LANGUAGES for field in MARKDOWN_FIELDS if form.cleaned_data[f"{field}_{lang}"]
        ]
    if form.is_bound and term is None:
        headword = form.data.get("headword_fr", "")
        if headword.strip():
            similar = ranking.suggest_terms(headword, limit=5)
            own = replaces.term_id if replaces else None
            similar_pending = [draft for draft in ranking.similar_proposals(headword) if draft.pk != own]
    return render(request, "lexique/propose.html", {
        "form": form, "title": title, "term": term, "base": base, "replaces": replaces,
        "preview": preview, "similar": similar, "similar_pending": similar_pending,
        "earlier": selectors.earlier_rounds(replaces) if replaces else [],
        "stale": replaces is not None and replaces.term.is_public and selectors.is_stale(replaces),
    })


def confirmed_address_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A proposal page asks an account whose address is not confirmed to confirm it first (the services
    refuse its proposals anyway: this only says so before the form is filled in)."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.may_contribute(request.user):
            return render(request, "registration/confirm_first.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _submitted(request: HttpRequest, revision: Revision) -> HttpResponse:
    messages.success(request, _("Merci ! Votre proposition est envoyée aux modérateurs."))
    return redirect("lexique:my-contributions")


@login_required
@confirmed_address_required
def propose_term(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None, new_term=True)
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
@confirmed_address_required
def propose_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    term: Term = get_object_or_404(Term.objects.published().select_related("current_revision"), slug=slug)
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
        if term.current_revision is None:  # a published term always has its published version
            raise Http404(_("Révision de départ inconnue."))
        base = term.current_revision
        form = ProposalForm(initial=ProposalForm.initial_from(base.content()))
    return _proposal_page(request, form, title=_("Proposer une amélioration"), term=term, base=base)


def _own_proposal(request: AuthenticatedHttpRequest, pk: int) -> Revision:
    revision: Revision = get_object_or_404(
        Revision.objects.select_related("term", "term__current_revision", "base_revision", "reviewer"), pk=pk
    )
    if revision.author_id != request.user.pk or revision.reverted_from_id:
        raise PermissionDenied(_("Seul l'auteur d'une proposition peut la voir ici."))
    return revision


@login_required
def proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One of my proposals: its content beside the version it started from, its state and what I may do."""
    revision = _own_proposal(request, pk)
    return render(request, "lexique/proposal.html", {
        "revision": revision,
        "rows": selectors.review_rows(revision.base_revision, revision),
        "earlier": selectors.earlier_rounds(revision),
        "open_states": OPEN_PROPOSAL_STATES,
        "stale": services.can_rebase(revision),
        "thread": selectors.proposal_thread(revision), "comment_form": CommentForm(),
    })


@login_required
def rebase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What was published since my proposal's base, and my proposal updated onto it in one step."""
    revision = _own_proposal(request, pk)
    term = revision.term
    current = term.current_revision
    if current is None or not services.can_rebase(revision):  # (no published version: nothing to rebase on)
        messages.info(request, _("Cette proposition part déjà de la version publiée."))
        return redirect("lexique:proposal", pk=revision.pk)
    merge = merge_proposal(revision, current=current)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        choices = {item.name: request.POST.get(f"choice-{item.name}", "") for item in merge.conflicts}
        combined = {item.name: request.POST.get(f"combined-{item.name}", "") for item in merge.conflicts}
        try:
            new = services.rebase(revision=revision, author=request.user, choices=choices, combined=combined)
        except services.ValidationError as error:
            errors = error.message_dict
        except services.WorkflowError as error:
            messages.error(request, error.message)
            return redirect("lexique:proposal", pk=revision.pk)
        else:
            messages.success(request, _("Votre proposition part maintenant de la version %(version)s ; "
                                        "elle est envoyée aux modérateurs.") % {"version": current.version})
            return redirect("lexique:proposal", pk=new.pk)
    readable = selectors.labelled_content
    conflicts = conflict_rows(merge)
    for row in conflicts:
        row["error"], row["choice"] = errors.get(row["name"], []), request.POST.get(f"choice-{row['name']}", "")
        # The text to combine starts as the author's own; what they typed stays when the page comes back.
        row["combined"] = request.POST.get(f"combined-{row['name']}", row["ours"])
    return render(request, "lexique/rebase.html", {
        "revision": revision, "term": term, "current": current, "merge": merge,
        "since": revision_diff(readable(revision.base_revision), readable(current)),
        "conflicts": conflicts, "errors": errors, "mine": MINE, "theirs": THEIRS, "combined": COMBINED,
        "choosing": True,
        "taken": [item.name for item in merge.taken_from_published],
        "rows": selectors.review_rows(current, MergedContent(merge.content())),
    })


def _revise(request: AuthenticatedHttpRequest, pk: int, *, state: str, service: Callable[..., Revision], title: str,
            refused: str) -> HttpResponse:
    """The proposal form for a new version of one of my proposals in `state`."""
    revision = _own_proposal(request, pk)
    if revision.state != state:
        messages.error(request, refused)
        return redirect("lexique:proposal", pk=revision.pk)
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_from(revision.content()))
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            new = service(revision=revision, author=request.user, content=form.content(),
                          summary=form.cleaned_data["summary"])
        except services.ValidationError as error:
            form.add_service_errors(error)
        except services.WorkflowError as error:  # reviewed meanwhile
            messages.error(request, error.message)
            return redirect("lexique:proposal", pk=revision.pk)
        else:
            return _submitted(request, new)
    return _proposal_page(
        request, form, title=title,
        term=revision.term if revision.term.is_public else None, base=revision.base_revision, replaces=revision,
    )


@login_required
def resubmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _revise(request, pk, state=Revision.State.CHANGES_REQUESTED, service=services.resubmit,
                   title=_("Reprendre ma proposition"), refused=_("Cette proposition n'attend pas de modifications."))


@login_required
def edit_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _revise(request, pk, state=Revision.State.PENDING, service=services.amend,
                   title=_("Modifier ma proposition"),
                   refused=_("Cette proposition n'est plus en attente : elle ne peut plus être modifiée."))


@require_POST
@login_required
def withdraw_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision = _own_proposal(request, pk)
    try:
        services.withdraw(revision=revision, author=request.user)
    except services.WorkflowError as error:
        messages.error(request, error.message)
        return redirect("lexique:proposal", pk=revision.pk)
    messages.success(request, _("Votre proposition « %(headword)s » est retirée.") % {"headword": revision.headword_fr})
    return redirect("lexique:my-contributions")


@login_required
def my_contributions(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.proposals_of(request.user), CONTRIBUTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    for revision in page:
        # An open proposal a publication left behind: to bring up to date, and whether a field needs a choice.
        revision.behind = services.can_rebase(revision)  # type: ignore[attr-defined]
        revision.conflict = revision.behind and bool(  # type: ignore[attr-defined]
            merge_proposal(revision, current=revision.term.current_revision).conflicts)
    return render(request, "lexique/my_contributions.html", {"page": page, "proposals": page})
