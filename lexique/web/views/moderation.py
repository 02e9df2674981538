"""Pages for moderators: the queue, a review, revert, retire, the moderation log."""
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lexique import selectors, services
from lexique.core.diff import revision_diff
from lexique.models import Domain, Revision, Term
from lexique.services.merge import Merge, MergedContent
from lexique.web.forms import CommentForm, HideCommentForm, RetireForm, RevertForm, ReviewForm
from lexique.web.requests import AuthenticatedHttpRequest

ViewArgs = ParamSpec("ViewArgs")
SignedInView = Callable[Concatenate[AuthenticatedHttpRequest, ViewArgs], HttpResponse]


def moderator_required(view: SignedInView[ViewArgs]) -> SignedInView[ViewArgs]:
    """Anonymous visitors are sent to sign in; signed-in non-moderators get a 403."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: ViewArgs.args, **kwargs: ViewArgs.kwargs) -> HttpResponse:
        if not services.can_moderate(request.user):
            raise PermissionDenied(_("Cette page est réservée aux modérateurs."))
        return view(request, *args, **kwargs)

    return wrapper


@moderator_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    domain = request.GET.get("domaine") or None
    kind = request.GET.get("type") or None
    queue = selectors.pending_queue(domain=domain, kind=kind)
    groups = selectors.queue_by_term(queue)
    for revision in queue:
        # A stale proposal either merges by itself or needs the moderator to choose: the queue says which.
        # (`stale`, set by the selector, and `conflict` mark a revision for the queue page: they are no fields.)
        stale = revision.stale  # type: ignore[attr-defined]  # a mark of the queue
        conflict = stale and services.plan_approval(revision).outcome == services.Outcome.CONFLICT
        revision.conflict = conflict  # type: ignore[attr-defined]  # a mark of the queue
    return render(request, "lexique/queue.html", {
        "queue": queue, "groups": groups,
        "domains": Domain.objects.all(), "domain": domain, "kind": kind,
        "open_reports": selectors.open_error_report_count(),
    })


def conflict_rows(merge: Merge) -> list[dict[str, Any]]:
    """For each field both sides changed: what the published version and the proposal each did to it."""
    readable = selectors.labelled_content
    base, ours, theirs = (readable(MergedContent(merge.side(which))) for which in ("base", "ours", "theirs"))
    published, proposed = revision_diff(base, theirs), revision_diff(base, ours)
    return [
        {"name": item.name, "published": published.get(item.name, []), "proposed": proposed.get(item.name, []),
         "is_list": item.is_list, "ours": "" if item.is_list else item.ours or ""}
        for item in merge.conflicts
    ]


@moderator_required
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision: Revision = get_object_or_404(
        Revision.objects.select_related("term", "author", "base_revision", "term__current_revision", "replaces"),
        pk=pk,
    )
    term = revision.term
    current = term.current_revision
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = _decide(request, revision, form)
        if outcome is not None:
            return outcome
    readable = selectors.labelled_content
    # What approving would do, as the service will do it: publish, merge, or stop on a conflict.
    plan = services.plan_approval(revision) if revision.state == Revision.State.PENDING else None
    stale = plan is not None and plan.stale
    merge = plan.merge if plan is not None else None
    result = MergedContent(plan.content()) if plan is not None and plan.stale else revision
    return render(request, "lexique/review.html", {
        "revision": revision, "term": term, "current": current, "plan": plan, "stale": stale, "form": form,
        "merge": merge, "conflicts": conflict_rows(merge) if merge is not None else [],
        "changes": revision_diff(readable(current), readable(result)),
        "own_changes": revision_diff(readable(revision.base_revision), readable(revision)) if stale else None,
        "rows": selectors.review_rows(current, result),
        "thread": selectors.proposal_thread(revision), "comment_form": CommentForm(),
        "hide_form": HideCommentForm(),
        "earlier": selectors.earlier_rounds(revision),
        "since_last_round": (revision_diff(readable(revision.replaces), readable(revision)) if revision.replaces
                             else None),
    })


def _decide(request: AuthenticatedHttpRequest, revision: Revision, form: ReviewForm) -> HttpResponse | None:
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "approve":
            services.approve(revision, by=request.user, comment=comment,
                             confirm_stale=form.cleaned_data["confirm_stale"])
            messages.success(request, _("Proposition approuvée et publiée."))
        elif action == "reject":
            services.reject(revision, by=request.user, reason=comment)
            messages.success(request, _("Proposition refusée ; l'auteur en est informé."))
        else:
            services.request_changes(revision, by=request.user, comment=comment)
            messages.success(request, _("Demande de modifications envoyée à l'auteur."))
    except services.ConflictError as error:
        form.add_error("confirm_stale", error.message)
        return None
    except services.ValidationError as error:
        form.add_error("comment", error.messages)
        return None
    except services.WorkflowError as error:
        messages.error(request, error.message)
    return redirect("lexique:queue")


@moderator_required
def revert(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    """Ask for confirmation and a reason, showing what going back would change; then publish the old version again."""
    term: Term = get_object_or_404(Term.objects.select_related("current_revision"), slug=slug)
    target = get_object_or_404(Revision.objects.approved(), term=term, version=number)
    form = RevertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revert(term, to=target, by=request.user, reason=form.cleaned_data["reason"])
        except (services.ValidationError, services.WorkflowError) as error:
            messages.error(request, services.error_message(error))
        else:
            messages.success(request, _("La version %(number)d est de nouveau publiée.") % {"number": number})
        return redirect("lexique:history", slug=term.slug)
    readable = selectors.labelled_content
    return render(request, "lexique/revert.html", {
        "term": term, "target": target, "form": form,
        "changes": revision_diff(readable(term.current_revision), readable(target)),
    })


@require_POST
@moderator_required
def retire(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Retire a published term, with the reason its address will show from then on."""
    term = get_object_or_404(Term, slug=slug)
    form = RetireForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ValidationError(list(form.errors["reason"]))
        services.retire(term, by=request.user, reason=form.cleaned_data["reason"])
    except (services.ValidationError, services.WorkflowError) as error:
        messages.error(request, services.error_message(error))
        return redirect(term)
    messages.success(request, _("« %(headword)s » est retiré du lexique.") % {"headword": term.headword})
    return redirect(term)


@moderator_required
def log(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "lexique/log.html", {"entries": selectors.moderation_log()})
