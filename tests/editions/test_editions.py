"""Numbered editions: frozen byte for byte in every format, answered by the API, compared on the site."""
import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from lexique import services
from lexique.interop.published import ExportOptions
from lexique.interop.registry import EXPORTERS
from lexique.models import Domain, Edition, EditionEntry, EditionImmutableError, Revision, Term
from lexique.editions.services import publish_edition
from tests.support.exports_data import rich_lexicon
from tests.support.factories import UserFactory, content, publish_term

pytestmark = pytest.mark.usefixtures("fresh_api_cache")

# Every file of an edition: each EPUB variant and each terminology format.
# Each variant of each format: the books' languages, the dictionaries' directions, the data files' one.
VARIANTS = [(name, lang) for name, exporter_class in EXPORTERS.items() for lang in exporter_class.variants.values()]
EDITION_FILES = ["lexique-fr.epub", "lexique-en.epub", "lexique-bilingue.epub", "lexique-skos.ttl",
                 "lexique-skos.rdf", "lexique-skos.jsonld", "lexique-termes.tbx", "lexique-termes.csv",
                 "lexique-stardict-fr-en.zip", "lexique-stardict-en-fr.zip", "dicthtml-fr-en.zip", "dicthtml-en-fr.zip"]
API_FILES = ["skos.ttl", "skos.rdf", "skos.jsonld", "terms.tbx", "terms.csv"]


@pytest.fixture(autouse=True)
def export_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://lexique.test"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}


def written(tmp_path, name, lang, **options):
    exporter_class = EXPORTERS[name]
    path = tmp_path / f"{name}-{lang}-{hashlib.md5(repr(options).encode()).hexdigest()}.{exporter_class.extension}"
    exporter_class(ExportOptions(lang=lang, **options)).write(path)
    return path.read_bytes()


def change_everything(moderator):
    """After the edition: an edit approved, a term retired, a new term, a domain renamed."""
    term = Term.objects.get(slug="decouvrabilite")
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content={**term.current_revision.content(), "definition_fr": "Tout autre chose."})
    services.approve(edit, by=moderator)
    services.retire(Term.objects.get(slug="nft"), by=moderator, reason="doublon")
    publish_term(moderator=moderator, headword_fr="billetterie", headword_en="ticketing", definition_fr="Vente.")
    Domain.objects.filter(slug="patrimoine").update(name_fr="Mémoire")


@pytest.mark.django_db
def test_an_edition_keeps_its_content_byte_for_byte_in_every_format_after_later_changes(tmp_path):
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    edition = publish_edition(number="2026.1", note="Première édition.", by=moderator)
    before = {(name, lang): written(tmp_path, name, lang, edition="2026.1") for name, lang in VARIANTS}

    change_everything(moderator)
    after = {(name, lang): written(tmp_path, name, lang, edition="2026.1") for name, lang in VARIANTS}

    assert after == before
    # The frozen content, not an empty file that would trivially stay equal.
    csv = before[("csv", "bilingual")].decode("utf-8")
    assert "trouvé" in csv and "Tout autre chose" not in csv and "NFT" in csv and "billetterie" not in csv
    assert edition.term_count == 3
    # What the live set gives now is another thing.
    assert written(tmp_path, "csv", "bilingual") != before[("csv", "bilingual")]


@pytest.mark.django_db
def test_an_edition_written_at_once_is_what_the_published_set_gave_then(tmp_path):
    rich_lexicon()
    publish_edition(number="1", by=UserFactory(moderator=True))
    # The terminology formats carry no date: frozen and live agree to the byte.
    for name in ("skos-ttl", "skos-rdf", "skos-jsonld", "tbx", "csv"):
        assert written(tmp_path, name, "bilingual", edition="1") == written(tmp_path, name, "bilingual"), name
        assert written(tmp_path, name, "bilingual", edition="1", domains=("patrimoine",)) == written(
            tmp_path, name, "bilingual", domains=("patrimoine",)), name


@pytest.mark.django_db
def test_the_permanent_addresses_and_the_api_serve_the_same_bytes_on_every_download(client, tmp_path):
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    publish_edition(number="2026.1", by=moderator)
    first = {name: b"".join(client.get(f"/editions/2026.1/{name}").streaming_content) for name in EDITION_FILES}
    api_first = {name: b"".join(APIClient().get(f"/api/v1/export/{name}?edition=2026.1").streaming_content)
                 for name in API_FILES}

    change_everything(moderator)
    for name in EDITION_FILES:
        response = client.get(f"/editions/2026.1/{name}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == first[name], name
        assert "immutable" in response["Cache-Control"]
    for name in API_FILES:
        assert b"".join(APIClient().get(f"/api/v1/export/{name}?edition=2026.1").streaming_content) == api_first[name]
    assert api_first["terms.csv"] == first["lexique-termes.csv"]
    # Files built once: dropping the store's copy gives the same bytes back.
    for path in (tmp_path / "media" / "exports" / "editions" / "2026.1").iterdir():
        path.unlink()
    for name in EDITION_FILES:
        assert b"".join(client.get(f"/editions/2026.1/{name}").streaming_content) == first[name], name


@pytest.mark.django_db
def test_the_api_answers_an_edition_with_the_terms_as_they_were():
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    publish_edition(number="2026.1", by=moderator)
    old_revision = Term.objects.get(slug="decouvrabilite").current_revision_id
    change_everything(moderator)

    page = APIClient().get("/api/v1/terms/?edition=2026.1").json()
    assert [term["slug"] for term in page["results"]] == ["decouvrabilite", "metadonnees", "nft"]
    assert page["count"] == 3 and page["edition"] == "2026.1"
    term = APIClient().get("/api/v1/terms/decouvrabilite/?edition=2026.1").json()
    assert term["definition"]["fr"].startswith("Capacité d'un contenu")
    assert "<em>trouvé</em>" in term["definition_html"]["fr"]
    assert term["revision"] == old_revision
    assert {domain["slug"]: domain["name"]["fr"] for domain in term["domains"]}["patrimoine"] == "Patrimoine"
    nft = APIClient().get("/api/v1/terms/nft/?edition=2026.1&lang=fr").json()
    assert [related["slug"] for related in nft["related"]] == ["decouvrabilite", "metadonnees"]
    assert nft["headword"] == {"fr": "NFT"}
    # Retired since, yet in the edition; new since, not in it.
    assert APIClient().get("/api/v1/terms/nft/").status_code == 410
    assert APIClient().get("/api/v1/terms/billetterie/?edition=2026.1").status_code == 404
    live = APIClient().get("/api/v1/terms/decouvrabilite/").json()
    assert live["definition"]["fr"] == "Tout autre chose."


@pytest.mark.django_db
def test_an_unknown_edition_is_a_404_and_a_malformed_number_a_400():
    publish_term()
    publish_edition(number="2026.1", by=UserFactory(moderator=True))
    for query, status in (("edition=1999.9", 404), ("edition=", 400), ("edition=deux", 400)):
        assert APIClient().get(f"/api/v1/terms/?{query}").status_code == status, query
        assert APIClient().get(f"/api/v1/terms/metadonnees/?{query}").status_code == status, query
        assert APIClient().get(f"/api/v1/export/terms.csv?{query}").status_code == status, query
    assert APIClient().get("/api/v1/export/terms.csv?edition=2026.1&domain=x").status_code == 400


@pytest.mark.django_db
def test_the_filters_of_the_term_list_apply_to_an_edition():
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    publish_edition(number="2026.1", by=moderator)
    change_everything(moderator)

    def slugs(query):
        response = APIClient().get(f"/api/v1/terms/?edition=2026.1&{query}")
        assert response.status_code == 200, response.content
        return [term["slug"] for term in response.json()["results"]]

    # As the edition has them: "patrimoine" then held the first two, "nft" was not retired yet.
    assert slugs("domain=patrimoine") == ["decouvrabilite", "metadonnees"]
    assert slugs("q=METADONNEES") == ["metadonnees"]
    assert slugs("letter=N") == ["nft"]
    assert slugs("ordering=-headword") == ["nft", "metadonnees", "decouvrabilite"]
    assert APIClient().get("/api/v1/terms/?edition=2026.1&letter=?").status_code == 400


@pytest.mark.django_db
def test_publishing_an_edition_is_for_moderators_with_a_valid_new_number(contributor, moderator):
    publish_term()
    with pytest.raises(services.PermissionDenied):
        publish_edition(number="2026.1", by=contributor)
    with pytest.raises(services.ValidationError):
        publish_edition(number="édition un", by=moderator)
    publish_edition(number="2026.1", by=moderator)
    with pytest.raises(services.ValidationError):
        publish_edition(number="2026.1", by=moderator)
    # Nothing published since: a second edition would be the same.
    with pytest.raises(services.WorkflowError):
        publish_edition(number="2026.2", by=moderator)
    assert Edition.objects.count() == 1


@pytest.mark.django_db
def test_an_edition_can_be_neither_changed_nor_deleted(moderator):
    publish_term()
    edition = publish_edition(number="2026.1", by=moderator)
    edition.note = "autre"
    with pytest.raises(EditionImmutableError):
        edition.save()
    with pytest.raises(EditionImmutableError):
        Edition.objects.update(note="autre")
    with pytest.raises(EditionImmutableError):
        EditionEntry.objects.all().delete()
    assert Edition.objects.get().note == ""


@pytest.mark.django_db
def test_the_editions_page_shows_what_changed_between_two_editions_with_word_diffs(client):
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    publish_edition(number="2026.1", by=moderator)
    change_everything(moderator)
    publish_edition(number="2026.2", note="Deuxième édition.", by=moderator)

    listing = client.get("/editions/").content.decode()
    assert "2026.1" in listing and "2026.2" in listing and "Deuxième édition." in listing
    page = client.get("/editions/comparer/?de=2026.1&a=2026.2").content.decode()
    added, changed, retired = (page.index(marker) for marker in ('id="ajouts"', 'id="modifications"', 'id="retraits"'))
    assert "billetterie" in page[added:changed]
    assert "découvrabilité" in page[changed:retired] and "<ins>Tout autre chose.</ins>" in page[changed:retired]
    assert "NFT" in page[retired:]
    assert client.get("/editions/comparer/?de=2026.1&a=3000").status_code == 404
    detail = client.get("/editions/2026.2/").content.decode()
    assert "/editions/2026.2/lexique-skos.ttl" in detail and "/editions/2026.2/lexique-bilingue.epub" in detail


@pytest.mark.django_db
def test_a_moderator_publishes_an_edition_from_the_site_and_others_cannot(client, contributor, moderator):
    publish_term()
    client.force_login(contributor)
    assert client.post("/moderation/editions/", {"number": "2026.1"}).status_code == 403
    client.force_login(moderator)
    assert client.get("/moderation/editions/").status_code == 200
    response = client.post("/moderation/editions/", {"number": "2026.1", "note": "Pour la formation."})
    assert response.status_code == 302 and response["Location"] == "/editions/2026.1/"
    assert Edition.objects.get().note == "Pour la formation."
    again = client.post("/moderation/editions/", {"number": "2026.1"})
    assert again.status_code == 400 and "existe déjà" in again.content.decode()
    assert Edition.objects.count() == 1


@pytest.mark.django_db
def test_the_command_publishes_an_edition_and_refuses_a_bad_one(moderator, capsys):
    publish_term()
    call_command("publish_edition", "2026.1", "--note", "De la ligne de commande.", "--by", moderator.username)
    assert Edition.objects.get().number == "2026.1"
    assert "2026.1" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("publish_edition", "2026.1", "--by", moderator.username)
    with pytest.raises(CommandError):
        call_command("publish_edition", "2026.2", "--by", "personne-inconnue")


@pytest.mark.django_db
def test_approvals_after_an_edition_leave_its_entries_alone(moderator):
    term = publish_term(moderator=moderator)
    edition = publish_edition(number="1", by=moderator)
    frozen = list(edition.entries.values_list("term_id", "revision_id"))
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content=content(definition_fr="Autre."))
    services.approve(edit, by=moderator)
    assert list(edition.entries.values_list("term_id", "revision_id")) == frozen
    assert Revision.objects.get(pk=frozen[0][1]).definition_fr != "Autre."


@pytest.mark.django_db
def test_a_comparison_of_two_editions_is_computed_once_however_many_pages_are_read(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rich_lexicon()
    moderator = UserFactory(moderator=True)
    publish_edition(number="2026.1", by=moderator)
    change_everything(moderator)
    publish_edition(number="2026.2", by=moderator)
    entries = EditionEntry._meta.db_table
    with CaptureQueriesContext(connection) as first:
        assert client.get("/editions/comparer/?de=2026.1&a=2026.2").status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get("/editions/comparer/?de=2026.1&a=2026.2&page=1").status_code == 200
    assert any(entries in query["sql"] for query in first.captured_queries)
    # Both editions' entries are read once; later pages read only their own texts.
    assert not any(entries in query["sql"] for query in again.captured_queries)


@pytest.mark.django_db
def test_any_page_number_of_a_comparison_names_one_task_the_page_it_shows():
    from lexique.editions.selectors import comparison_task, edition_changes

    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    old = publish_edition(number="2026.1", by=moderator)
    edit = services.propose_edit(term=term, author=UserFactory(), base_revision=term.current_revision,
                                 content=content(definition_fr="Autre."))
    services.approve(edit, by=moderator)
    new = publish_edition(number="2026.2", by=moderator)
    # Before the comparison is made, past the end of what the editions could hold: their last possible page.
    assert comparison_task(old, new, 10**9, "fr") == comparison_task(old, new, 2, "fr")
    assert comparison_task(old, new, 10**9, "fr")[1] == 1
    edition_changes(old, new)
    # Once made, any number past its one page of changes is that page, and one task.
    tasks = {comparison_task(old, new, number, "fr") for number in (0, 1, 2, 999_999_999)}
    assert len(tasks) == 1 and tasks.pop()[1] == 1
    assert comparison_task(old, new, 1, "en") != comparison_task(old, new, 1, "fr")


@pytest.mark.django_db
def test_publishing_through_the_task_queue_is_one_publication_however_often_the_task_runs(moderator):
    from lexique.editions.tasks import publish_edition_task

    publish_term(moderator=moderator)
    asked = {"number": "2026.1", "note": "Première.", "by": moderator.pk, "location": "/editions/2026.1/"}
    first = publish_edition_task.apply(kwargs=asked).result
    # Run again (a worker lost before it acknowledged the task): the edition it published, not a refusal.
    again = publish_edition_task.apply(kwargs=asked).result
    assert first == again == {"location": "/editions/2026.1/", "total": 1}
    assert Edition.objects.filter(number="2026.1").count() == 1
    # Another moderator asking for a number taken is refused, with the reason, and nothing is written.
    other = UserFactory(moderator=True)
    refused = publish_edition_task.apply(kwargs={**asked, "by": other.pk}).result
    assert refused["failed"] and "2026.1 existe déjà" in refused["detail"]
    assert Edition.objects.count() == 1
