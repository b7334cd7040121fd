"""Pages of the qa feature (mounted at the site root by practica.urls: paths are full)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practica.qa import views

app_name = "qa"
Q = "c/<slug:slug>/questions/"
ONE = Q + "<int:post_id>/"
A = "c/<slug:slug>/answers/<int:answer_id>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path(Q, views.questions, name="questions"),
    path(Q + "ask/", views.ask, name="ask"),
    path(Q + "similar/", views.similar, name="similar"),
    path(Q + "settings/", views.qa_settings, name="settings"),
    path(ONE, views.question, name="question"),
    path(ONE + "answer/", views.answer, name="answer"),
    path(ONE + "comment/", views.comment, name="comment"),
    path(ONE + "vote/", views.vote_post, name="vote"),
    path(ONE + "unaccept/", views.unaccept, name="unaccept"),
    path(ONE + "edit/", views.edit, name="edit"),
    path(ONE + "history/", views.history, name="history"),
    path(ONE + "delete/", views.delete, name="delete"),
    path(ONE + "restore/", views.restore, name="restore"),
    path(ONE + "duplicate/", views.duplicate, name="duplicate"),
    path(ONE + "reopen/", views.reopen, name="reopen"),
    path(A + "comment/", views.answer_comment, name="answer-comment"),
    path(A + "vote/", views.vote_answer, name="answer-vote"),
    path(A + "rate/", views.rate, name="rate"),
    path(A + "accept/", views.accept, name="accept"),
    path(A + "edit/", views.answer_edit, name="answer-edit"),
    path(A + "history/", views.answer_history, name="answer-history"),
    path(A + "delete/", views.answer_delete, name="answer-delete"),
    path(A + "restore/", views.answer_restore, name="answer-restore"),
    path(
        "c/<slug:slug>/comments/<int:comment_id>/delete/",
        views.comment_delete,
        name="comment-delete",
    ),
    path("c/<slug:slug>/tags/", views.tags, name="tags"),
    path("c/<slug:slug>/tags/<slug:tag>/", views.tag_page, name="tag"),
]
