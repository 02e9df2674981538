"""Public contributor pages, for those who agree to them: their approved versions, their name linked there."""
import pytest

from lexique import services
from lexique.models import ContributorPreferences
from lexique.services.preferences import set_public_contributions
from tests.support.factories import UserFactory, content, publish_term

pytestmark = pytest.mark.django_db


def edit(term, author, summary="", **changes):
    term.refresh_from_db()
    return services.propose_edit(term=term, author=author, base_revision=term.current_revision,
                                 content=content(**changes), summary=summary)


def test_the_account_setting_is_off_by_default_and_turns_the_page_on_and_off(client, contributor):
    publish_term(author=contributor)
    url = f"/contributeurs/{contributor.username}/"
    assert client.get(url).status_code == 404
    client.force_login(contributor)
    account = client.get("/comptes/profil/").content.decode()
    assert 'name="public_contributions" value="on">' in account  # unchecked
    client.post("/comptes/profil/", {"public_contributions": ["off", "on"]})
    assert ContributorPreferences.objects.get(user=contributor).public_contributions is True
    assert client.get(url).status_code == 200
    client.post("/comptes/profil/", {"public_contributions": "off"})
    assert client.get(url).status_code == 404


def test_the_page_lists_approved_contributions_only_in_both_languages(client, contributor, moderator):
    term = publish_term(author=contributor, moderator=moderator)
    services.propose_term(author=contributor, content=content(headword_fr="balado", headword_en="podcast"))
    rejected = edit(term, contributor, "Refusée", definition_fr="Une définition refusée.")
    services.reject(rejected, by=moderator, reason="Non.")
    better = edit(term, contributor, "Plus clair", definition_fr="Mieux dit.")
    services.approve(better, by=moderator)
    set_public_contributions(contributor, public=True)
    page = client.get(f"/contributeurs/{contributor.username}/").content.decode()
    assert f"Contributions de {contributor.username}" in page and "2 versions approuvées" in page
    assert f"/termes/{term.slug}/versions/2/" in page and f"/termes/{term.slug}/versions/1/" in page
    assert "Plus clair" in page and "Refusée" not in page and "balado" not in page
    english = client.get(f"/en/contributeurs/{contributor.username}/").content.decode()
    assert f"Contributions by {contributor.username}" in english and f"/en/termes/{term.slug}/versions/2/" in english


def test_an_unknown_name_and_a_person_who_did_not_agree_get_the_same_404(client, contributor):
    publish_term(author=contributor)
    inactive = UserFactory(is_active=False)
    set_public_contributions(inactive, public=True)
    for name in (contributor.username, "personne-inconnue", inactive.username):
        assert client.get(f"/contributeurs/{name}/").status_code == 404


def test_author_names_link_to_their_page_only_with_consent(client, moderator):
    agreed, declined = UserFactory(), UserFactory()
    term = publish_term(author=declined, moderator=moderator)
    services.approve(edit(term, agreed, definition_fr="Autre."), by=moderator)
    set_public_contributions(agreed, public=True)
    history = client.get(f"/termes/{term.slug}/historique/").content.decode()
    assert f'<a href="/contributeurs/{agreed.username}/">{agreed.username}</a>' in history
    assert declined.username in history and f"/contributeurs/{declined.username}/" not in history
    # A signed-in reader's term page names the authors of pending proposals the same way.
    edit(term, agreed, definition_fr="Encore autre.")
    edit(term, declined, definition_fr="Et encore.")
    client.force_login(moderator)
    page = client.get(term.get_absolute_url()).content.decode()
    assert f'<a href="/contributeurs/{agreed.username}/">{agreed.username}</a>' in page
    assert f"/contributeurs/{declined.username}/" not in page


def test_linking_authors_costs_no_query_per_version(client, moderator):
    from tests.support.helpers import queries

    term = publish_term(moderator=moderator)
    before = queries(client, f"/termes/{term.slug}/historique/")
    for _ in range(3):
        author = UserFactory()
        set_public_contributions(author, public=True)
        services.approve(edit(term, author, definition_fr=f"Version de {author.username}."), by=moderator)
    assert queries(client, f"/termes/{term.slug}/historique/") == before
