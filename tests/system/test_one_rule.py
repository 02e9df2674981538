"""Rules that were once written twice and drifted apart: each now has one home, and every caller agrees."""
import copy
import io
import json
import os
import re
import stat
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import QuerySet
from django.test import Client
from django.utils import translation
from lxml import etree
from rest_framework.test import APIClient

from lexique import selectors, services
from lexique.api import exports as api_exports
from lexique.core.content import SUMMARY_MAX_LENGTH, field_label, language_label, reader_language, status_label
from lexique.editions.services import NUMBER_REGEX, clean_number, publish_edition
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.skos import SkosTurtleExporter
from lexique.interop.exporters.tbx import TbxExporter
from lexique.interop.published import ExportOptions, OptionsError
from lexique.interop.registry import API_FILES, DATA_FORMATS, asked_export
from lexique.interop.store import BuildFailed, BuildsBusy, ExportFailed, TooManyCustomBuilds
from lexique.models import Edition, Revision, Term
from lexique.platform.outage import unavailable_page
from lexique.publishing import citations
from lexique.services import tokens
from lexique.web.forms import ProposalForm
from lexique.web.templatetags import lexique as lexique_tags
from lexique.web.views import exports as web_exports
from tests.support.factories import UserFactory, content, publish_term

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_api_cache")]
ATOM = "{http://www.w3.org/2005/Atom}"


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.create_token(user)[1]}")
    return client


# --- A summary over the limit is refused, never cut ------------------------------------------------

def test_a_summary_over_the_limit_is_refused_by_the_service_not_cut(contributor):
    with pytest.raises(services.ValidationError) as caught:
        services.propose_term(author=contributor, content=content(), summary="x" * (SUMMARY_MAX_LENGTH + 1))
    assert list(caught.value.message_dict) == ["summary"]
    assert not Revision.objects.exists()


def test_a_summary_at_the_limit_is_kept_whole(contributor):
    revision = services.propose_term(author=contributor, content=content(), summary="x" * SUMMARY_MAX_LENGTH)
    assert revision.summary == "x" * SUMMARY_MAX_LENGTH


def test_the_api_and_the_service_refuse_a_long_summary_with_the_same_message(contributor):
    with pytest.raises(services.ValidationError) as caught:
        services.propose_term(author=contributor, content=content(), summary="x" * (SUMMARY_MAX_LENGTH + 1))
    response = client_for(contributor).post(
        "/api/v1/proposals/", {**content(), "summary": "x" * (SUMMARY_MAX_LENGTH + 1)}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["summary"] == caught.value.message_dict["summary"]


# --- Letters: a term is filed under the same letter in the live list and in an edition ----------------

@pytest.mark.parametrize("headword, letter", [("(re)mix", "R"), ("...et cetera", "E"), ("3D", "#")])
def test_an_edition_files_a_term_under_the_letter_the_live_list_does(moderator, headword, letter):
    term = publish_term(headword_fr=headword, headword_en="")
    assert term.initial == letter
    publish_edition(number="2026.1", by=moderator)
    client = APIClient()
    for query in ("", "&edition=2026.1"):
        found = client.get(f"/api/v1/terms/?letter={letter}{query}").json()["results"]
        assert [item["slug"] for item in found] == [term.slug], query
    assert client.get("/api/v1/terms/?letter=A&edition=2026.1").json()["results"] == []


# --- Files the commands write: one rule for their permissions ------------------------------------------

@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    yield
    os.umask(previous)


@pytest.mark.parametrize("command, arguments", [("export", ["--format", "csv"]), ("export_epub", [])])
def test_every_export_command_gives_its_file_the_umasks_permissions(tmp_path, umask_027, command, arguments):
    publish_term()
    target = tmp_path / "out"
    call_command(command, *arguments, "-o", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_backup_stays_private_whatever_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        call_command("export_all", "-o", str(tmp_path / "backup.json"), stderr=io.StringIO())
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "backup.json").stat().st_mode) == 0o600


# --- An unknown domain: one answer, from the service, whoever calls it ------------------------------

def test_the_service_refuses_an_unknown_domain_as_an_unknown_reference(contributor):
    with pytest.raises(services.UnknownReferenceError) as caught:
        services.propose_term(author=contributor, content=content(domains=["nulle-part"]))
    assert isinstance(caught.value, services.ValidationError)  # pages show it beside the field
    assert list(caught.value.message_dict) == ["domains"]


def test_every_api_write_answers_an_unknown_domain_with_the_same_404(contributor, moderator):
    term = publish_term()
    client = client_for(contributor)
    proposal = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content=term.current_revision.content())
    services.request_changes(proposal, by=moderator, comment="Un domaine ?")
    answers = [
        client.post("/api/v1/proposals/", content(headword_fr="autre", domains=["nulle-part"]), format="json"),
        client.post(f"/api/v1/terms/{term.slug}/proposals/",
                    {"base_revision": term.current_revision_id, "domains": ["nulle-part"]}, format="json"),
        client.post(f"/api/v1/proposals/{proposal.pk}/resubmit/", {"domains": ["nulle-part"]}, format="json"),
    ]
    for response in answers:
        assert response.status_code == 404, response.json()
        assert response.json()["code"] == "unknown_reference"
        assert list(response.json()["errors"]) == ["domains"]


# --- Approving: one plan (publish, merge or conflict) that pages, the API and the service share ---------

def _edit(term, author, base=None, **changes):
    base = base or term.current_revision
    return services.propose_edit(term=term, author=author, base_revision=base,
                                 content={**base.content(), **changes}, summary="Précision")


@pytest.fixture
def three_proposals(contributor, moderator):
    """On one term: a fresh proposal, one that merges (another field) and one in conflict (the same field)."""
    term = publish_term(moderator=moderator)
    base = term.current_revision
    merging = _edit(term, UserFactory(), base=base, notes_fr="Une note.")
    conflicting = _edit(term, UserFactory(), base=base, definition_fr="Seconde.")
    services.approve(_edit(term, contributor, definition_fr="Première."), by=moderator)
    term.refresh_from_db()
    fresh = _edit(term, UserFactory(), examples_fr="Un exemple.")
    # Read again, as a page reads them: their term as it is now.
    return {name: Revision.objects.get(pk=revision.pk)
            for name, revision in {"publish": fresh, "merge": merging, "conflict": conflicting}.items()}


def test_the_plan_says_what_approving_would_do(three_proposals):
    plans = {name: services.plan_approval(revision) for name, revision in three_proposals.items()}
    assert {name: plan.outcome for name, plan in plans.items()} == {
        "publish": services.Outcome.PUBLISH, "merge": services.Outcome.MERGE, "conflict": services.Outcome.CONFLICT}
    assert [item.name for item in plans["merge"].taken_from_published] == ["definition_fr"]
    assert [item.name for item in plans["conflict"].conflicts] == ["definition_fr"]


def test_approving_publishes_what_the_plan_showed(three_proposals, moderator):
    merging = three_proposals["merge"]
    planned = services.plan_approval(merging).content()
    services.approve(merging, by=moderator)
    merging.term.refresh_from_db()
    assert merging.term.current_revision.content() == planned


def test_a_conflict_in_the_plan_is_refused_unless_confirmed(three_proposals, moderator):
    with pytest.raises(services.ConflictError):
        services.approve(three_proposals["conflict"], by=moderator)


def test_the_api_shows_the_plan_of_each_pending_proposal(three_proposals, moderator):
    client = client_for(moderator)
    outcomes = {name: client.get(f"/api/v1/proposals/{revision.pk}/").json()["approval"]
                for name, revision in three_proposals.items()}
    assert outcomes["publish"] == {"outcome": "publish", "conflicts": [], "kept_from_published": []}
    assert outcomes["merge"] == {"outcome": "merge", "conflicts": [], "kept_from_published": ["definition_fr"]}
    assert outcomes["conflict"]["outcome"] == "conflict" and outcomes["conflict"]["conflicts"] == ["definition_fr"]


def test_the_review_page_shows_the_plan(three_proposals, moderator, client):
    client.force_login(moderator)
    pages = {name: client.get(f"/moderation/propositions/{revision.pk}/") for name, revision in three_proposals.items()}
    assert {name: page.context["plan"].outcome for name, page in pages.items()} == {
        "publish": services.Outcome.PUBLISH, "merge": services.Outcome.MERGE, "conflict": services.Outcome.CONFLICT}
    assert "confirm_stale" in pages["conflict"].content.decode()
    assert "confirm_stale" not in pages["merge"].content.decode()


# --- An edition's number: one pattern for the form, the API's parameters and their schema ---------------

@pytest.mark.parametrize("number, valid", [("2026.1", True), ("3", True), ("1.2.3", True), ("2026-1", False),
                                           ("1.2.3.4", False), ("12345", False)])
def test_every_edge_agrees_on_what_an_edition_number_is(number, valid):
    try:
        clean_number(number)
        service_accepts = True
    except ValidationError:
        service_accepts = False
    client = APIClient()
    schema = client.get("/api/v1/schema/?format=json").json()
    edition_parameters = [parameter["schema"]["pattern"] for path in schema["paths"].values()
                          for operation in path.values() if isinstance(operation, dict)
                          for parameter in operation.get("parameters", []) if parameter["name"] == "edition"]
    assert edition_parameters and set(edition_parameters) == {f"^{NUMBER_REGEX}$"}
    api_refuses = client.get(f"/api/v1/terms/?edition={number}").status_code == 400
    assert service_accepts == valid and api_refuses == (not valid)


# --- "Can be rebased": one predicate for the proposal's page and the rebase service ---------------------

@pytest.mark.parametrize("answer", ["none", "changes", "reject"])
def test_the_page_offers_a_rebase_exactly_when_the_service_does_one(contributor, moderator, client, answer):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    stale = _edit(term, contributor, base=base, notes_fr="Une note.")
    services.approve(_edit(term, UserFactory(), base=base, definition_fr="Nouvelle."), by=moderator)
    if answer == "changes":
        services.request_changes(stale, by=moderator, comment="Précisez.")
    elif answer == "reject":
        services.reject(stale, by=moderator, reason="Non.")
    stale = Revision.objects.get(pk=stale.pk)
    predicted = services.can_rebase(stale)
    client.force_login(contributor)
    offered = f"/propositions/{stale.pk}/mettre-a-jour/" in client.get(f"/propositions/{stale.pk}/").content.decode()
    try:
        services.rebase(revision=stale, author=contributor)
        rebased = True
    except services.WorkflowError:
        rebased = False
    assert offered == rebased == predicted == (answer != "reject")


# --- What readers call things: languages, fields and usage statuses, named in one place -------------------

def test_a_field_has_the_same_name_in_the_form_the_review_and_the_diff(contributor):
    revision = services.propose_term(author=contributor, content=content())
    form = ProposalForm()
    for row in selectors.review_rows(None, revision):
        assert row["label"] == field_label(row["name"])
        if row["name"] in form.fields:
            assert str(form.fields[row["name"]].label) == row["label"]
    assert lexique_tags.field_label("examples_fr") == field_label("examples_fr") == "Exemples d'usage (français)"


def test_statuses_and_languages_are_named_alike_on_pages_and_in_reviews(contributor):
    synonym = {"text": "méta", "lang": "en", "status": "not_recommended"}
    revision = services.propose_term(author=contributor, content=content(synonyms=[synonym]))
    assert selectors.labelled_content(revision)["synonyms"] == [
        f"méta ({language_label('en')}, {lexique_tags.usage_status('not_recommended')})"]
    assert lexique_tags.usage_status("not_recommended") == status_label("not_recommended") == "déconseillé"
    # Beside a status, a language is named in the reader's language too (not in itself, as switches name it).
    assert language_label("en") == "anglais" and lexique_tags.language_name("en") == "English"


@pytest.mark.parametrize("active, expected", [("fr", "fr"), ("en", "en"), ("en-ca", "en"), (None, "fr")])
def test_the_readers_language_is_one_function(active, expected):
    with translation.override(active):
        assert reader_language() == expected


# --- The formats: one registry for the API's files, the downloads page and the importers -----------------

def test_every_data_format_is_offered_on_the_downloads_page_and_served_by_the_api(client):
    publish_term()
    page = client.get("/telechargements/").content.decode()
    assert set(DATA_FORMATS) == {exporter.name for exporter in API_FILES.values()}
    for file_name, exporter in API_FILES.items():
        assert f"/api/v1/export/{file_name}" in page and str(exporter.label) in page
        response = client.get(f"/api/v1/export/{file_name}")
        assert response.status_code == 200 and response["Content-Type"] == exporter.media_type, file_name
        b"".join(response.streaming_content)
    assert client.get("/api/v1/export/lexique.epub").status_code == 404


# --- Markdown is rendered once: a page of the published version shows the HTML stored at approval --------

def test_the_published_versions_page_shows_the_stored_html_and_an_older_one_is_rendered(client, moderator):
    term = publish_term(moderator=moderator, definition_fr="Première *version*.")
    services.approve(_edit(term, UserFactory(), definition_fr="Seconde *version*."), by=moderator)
    # A mark only the stored HTML holds: the page of the published version must read it, not re-render.
    Term.objects.filter(pk=term.pk).update(definition_html_fr="<p>Rendue une fois.</p>")
    assert "Rendue une fois." in client.get(f"/termes/{term.slug}/versions/2/").content.decode()
    assert "Première <em>version</em>." in client.get(f"/termes/{term.slug}/versions/1/").content.decode()


# --- When to ask again: the refusal says it, the page and the API send it alike -------------------------

@pytest.mark.parametrize("refusal", [ExportFailed("panne"), BuildFailed("panne", 120), BuildsBusy(5),
                                     TooManyCustomBuilds(1800)])
def test_the_page_and_the_api_give_the_delay_the_refusal_gives(client, monkeypatch, refusal):
    def refuse(*args, **kwargs):
        raise refusal

    monkeypatch.setattr(web_exports, "export_or_task", refuse)
    monkeypatch.setattr(api_exports, "export_or_task", refuse)
    page = client.get("/export/lexique-fr.epub")
    api = client.get("/api/v1/export/terms.csv")
    assert page["Retry-After"] == api["Retry-After"] == str(refusal.retry_after)


# --- A proposal closed meanwhile: one lock-and-check, the same refusal from rebase and the workflow -----

def test_a_proposal_closed_since_it_was_read_is_refused_alike_by_rebase_and_the_workflow(contributor, moderator):
    term = publish_term(moderator=moderator)
    base = term.current_revision
    proposal = _edit(term, contributor, base=base, notes_fr="Une note.")
    services.approve(_edit(term, UserFactory(), base=base, definition_fr="Nouvelle."), by=moderator)
    seen = Revision.objects.get(pk=proposal.pk)  # as the author's page read it: open, and stale
    assert services.can_rebase(seen)
    services.reject(Revision.objects.get(pk=proposal.pk), by=moderator, reason="Non.")
    attempts = {
        "rebase": lambda: services.rebase(revision=seen, author=contributor),
        "approve": lambda: services.approve(seen, by=UserFactory(moderator=True), confirm_stale=True),
        "withdraw": lambda: services.withdraw(revision=seen, author=contributor),
        "amend": lambda: services.amend(revision=seen, author=contributor, content=seen.content()),
    }
    refusals = {}
    for name, attempt in attempts.items():
        with pytest.raises(services.WorkflowError) as caught:
            attempt()
        refusals[name] = str(caught.value.message)
    assert set(refusals.values()) == {"Cette proposition est close (état : refusée)."}, refusals
    assert Revision.objects.get(pk=proposal.pk).state == Revision.State.REJECTED
    assert not Revision.objects.filter(replaces=proposal).exists()


# --- Feeds: the reader's language, and the HTML stored when the version was approved ---------------------

def test_the_feeds_serve_the_stored_html_of_each_version_in_the_readers_language(client, moderator):
    term = publish_term(moderator=moderator, definition_fr="Première *version*.", definition_en="First *version*.")
    services.approve(_edit(term, UserFactory(), definition_fr="Seconde *version*.", definition_en="Second *one*."),
                     by=moderator)
    # A mark only the stored HTML holds: a feed that rendered the Markdown again would not show it.
    Term.objects.filter(pk=term.pk).update(definition_html_fr="<p>Rendue une fois.</p>",
                                           definition_html_en="<p>Rendered once.</p>")
    for prefix, stored, older in (("", "Rendue une fois.", "Première <em>version</em>."),
                                  ("/en", "Rendered once.", "First <em>version</em>.")):
        new_terms = client.get(f"{prefix}/flux/nouveaux-termes.atom").content.decode()
        assert f"&lt;p&gt;{stored}&lt;/p&gt;" in new_terms and "version&lt;/em&gt;" not in new_terms, prefix
        updates = client.get(f"{prefix}/flux/mises-a-jour.atom").content.decode()
        # The published version reads what was stored; the one before it, never stored, is rendered from its source.
        assert f"&lt;p&gt;{stored}&lt;/p&gt;" in updates and older.replace("<", "&lt;").replace(">", "&gt;") in updates


# --- Which format, language and domains an export is asked in: one check, one message --------------------

def test_an_unknown_domain_gets_the_same_refusal_from_both_commands_the_downloads_and_the_api(tmp_path, client):
    publish_term()
    with pytest.raises(OptionsError) as caught:
        asked_export("csv", domains=["nulle-part"])
    message = str(caught.value)
    assert message == "Domaine inconnu : nulle-part" and caught.value.field == "domains"
    refusals = []
    for command, arguments in (("export", ["--format", "csv"]), ("export", ["--format", "epub"]), ("export_epub", [])):
        with pytest.raises(CommandError) as refused:
            call_command(command, *arguments, "--domain", "nulle-part", "-o", str(tmp_path / "out"),
                         stdout=io.StringIO(), stderr=io.StringIO())
        refusals.append(str(refused.value))
    assert refusals == [message] * 3
    assert list(tmp_path.iterdir()) == []
    api = client.get("/api/v1/export/terms.csv", {"domain": "nulle-part"})
    assert api.status_code == 400 and api.json()["errors"]["domain"] == [message]
    page = client.get("/export/lexique-fr.epub", {"domaine": "nulle-part"})
    assert page.status_code == 400 and page.context["form"].errors["domaine"] == [message]


def test_an_unknown_language_gets_the_same_refusal_from_both_commands_and_the_downloads(tmp_path, client):
    with pytest.raises(OptionsError) as caught:
        asked_export("epub", lang="de")
    refusals = []
    for command, arguments in (("export", ["--format", "epub", "--lang", "de"]), ("export_epub", ["--lang", "de"])):
        with pytest.raises(CommandError) as refused:
            call_command(command, *arguments, "-o", str(tmp_path / "out"), stdout=io.StringIO(), stderr=io.StringIO())
        refusals.append(str(refused.value))
    assert str(caught.value) == "Langue inconnue : de." and refusals == [str(caught.value)] * 2
    page = client.get("/telechargements/", {"langue": "de"})
    assert page.status_code == 400 and page.context["form"].errors["langue"] == [str(caught.value)]


@pytest.mark.parametrize("lang", ["bilingue", "bilingual"])
def test_the_address_words_and_the_export_languages_both_name_a_book(client, lang):
    assert asked_export("epub", lang=lang)[1].lang == "bilingual"
    assert client.get("/telechargements/", {"langue": lang})["Location"] == "/export/lexique-bilingue.epub"


# --- The site's name and title: its own templates, read by everything that names the site ---------------

SITE_NAME, SITE_TITLE = "Glossaire des arts", "Glossaire des arts de la scène"


def _site_folder(tmp_path, settings, name, title):
    """A site's own templates folder, first in TEMPLATES["DIRS"] as SITE_TEMPLATES puts it, naming the site."""
    folder = tmp_path / name.replace(" ", "-")
    (folder / "lexique" / "site").mkdir(parents=True)
    (folder / "lexique" / "site" / "name.html").write_text(name + "\n")
    (folder / "lexique" / "site" / "title.html").write_text(title + "\n")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [folder, *templates[0]["DIRS"][1:]]
    settings.TEMPLATES = templates


@pytest.fixture
def renamed_site(tmp_path, settings):
    _site_folder(tmp_path, settings, SITE_NAME, SITE_TITLE)


def _written(tmp_path, exporter_class, options=None):
    path = tmp_path / f"out.{exporter_class.extension}"
    exporter_class(options or ExportOptions(lang="bilingual")).write(path)
    return path


def test_feeds_citations_structured_data_exports_and_the_error_page_say_the_sites_own_name(
        tmp_path, client, renamed_site, settings):
    term = publish_term()
    feed = etree.fromstring(client.get("/flux/nouveaux-termes.atom").content)
    assert feed.findtext(f"{ATOM}title") == f"{SITE_NAME} : nouveaux termes"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == SITE_TITLE
    page = client.get(f"/termes/{term.slug}/").content.decode()
    assert f'title="{SITE_NAME} : nouveaux termes"' in page  # the page's link to the feed
    structured = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert structured["inDefinedTermSet"]["name"] == SITE_TITLE
    revision = term.current_revision
    assert f"dans {SITE_TITLE}," in citations.citation_text(term, revision)
    assert f"howpublished = {{{SITE_TITLE}}}" in citations.bibtex(term, revision)

    with zipfile.ZipFile(_written(tmp_path, EpubExporter, ExportOptions(lang="fr"))) as book:
        opf = book.read("EPUB/content.opf").decode()
    assert f'<dc:title id="title">{SITE_TITLE}</dc:title>' in opf
    assert f"<dc:publisher>Communauté du {SITE_NAME}</dc:publisher>" in opf
    assert f'"{SITE_NAME}"@fr' in _written(tmp_path, SkosTurtleExporter).read_text()
    assert f"<title>{SITE_NAME}</title>" in _written(tmp_path, TbxExporter).read_text()

    settings.ROOT_URLCONF = "tests.support.crashing_urls"
    error = Client(raise_request_exception=False).get("/crash/")
    assert error.status_code == 500 and f"Erreur du serveur — {SITE_NAME}" in error.content.decode()
    assert f"indisponible — {SITE_NAME}" in unavailable_page(None).content.decode()  # no database needed


def test_by_default_everything_says_the_lexicons_own_name(tmp_path, client):
    publish_term()
    feed = etree.fromstring(client.get("/en/flux/mises-a-jour.atom").content)
    assert feed.findtext(f"{ATOM}title") == "Lexique: new and updated terms"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Lexicon of digital transformation in culture"
    with zipfile.ZipFile(_written(tmp_path, EpubExporter, ExportOptions(lang="en"))) as book:
        assert ('<dc:title id="title">Lexicon of digital transformation in culture</dc:title>'
                in book.read("EPUB/content.opf").decode())


def test_an_edition_keeps_the_name_it_was_published_under(tmp_path, settings, moderator):
    publish_term()
    _site_folder(tmp_path, settings, SITE_NAME, SITE_TITLE)
    publish_edition(number="2026.1", by=moderator)
    _site_folder(tmp_path, settings, "Autre nom", "Un autre titre")  # renamed since
    edition = ExportOptions(lang="bilingual", edition="2026.1")
    assert f"<title>{SITE_NAME}</title>" in _written(tmp_path, TbxExporter, edition).read_text()
    assert "<title>Autre nom</title>" in _written(tmp_path, TbxExporter).read_text()


def test_an_edition_published_before_names_were_kept_prints_the_names_its_files_always_had(tmp_path, moderator):
    publish_term()
    publish_edition(number="2026.1", by=moderator)
    # As migration 0016 left the editions published before it (past the guard that keeps editions frozen).
    QuerySet.update(Edition.objects.all(), names={})
    edition = ExportOptions(lang="fr", edition="2026.1")
    with zipfile.ZipFile(_written(tmp_path, EpubExporter, edition)) as book:
        opf = book.read("EPUB/content.opf").decode()
    assert '<dc:title id="title">Lexique de la transformation numérique des organisations culturelles</dc:title>' in opf
    assert "<dc:publisher>Communauté du Lexique</dc:publisher>" in opf
    skos = _written(tmp_path, SkosTurtleExporter, ExportOptions(lang="bilingual", edition="2026.1")).read_text()
    assert '"Lexique"@fr' in skos and '"Lexicon"@en' in skos


def test_e_mails_are_sent_in_the_sites_own_name(renamed_site, moderator, django_capture_on_commit_callbacks):
    author = UserFactory(email="camille@example.org")
    revision = services.propose_term(author=author, content=content(headword_fr="régie"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(revision, by=moderator, reason="Doublon.")
    assert [message.subject for message in mail.outbox] == [f"[{SITE_NAME}] « régie » : refusée"]
