"""The lexicon's pages, with French paths a person can read and share."""
from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from lexique.publishing.feeds import NewTermsFeed, PublicationsFeed, RecentChangesFeed
from lexique.web.views import (
    accounts,
    concepts,
    contribute,
    contributors,
    discussion,
    editions,
    exports,
    imports,
    moderation,
    opds,
    reading,
    reports,
    tasks,
    versions,
)

app_name = "lexique"

urlpatterns = [
    path("", reading.home, name="home"),
    path("recherche/", reading.search, name="search"),
    path("recherche/suggestions/", reading.suggestions, name="suggestions"),
    path("lettres/", reading.letter_index, name="letters"),
    path("lettres/<str:letter>/", reading.letter_index, name="letter"),
    path("domaines/", reading.domain_list, name="domains"),
    path("domaines/<slug:slug>/", reading.domain_detail, name="domain"),
    # The term's stable URI: its RDF for a client that asks for it, else the page (below).
    path("termes/<slug:slug>/", concepts.term, name="term-negotiated"),
    path("termes/<slug:slug>/", reading.term_detail, name="term"),
    path("termes/<slug:slug>/historique/", reading.term_history, name="history"),
    path("termes/<slug:slug>/historique/comparer/", reading.term_diff, name="diff"),
    path("termes/<slug:slug>/versions/<int:version>/", versions.term_version, name="term-version"),
    path("termes/<slug:slug>/versions/<int:version>/citation.bib", versions.citation_file, {"kind": "bib"},
         name="citation-bibtex"),
    path("termes/<slug:slug>/versions/<int:version>/citation.json", versions.citation_file, {"kind": "csl"},
         name="citation-csl"),
    path("termes/<slug:slug>/discussion/", discussion.term_discussion, name="discussion"),
    path("termes/<slug:slug>/suivre/", discussion.follow, name="follow"),
    path("termes/<slug:slug>/signaler/", reports.report_error, name="report-error"),
    path("termes/<slug:slug>/modifier/", contribute.propose_edit, name="propose-edit"),
    path("termes/<slug:slug>/retablir/<int:number>/", moderation.revert, name="revert"),
    path("termes/<slug:slug>/retirer/", moderation.retire, name="retire"),
    path("proposer/", contribute.propose_term, name="propose"),
    path("mes-contributions/", contribute.my_contributions, name="my-contributions"),
    path("termes-suivis/", discussion.followed_terms, name="followed-terms"),
    path("modifications-recentes/", reading.recent_changes, name="recent-changes"),
    path("modifications-recentes/flux.atom", RecentChangesFeed(), name="feed-recent-changes"),
    path("contributeurs/<str:name>/", contributors.contributor, name="contributor"),
    path("propositions/<int:pk>/", contribute.proposal, name="proposal"),
    path("propositions/<int:pk>/reprendre/", contribute.resubmit, name="resubmit"),
    path("propositions/<int:pk>/modifier/", contribute.edit_proposal, name="edit-proposal"),
    path("propositions/<int:pk>/retirer/", contribute.withdraw_proposal, name="withdraw-proposal"),
    path("propositions/<int:pk>/mettre-a-jour/", contribute.rebase, name="rebase"),
    path("propositions/<int:pk>/commentaires/", discussion.comment_on_proposal, name="proposal-comment"),
    path("commentaires/<int:pk>/masquer/", discussion.hide_comment, name="hide-comment"),
    path("moderation/", moderation.queue, name="queue"),
    path("moderation/propositions/<int:pk>/", moderation.review, name="review"),
    path("moderation/signalements/", reports.report_list, name="reports"),
    path("moderation/signalements/<int:pk>/", reports.handle_report, name="handle-report"),
    path("moderation/journal/", moderation.log, name="log"),
    path("moderation/import/", imports.import_terms, name="import"),
    path("flux/nouveaux-termes.atom", NewTermsFeed(), name="feed-new"),
    path("flux/mises-a-jour.atom", PublicationsFeed(), name="feed-updates"),
    path("editions/", editions.edition_list, name="editions"),
    path("editions/comparer/", editions.edition_compare, name="edition-compare"),
    path("editions/<str:number>/", editions.edition_detail, name="edition"),
    path("editions/<str:number>/SHA256SUMS", editions.edition_sums, name="edition-sums"),
    path("editions/<str:number>/<str:file_name>", editions.edition_file, name="edition-file"),
    path("moderation/editions/", editions.publish, name="edition-publish"),
    path("comptes/inscription/", accounts.signup, name="signup"),
    path("comptes/profil/", accounts.account, name="account"),
]

# Django's own sign-in, sign-out and password reset views, under readable paths.
account_urlpatterns = [
    path("comptes/connexion/", auth_views.LoginView.as_view(), name="login"),
    path("comptes/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("comptes/confirmation/<uidb64>/<token>/", accounts.confirm_email, name="confirm-email"),
    path("comptes/desabonnement/<str:token>/", accounts.unsubscribe, name="unsubscribe"),
    path("comptes/mot-de-passe/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("comptes/mot-de-passe/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("comptes/mot-de-passe/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("comptes/mot-de-passe/termine/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]

# The downloads page and the stable e-book addresses: outside the "lexique" namespace, as they always were.
download_urlpatterns = [
    re_path(r"^telechargements/$", exports.downloads, name="downloads"),
    re_path(r"^taches/(?P<identifier>[a-z]+-[0-9a-f]{40})/$", tasks.task_page, name="task"),
    re_path(r"^export/lexique-(?P<variant>fr|en|bilingue)\.epub$", exports.export_epub, name="export-epub"),
    # The OPDS catalogue, for reading apps.
    path("opds/", opds.root, name="opds"),
    path("opds/lexique/", opds.whole, name="opds-whole"),
    path("opds/langues/", opds.languages, name="opds-languages"),
    re_path(r"^opds/langues/(?P<variant>fr|en|bilingue)/$", opds.language, name="opds-language"),
    path("opds/domaines/", opds.domains, name="opds-domains"),
    path("opds/domaines/<slug:slug>/", opds.domain, name="opds-domain"),
    path("opds/editions/", opds.edition_list, name="opds-editions"),
    path("opds/editions/<str:number>/", opds.edition, name="opds-edition"),
    path("opds/recherche.xml", opds.opensearch, name="opds-opensearch"),
    path("opds/recherche/", opds.search, name="opds-search"),
    re_path(r"^export/(?P<format_name>stardict|kobo)-(?P<variant>fr-en|en-fr)\.zip$", exports.export_dictionary,
            name="export-dictionary"),
]
