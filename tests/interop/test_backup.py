"""Backups: export_all and import_all lose nothing, give the same bytes, and refuse what they cannot restore."""
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command

from lexique import services
from lexique.interop.backup import carried_models, is_credential
from lexique.models import (
    Abbreviation,
    Domain,
    DomainListing,
    LexiconState,
    ModerationLogEntry,
    PublicationEvent,
    PublishedFigure,
    Revision,
    RevisionImmutableError,
    Suggestion,
    Term,
)
from lexique.services import notifications
from tests.support.exports_data import CITED_SOURCES
from tests.support.factories import DomainFactory, UserFactory, content, publish_term
from tests.support.helpers import empty_database, export, restore

# Every test empties the database with `flush` and fills it again: real commits, as on a server.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mot-de-passe-test"  # what UserFactory gives everyone


def build_lexicon():
    """A lexicon that has lived: every state of a revision, a revert, a retired term, several roles."""
    with notifications.silenced():
        creation, distribution = DomainFactory(slug="creation"), DomainFactory(slug="distribution")
        moderator = UserFactory(username="moderatrice", moderator=True, first_name="Aline", last_name="Roy")
        author = UserFactory(username="auteur", first_name="Élise")
        UserFactory(username="ancien", is_active=False)
        UserFactory(username="admin", is_staff=True, is_superuser=True)
        direct = UserFactory(username="direct")
        direct.user_permissions.add(Permission.objects.get(codename="moderate"))

        metadata = publish_term(author=author, moderator=moderator, domains=["creation", "distribution"])
        first = metadata.current_revision
        edit = services.propose_edit(term=metadata, author=author, base_revision=first,
                                     content=content(definition_fr="Des données sur les données."), summary="Plus court")
        edit = services.approve(edit, by=moderator, comment="Merci")
        services.reject(services.propose_edit(term=metadata, author=author, base_revision=edit,
                                              content=content(definition_fr="Rien."), summary="Trop court"),
                        by=moderator, reason="Trop vague")
        asked = services.propose_edit(term=metadata, author=author, base_revision=edit,
                                      content=content(notes_fr="Une note."), summary="Note")
        services.request_changes(asked, by=moderator, comment="Citez une source")
        services.resubmit(revision=asked, author=author, summary="Note sourcée", content=content(
            notes_fr="Une note.", sources=[{"title": "Guide", "url": "https://example.org/guide"}]))
        services.revert(metadata, to=first, by=moderator)

        publish_term(author=author, moderator=moderator, headword_fr="entrepôt numérique", headword_en="digital archive",
                     related=[metadata.slug], domains=["creation"], sources=CITED_SOURCES,
                     synonyms=[{"text": "dépôt numérique", "lang": "fr", "status": "admitted"}])
        retired = publish_term(author=author, moderator=moderator, headword_fr="cédérom", headword_en="CD-ROM")
        services.retire(retired, by=moderator, reason="Obsolète")
        services.reject(services.propose_term(author=author, content=content(headword_fr="mot-valise", headword_en="")),
                        by=moderator, reason="Hors sujet")
        services.request_changes(services.propose_term(author=author, content=content(headword_fr="médiathèque")),
                                 by=moderator, comment="Définition en anglais ?")
        services.propose_term(author=author, content=content(headword_fr="billetterie", headword_en="ticketing"))
        services.withdraw(revision=services.propose_term(author=author, content=content(headword_fr="phonothèque",
                                                                                        headword_en="")), author=author)
    return {"moderator": moderator, "author": author, "domains": (creation, distribution)}


def rows_in_database():
    return {model._meta.label: model._base_manager.count() for model in carried_models()}


def domain_listing():
    return set(DomainListing.objects.values_list("domain_id", "term_id", "published", "sort_key", "slug"))


def test_a_restored_backup_exports_the_same_bytes(tmp_path):
    build_lexicon()
    backup = export()
    listed = domain_listing()
    empty_database()
    assert Revision.objects.count() == 0 and not domain_listing()

    restore(tmp_path, backup)
    assert domain_listing() == listed != set()  # the database's own index, filled again by its triggers

    assert export() == backup
    # A book, a standard and a printed glossary come back as they were, beside a web page cited the old way.
    assert Term.objects.get(headword_fr="entrepôt numérique").sources == CITED_SOURCES


def test_the_same_database_gives_the_same_bytes_and_the_file_says_its_format_first(tmp_path):
    build_lexicon()
    target = tmp_path / "lexique.json"
    call_command("export_all", "-o", str(target), stderr=io.StringIO())

    text = target.read_text(encoding="utf-8")
    assert text.startswith('{"format": "lexique-backup", "version": 1, ')
    assert text == export() == export()
    counts = json.loads(text)["counts"]
    assert counts["lexique.revision"] == Revision.objects.count() == 12
    assert counts["lexique.publicationevent"] == PublicationEvent.objects.count()


def test_a_backup_holds_every_revision_state_the_logs_and_the_accounts_but_no_credentials(client):
    build_lexicon()
    client.force_login(get_user_model().objects.get(username="auteur"))
    assert Session.objects.exists()
    token = client.post("/api/v1/auth/token/", {"username": "moderatrice", "password": PASSWORD},
                        content_type="application/json").json()["token"]

    text = export()
    backup = json.loads(text)
    rows = backup["objects"]
    states = {row["fields"]["state"] for row in rows if row["model"] == "lexique.revision"}
    assert states == set(Revision.State.values)
    assert {row["model"] for row in rows} == {
        "auth.group", "auth.user", "lexique.domain", "lexique.term", "lexique.revision",
        "lexique.publicationevent", "lexique.moderationlogentry", "lexique.lexiconstate",
    }
    moderator = next(row for row in rows if row["model"] == "auth.user" and row["fields"]["username"] == "moderatrice")
    assert moderator["fields"]["password"] == get_user_model().objects.get(username="moderatrice").password
    assert moderator["fields"]["first_name"] == "Aline"
    group = next(row for row in rows if row["model"] == "auth.group")
    assert ["moderate", "lexique", "term"] in group["fields"]["permissions"]
    # Credentials stay behind: no session, no token, in any form.
    assert token not in text
    assert Session.objects.first().session_key not in text
    assert not any("token" in label or "session" in label for label in backup["counts"])


def test_after_a_restore_people_sign_in_moderate_and_publication_goes_on_without_a_gap(tmp_path, client):
    built = build_lexicon()
    backup = export()
    before = {
        revision.pk: (revision.number, revision.state, revision.created_at, revision.reviewed_at)
        for revision in Revision.objects.all()
    }
    empty_database()
    restore(tmp_path, backup)

    # Revisions keep their ids, numbers, states and every digit of their dates.
    assert {
        revision.pk: (revision.number, revision.state, revision.created_at, revision.reviewed_at)
        for revision in Revision.objects.all()
    } == before
    assert client.login(username="auteur", password=PASSWORD)
    moderator = get_user_model().objects.get(username="moderatrice")
    assert services.can_moderate(moderator)
    assert services.can_moderate(get_user_model().objects.get(username="direct"))
    assert not services.can_moderate(get_user_model().objects.get(username="auteur"))
    assert not get_user_model().objects.get(username="ancien").is_active
    assert Term.objects.get(slug="entrepot-numerique").related.get().pk == Term.objects.get(slug="metadonnees").pk
    assert set(Term.objects.get(slug="metadonnees").domains.values_list("slug", flat=True)) == {"creation", "distribution"}

    # New rows get new keys (PostgreSQL's sequences were moved past the restored ones).
    newcomer = UserFactory(moderator=True)
    pending = Revision.objects.get(state=Revision.State.PENDING, term__status=Term.Status.DRAFT)
    events = PublicationEvent.objects.count()
    with notifications.silenced():
        services.approve(pending, by=newcomer)
        proposal = services.propose_term(author=built["author"], content=content(headword_fr="médiation", headword_en="outreach"))
    assert proposal.pk > max(before)
    sequences = list(PublicationEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, events + 2))
    assert LexiconState.current().version == events + 1
    # The append-only guards hold as before.
    with pytest.raises(RevisionImmutableError):
        Revision.objects.filter(pk=pending.pk).update(definition_fr="Autre")


def test_a_reformatted_backup_restores_too(tmp_path):
    build_lexicon()
    backup = export()
    empty_database()

    restore(tmp_path, json.dumps(json.loads(backup), indent=2, ensure_ascii=True))

    assert export() == backup


def test_a_database_that_holds_data_is_refused_and_left_as_it_was(tmp_path):
    build_lexicon()
    backup = export()
    before = rows_in_database()

    with pytest.raises(CommandError, match="not empty"):
        restore(tmp_path, backup)

    assert rows_in_database() == before


def test_a_database_with_only_an_account_is_refused(tmp_path):
    build_lexicon()
    backup = export()
    empty_database()
    UserFactory(username="premier")

    with pytest.raises(CommandError, match="auth.User"):
        restore(tmp_path, backup)

    assert Term.objects.count() == 0 and get_user_model().objects.count() == 1


def test_the_version_row_a_page_made_before_the_restore_is_no_data(tmp_path):
    build_lexicon()
    backup = export()
    empty_database()
    LexiconState.current()  # what the site does when a first page asks for the version

    restore(tmp_path, backup)

    assert export() == backup


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace('"version": 1', '"version": 2', 1), "Unsupported backup format version 2"),
        (lambda text: text.replace('"lexique-backup"', '"autre-chose"', 1), "Not a Lexique backup"),
        (lambda text: "", "Not a Lexique backup"),
    ],
    ids=["newer-version", "other-format", "empty-file"],
)
def test_an_unknown_format_is_refused(tmp_path, change, message):
    build_lexicon()
    backup = export()
    empty_database()

    with pytest.raises(CommandError, match=message):
        restore(tmp_path, change(backup))

    assert rows_in_database() == {label: 0 for label in rows_in_database()}


def cut_in_a_row(text):
    return text[: len(text) * 2 // 3]


def cut_between_rows(text):
    lines = text.splitlines(keepends=True)
    return "".join(lines[: len(lines) * 2 // 3])


def drop_a_row(text):
    lines = text.splitlines(keepends=True)
    return "".join(lines[:5] + lines[6:])


@pytest.mark.parametrize("damage", [cut_in_a_row, cut_between_rows, drop_a_row])
def test_a_damaged_file_is_refused_and_nothing_is_written(tmp_path, damage):
    build_lexicon()
    backup = export()
    empty_database()

    with pytest.raises(CommandError, match="Nothing was restored"):
        restore(tmp_path, damage(backup))

    # Rows read before the damage were written, then rolled back with everything else.
    assert rows_in_database() == {label: 0 for label in rows_in_database()}


def test_a_row_of_a_model_backups_never_carry_is_refused(tmp_path):
    build_lexicon()
    backup = json.loads(export())
    empty_database()
    backup["objects"].append({"model": "sessions.session", "pk": "x", "fields": {"session_data": "", "expire_date": None}})
    backup["counts"]["sessions.session"] = 1

    with pytest.raises(CommandError, match="never carry 'sessions.session'"):
        restore(tmp_path, json.dumps(backup))

    assert get_user_model().objects.count() == 0


def test_a_backup_made_at_another_schema_is_refused(tmp_path):
    build_lexicon()
    backup = json.loads(export())
    empty_database()
    backup["schema"]["lexique"].append("9999_from_the_future")

    with pytest.raises(CommandError, match="9999_from_the_future"):
        restore(tmp_path, json.dumps(backup))

    assert get_user_model().objects.count() == 0


def test_a_dangling_link_is_refused(tmp_path):
    build_lexicon()
    backup = json.loads(export())
    empty_database()
    revision = next(row for row in backup["objects"] if row["model"] == "lexique.revision")
    revision["fields"]["author"] = 999_999

    with pytest.raises(CommandError, match="Nothing was restored"):
        restore(tmp_path, json.dumps(backup))

    assert Revision.objects.count() == 0 and Domain.objects.count() == 0


def test_a_restored_lexicon_has_its_suggestions_again(tmp_path):
    build_lexicon()
    before = sorted(Suggestion.objects.values_list("key", "term_id", "lang", "synonym", "word"))
    backup = export()
    empty_database()
    restore(tmp_path, backup)
    assert before and sorted(Suggestion.objects.values_list("key", "term_id", "lang", "synonym", "word")) == before


def test_every_model_of_the_lexicon_is_carried_except_credentials_and_the_databases_own_indexes():
    lexicon = set(apps.get_app_config("lexique").get_models())
    carried = set(carried_models())
    assert {Group, get_user_model(), Term, Revision, Domain, PublicationEvent, ModerationLogEntry, LexiconState} <= carried
    kept_by_database = {model for model in lexicon if getattr(model, "kept_by_database", False)}
    assert kept_by_database == {Abbreviation, DomainListing, PublishedFigure, Suggestion}
    assert lexicon - carried == {model for model in lexicon if is_credential(model)} | kept_by_database
