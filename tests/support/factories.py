"""Factories for the tests: users, domains, and terms published through the real workflow."""
import factory
from django.contrib.auth import get_user_model

from lexique import services
from lexique.management.commands.seed_demo import moderators_group
from lexique.models import Domain

PASSWORD = "mot-de-passe-test"  # every account UserFactory makes has it


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def moderator(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(moderators_group())
        if create:
            user.save()


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"domaine-{n}")
    name_fr = factory.Sequence(lambda n: f"Domaine {n}")
    name_en = factory.Sequence(lambda n: f"Domain {n}")


def content(**overrides):
    """A valid proposal content, in both languages."""
    data = {
        "headword_fr": "métadonnées",
        "headword_en": "metadata",
        "definition_fr": "Données qui *décrivent* une œuvre.",
        "definition_en": "Data that *describe* a work.",
        "category": "n. f. pl.",
    }
    data.update(overrides)
    return data


def publish_term(*, author=None, moderator=None, **overrides):
    """A term proposed by a contributor and approved by a moderator, through the services."""
    author = author or UserFactory()
    moderator = moderator or UserFactory(moderator=True)
    revision = services.propose_term(author=author, content=content(**overrides))
    services.approve(revision, by=moderator)
    revision.term.refresh_from_db()
    return revision.term
