"""Load the demo lexicon: domains, published terms, a few proposals, two accounts. Idempotent."""
import json
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lexique import services
from lexique.core.grammar import GRAMMAR_FIELD_NAMES
from lexique.core.text import slug_for
from lexique.models import Domain, Revision, Term
from lexique.services import notifications

DATA = Path(__file__).resolve().parents[2] / "demo" / "lexicon.json"
MODERATORS_GROUP = "Modérateurs"


class Account(TypedDict):
    password: str
    email: str
    moderator: bool


# Local accounts for trying the site; the README gives these passwords.
ACCOUNTS: dict[str, Account] = {
    "moderatrice": {"password": "demo-moderation", "email": "moderatrice@example.org", "moderator": True},
    "contributeur": {"password": "demo-contribution", "email": "contributeur@example.org", "moderator": False},
}
CONTENT_KEYS = (
    "headword_fr", "headword_en", "definition_fr", "definition_en", "examples_fr", "examples_en",
    "notes_fr", "notes_en", *GRAMMAR_FIELD_NAMES, "category", "sources", "synonyms", "domains", "related",
)
RELATED_SUMMARY = "Ajout des termes associés"


# What moderators do in the admin: moderate, read every record, keep the list of domains.
MODERATOR_PERMISSIONS = (
    "moderate", "view_term", "view_revision", "view_domain", "add_domain", "change_domain",
    "view_moderationlogentry", "view_publicationevent", "view_lexiconstate",
)


def moderators_group() -> Group:
    """The moderators' group, with the permissions the moderation pages and the admin need."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    permissions = Permission.objects.filter(codename__in=MODERATOR_PERMISSIONS, content_type__app_label="lexique")
    group.permissions.add(*permissions)
    return group


def make_moderator(user: User) -> None:
    """A moderator is staff (the admin opens) and in the moderators' group."""
    user.groups.add(moderators_group())
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def content_of(entry: dict[str, Any], slugs: dict[str, str], **overrides: Any) -> dict[str, Any]:
    """The service content of a demo entry, its related terms named by their real slugs."""
    data = {key: entry[key] for key in CONTENT_KEYS if key in entry}
    data["related"] = [slugs.get(slug, slug) for slug in entry.get("related", [])]
    data.update(overrides)
    return data


class Command(BaseCommand):
    help = "Load the demo lexicon (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--i-know-this-is-production", action="store_true", dest="production",
            help="Load the demo even with DEBUG off; its accounts' passwords are public: change them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts' passwords are in the README: on a real site they would open moderation to anyone.
        if not settings.DEBUG and not options["production"]:
            raise CommandError(
                "DEBUG is off: this looks like a real site, and the demo accounts' passwords are public. "
                "Nothing was written. Run with DEBUG=1, or add --i-know-this-is-production and then change "
                f"the passwords of {', '.join(ACCOUNTS)}."
            )
        data = json.loads(DATA.read_text(encoding="utf-8"))
        with notifications.silenced(), transaction.atomic():
            users = self._accounts()
            self._domains(data["domains"])
            created = self._terms(data["terms"], users)
            self._proposals(data.get("proposals", []), users)
        self.stdout.write(
            f"Demo lexicon ready: {Term.objects.published().count()} published terms "
            f"({created} new), {Revision.objects.pending().count()} pending proposals."
        )
        if not settings.DEBUG:
            for username, account in ACCOUNTS.items():
                self.stderr.write(self.style.WARNING(
                    f"Account {username} has the public password {account['password']!r}: change it "
                    f"(manage.py changepassword {username})."
                ))

    def _accounts(self) -> dict[str, User]:
        users = {}
        for username, account in ACCOUNTS.items():
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                user = get_user_model().objects.create_user(username, account["email"], account["password"])
            if account["moderator"]:
                make_moderator(user)
            users["moderator" if account["moderator"] else "contributor"] = user
        return users

    def _domains(self, domains: list[dict[str, Any]]) -> None:
        for position, entry in enumerate(domains):
            Domain.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name_fr": entry["name_fr"], "name_en": entry["name_en"],
                    "description_fr": entry.get("description_fr", ""),
                    "description_en": entry.get("description_en", ""),
                    "position": position,
                },
            )

    def _terms(self, terms: list[dict[str, Any]], users: dict[str, User]) -> int:
        author, moderator = users["contributor"], users["moderator"]
        self.slugs = {entry["slug"]: slug_for(entry["headword_fr"]) for entry in terms}
        created = 0
        # First pass: every term, without its related terms (some are not published yet).
        for entry in terms:
            if not Term.objects.filter(slug=self.slugs[entry["slug"]]).exists():
                revision = services.propose_term(
                    author=author, content=content_of(entry, self.slugs, related=[]),
                    summary="Terme du lexique d'origine",
                )
                services.approve(revision, by=moderator)
                created += 1
        # Second pass: link related terms, as a second approved revision.
        for entry in terms:
            term = Term.objects.get(slug=self.slugs[entry["slug"]])
            if entry.get("related") and not term.revisions.filter(summary=RELATED_SUMMARY).exists():
                revision = services.propose_edit(
                    term=term, author=author, base_revision=term.current_revision,
                    content=content_of(entry, self.slugs), summary=RELATED_SUMMARY,
                )
                services.approve(revision, by=moderator)
        return created

    def _proposals(self, proposals: list[dict[str, Any]], users: dict[str, User]) -> None:
        author, moderator = users["contributor"], users["moderator"]
        for proposal in proposals:
            summary = proposal.get("summary_fr", "")
            if proposal["kind"] == "edit":
                term = Term.objects.get(slug=self.slugs.get(proposal["term"], proposal["term"]))
                if term.revisions.filter(summary=summary).exists():
                    continue
                base = term.current_revision
                if base is None:
                    raise CommandError(f"The demo term {term.slug} has no published version to edit.")
                services.propose_edit(
                    term=term, author=author, base_revision=base,
                    content={**base.content(), **proposal["changes"]}, summary=summary,
                )
            else:
                entry = proposal["term_data"]
                if Term.objects.filter(slug=slug_for(entry["headword_fr"])).exists():
                    continue
                revision = services.propose_term(
                    author=author, content=content_of(entry, self.slugs), summary=summary
                )
                if proposal.get("state") == "rejected":
                    services.reject(revision, by=moderator, reason=proposal.get("review_comment", "Hors sujet."))
