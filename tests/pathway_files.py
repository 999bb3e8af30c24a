"""Pathway files for tests: a valid pathway in both languages, with any part
overridden, written the way the working group writes them."""
from __future__ import annotations

from pathlib import Path

import yaml


def pathway_meta(slug: str = "first-steps", steps: list[list[str]] | None = None, **overrides) -> dict:
    """Front matter of a valid pathway whose step N lists ``steps[N-1]`` (resource slugs);
    ``steps`` that are not lists of slugs are written as given (to test bad files)."""
    steps = steps if steps is not None else [["resource-1"], ["resource-2"]]
    if isinstance(steps, list) and all(isinstance(slugs, list) for slugs in steps):
        steps = [{"title": {"en": f"Step title {n}", "fr": f"Titre de l'étape {n}"},
                  "text": {"en": f"What to do in step {n}.", "fr": f"Quoi faire à l'étape {n}."},
                  "resources": list(slugs)} for n, slugs in enumerate(steps, start=1)]
    meta = {
        "slug": slug,
        "title": {"en": f"Pathway {slug}", "fr": f"Parcours {slug}"},
        "introduction": {"en": "Where to *begin*.", "fr": "Par où *commencer*."},
        "steps": steps,
    }
    meta.update(overrides)
    return {k: v for k, v in meta.items() if v is not None}


def pathway_text(slug: str = "first-steps", steps: list[list[str]] | None = None, *, body: str = "",
                 **overrides) -> str:
    meta = yaml.safe_dump(pathway_meta(slug, steps, **overrides), sort_keys=False, allow_unicode=True)
    return f"---\n{meta}---\n{body}"


def write_pathway(folder: Path, slug: str = "first-steps", steps: list[list[str]] | None = None,
                  **overrides) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(pathway_text(slug, steps, **overrides), encoding="utf-8")
    return path
