"""The lexicon application."""
import atexit
import gc

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Modules that connect receivers or register checks and import no model: loaded with the app.
from lexique.platform import checks  # noqa: F401 (registers the system checks)
from lexique.search import (
    indexes,  # noqa: F401 (keeps the search indexes after migrations, sets pg_trgm's threshold)
    listing,  # noqa: F401 (keeps the domains' listing triggers after migrations)
)


class LexiqueConfig(AppConfig):
    name = "lexique"
    verbose_name = _("Lexique")

    def ready(self) -> None:
        # Modules that import models, loaded once the models are (Django's place for signal receivers).
        from lexique.platform import signin  # noqa: F401 (a successful sign-in marks its device as known)
        from lexique.publishing import (
            caching,  # noqa: F401 (the published set's version follows each publication)
            figures,  # noqa: F401 (keeps the published figures' triggers after migrations)
        )
        from lexique.publishing import (
            tasks as publishing_tasks,  # noqa: F401 (the sitemap follows each publication)
        )
        from lexique.search import suggestions  # noqa: F401 (keeps a term's suggestions after each save)
        from lexique.services import (
            accounts,  # noqa: F401 (tells an owner that their account is being guessed)
            tokens,  # noqa: F401 (revokes API tokens when a password changes)
        )
        from lexique.web import (
            admin,  # noqa: F401 (the admin pages of the models; Django looks for lexique.admin only)
            signals,  # noqa: F401 (asks at sign-in to confirm an unconfirmed address)
        )

        # At exit the interpreter runs several full collections over every object left: with Django
        # loaded, a tenth of a second for each command, only to free memory the system takes back
        # anyway. Frozen objects are passed over (finalizers at exit are not promised either way).
        atexit.register(gc.freeze)
