"""The admin: every model, with translation tabs; revisions and logs are read-only."""
from collections.abc import Callable
from typing import TypeVar

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from lexique import services
from lexique.models import Domain, LexiconState, ModerationLogEntry, PublicationEvent, Revision, Term
from lexique.services.errors import error_message
from lexique.web.forms import RetireForm
from lexique.web.requests import AuthenticatedHttpRequest

M = TypeVar("M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only records: they can be read, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Domain)
class DomainAdmin(TabbedTranslationAdmin[Domain]):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name_fr",)}


@admin.register(Term)
class TermAdmin(TabbedTranslationAdmin[Term]):
    """The published copy changes only through the workflow, so it is shown, not edited."""

    list_display = ("headword_fr", "headword_en", "status", "updated_at")
    list_filter = ("status", "domains")
    search_fields = ("search_text", "slug")
    actions = ["retire_terms"]

    def get_readonly_fields(self, request: HttpRequest, obj: Term | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields] + ["domains", "related"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Term | None = None) -> bool:
        return False

    @admin.action(description=_("Retirer les termes sélectionnés…"), permissions=["moderate"])
    def retire_terms(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Term]) -> TemplateResponse | None:
        """Ask for the reason first (a page between the list and the retirement), then retire each term."""
        form = RetireForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            _apply(request, queryset, lambda term: services.retire(term, by=request.user, reason=reason))
            return None
        return TemplateResponse(request, "admin/lexique/term/retire.html", {
            **self.admin_site.each_context(request),
            "title": _("Retirer des termes du lexique"), "opts": self.model._meta, "form": form,
            "terms": queryset, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return services.can_moderate(request.user)


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin, TabbedTranslationAdmin[Revision]):
    list_display = ("__str__", "author", "state", "created_at", "reviewer")
    list_filter = ("state",)
    search_fields = ("headword_fr", "headword_en", "term__slug")
    actions = ["approve_revisions"]

    @admin.action(description=_("Approuver les propositions sélectionnées"), permissions=["moderate"])
    def approve_revisions(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Revision]) -> None:
        _apply(request, queryset, lambda revision: services.approve(revision, by=request.user))

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return services.can_moderate(request.user)


def _apply(request: HttpRequest, queryset: QuerySet[M], action: Callable[[M], object]) -> None:
    """Run a workflow action on each selected object; report each refusal instead of failing all."""
    done = 0
    for obj in queryset:
        try:
            action(obj)
            done += 1
        except (services.WorkflowError, services.ValidationError, services.PermissionDenied) as error:
            messages.error(request, f"{obj} : {error_message(error)}")
    if done:
        messages.success(request, _("%(count)d élément(s) traité(s).") % {"count": done})


@admin.register(PublicationEvent)
class PublicationEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "kind", "term", "created_at")


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "term")
    list_filter = ("action",)


@admin.register(LexiconState)
class LexiconStateAdmin(ReadOnlyAdmin):
    list_display = ("version", "changed_at")
