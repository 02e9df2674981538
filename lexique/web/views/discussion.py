"""Discussion pages: a term's talk page, a proposal's thread, following a term and the terms followed, hiding a
comment."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lexique import selectors, services
from lexique.models import Comment, Revision, Term
from lexique.web.forms import CommentForm, HideCommentForm
from lexique.web.requests import AuthenticatedHttpRequest
from lexique.web.views.moderation import moderator_required

FOLLOWED_PAGE_SIZE = 50


def _back(request: HttpRequest, default: HttpResponse) -> HttpResponse:
    """Where the form was: a path on this site, else `default`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return default


def term_discussion(request: HttpRequest, slug: str) -> HttpResponse:
    """A term's talk page: anyone reads it, signed-in people write in it."""
    term = get_object_or_404(Term.objects.published(), slug=slug)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                services.comment_on_term(term=term, author=request.user, body=form.cleaned_data["body"])
            except services.ValidationError as error:
                form.add_error("body", error.messages)
            except (services.WorkflowError, services.PermissionDenied) as error:
                messages.error(request, services.error_message(error))
            else:
                messages.success(request, _("Votre commentaire est publié ; vous suivez maintenant ce terme."))
                return redirect("lexique:discussion", slug=term.slug)
    return render(request, "lexique/discussion.html", {
        "term": term, "comments": selectors.term_discussion(term), "form": form,
        "following": selectors.is_following(request.user, term), "hide_form": HideCommentForm(),
    })


@require_POST
@login_required
def comment_on_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    revision: Revision = get_object_or_404(Revision.objects.select_related("term"), pk=pk)
    if not services.can_discuss_proposal(request.user, revision):
        raise PermissionDenied(_("Seuls l'auteur de la proposition et les modérateurs en discutent."))
    page = "lexique:review" if services.can_moderate(request.user) and revision.author_id != request.user.pk \
        else "lexique:proposal"
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_proposal(revision=revision, author=request.user, body=form.cleaned_data["body"])
        except (services.ValidationError, services.WorkflowError, services.PermissionDenied) as error:
            messages.error(request, services.error_message(error))
        else:
            messages.success(request, _("Votre commentaire est ajouté à la discussion."))
    else:
        messages.error(request, " ".join(str(message) for message in form.errors.get("body", [])))
    return redirect(f"{redirect(page, pk=revision.pk).url}#discussion")


@require_POST
@login_required
def follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(Term.objects.published(), slug=slug)
    try:
        if request.POST.get("follow") == "0":
            services.unfollow_term(term=term, user=request.user)
            messages.success(request, _("Vous ne suivez plus ce terme."))
        else:
            services.follow_term(term=term, user=request.user)
            messages.success(request, _("Vous suivez ce terme : ses nouvelles versions et sa discussion "
                                        "vous seront envoyées par courriel."))
    except (services.WorkflowError, services.PermissionDenied) as error:
        messages.error(request, services.error_message(error))
    return _back(request, redirect(term))


@require_POST
@moderator_required
def hide_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment: Comment = get_object_or_404(Comment.objects.select_related("term"), pk=pk)
    form = HideCommentForm(request.POST)
    default = redirect("lexique:review", pk=comment.proposal_id) if comment.proposal_id \
        else redirect("lexique:discussion", slug=comment.term.slug)
    try:
        if not form.is_valid():
            raise services.ValidationError(list(form.errors.get("reason", [_("Donnez la raison du masquage.")])))
        services.hide_comment(comment, by=request.user, reason=form.cleaned_data["reason"])
    except (services.ValidationError, services.WorkflowError) as error:
        messages.error(request, services.error_message(error))
    else:
        messages.success(request, _("Le commentaire est masqué ; la raison est dans le journal de modération."))
    return _back(request, default)


@login_required
def followed_terms(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The terms I follow: each new version and each message of their discussion is e-mailed to me."""
    page = Paginator(selectors.followed_terms(request.user), FOLLOWED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lexique/followed_terms.html", {"page": page, "terms": page})
