"""A pathway file: an ordered collection the working group writes, read from
front matter into ``PathwayFields`` and checked rule by rule.

A pathway is kept beside the resources and read with the same strict YAML
loader (``frontmatter.parse_text``), so a file that breaks a rule is reported
by name and reason like a resource file. Unlike a resource, a pathway is
written once for both official languages: every text is an ``{en, fr}``
mapping (the form ``hub export`` writes for a bilingual resource), and both
languages are required, since a pathway is the hub's own voice, not a
document someone else published in one language. The text lives in the front
matter (``introduction`` and each step's ``text`` are Markdown), so the body
after the front matter stays empty: one place for each language's words.

The module is pure: which resource slugs exist is passed in.
"""
from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import yaml

from hub.content.bilingual import LANGUAGES
from hub.content.frontmatter import ContentDoc
from hub.content.validation import MAX_SLUG, SLUG_RE, slugify
from hub.textclean import clean_text

#: Keys of a pathway file and of one of its steps, in the order export writes them.
PATHWAY_KEYS = ("slug", "title", "order", "introduction", "steps")
STEP_KEYS = ("title", "text", "resources")
REQUIRED_KEYS = ("title", "introduction", "steps")
MAX_TITLE = 300
MAX_INTRODUCTION = 4000
MAX_STEP_TEXT = 2000
MIN_STEPS, MAX_STEPS = 1, 12
MIN_RESOURCES, MAX_RESOURCES = 1, 8
LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def is_pathway(doc: ContentDoc) -> bool:
    """A file is a pathway when its front matter has ``steps``: no resource
    field has that name, so one import can take both kinds from one folder."""
    return "steps" in doc.meta


@dataclass(frozen=True)
class StepFields:
    titles: dict[str, str]
    texts: dict[str, str]
    resources: tuple[str, ...]


@dataclass(frozen=True)
class PathwayFields:
    slug: str
    titles: dict[str, str]
    introductions: dict[str, str]
    steps: tuple[StepFields, ...]
    #: Place in the list of pathways (smaller first); None sorts after the numbered ones.
    order: int | None = None

    def checksum(self) -> str:
        """Equal content gives an equal checksum, so an unchanged re-import is a no-op."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class PathwayValidation:
    fields: PathwayFields | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _suggest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _bilingual(value: object, where: str, limit: int, problems: list[str], *, one_line: bool) -> dict[str, str]:
    """An ``{en, fr}`` mapping of non-empty strings, each within ``limit`` characters."""
    if not isinstance(value, dict):
        problems.append(f"{where} must give both languages, as 'en:' and 'fr:' lines under it")
        return {}
    out: dict[str, str] = {}
    for key in value:
        if key not in LANGUAGES:
            problems.append(f"{where} has an unknown language '{key}' (only en and fr)")
    for lang in LANGUAGES:
        text = value.get(lang)
        if text is None or (isinstance(text, str) and not text.strip()):
            problems.append(f"missing {where} in {LANGUAGE_NAMES[lang]} ({lang})")
            continue
        if not isinstance(text, str):
            problems.append(f"{where} ({lang}) must be text")
            continue
        text = clean_text(text, multiline=not one_line).strip()
        if len(text) > limit:
            problems.append(f"{where} ({lang}) is {len(text)} characters long, over the limit of {limit}")
        out[lang] = text
    return out


def _step(raw: object, number: int, resource_exists: Callable[[str], bool], known_slugs: Callable[[], Iterable[str]],
          problems: list[str]) -> StepFields | None:
    where = f"step {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a list of 'title:', 'text:' and 'resources:' lines")
        return None
    for key in raw:
        if key not in STEP_KEYS:
            problems.append(f"{where}: unknown key '{key}'{_suggest(str(key), STEP_KEYS)}")
    titles = _bilingual(raw.get("title"), f"{where} title", MAX_TITLE, problems, one_line=True)
    texts = _bilingual(raw.get("text"), f"{where} text", MAX_STEP_TEXT, problems, one_line=False)
    listed = raw.get("resources")
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, list) or not listed:
        problems.append(f"{where} needs 'resources:', a list of {MIN_RESOURCES} to {MAX_RESOURCES} resource slugs")
        return None
    if len(listed) > MAX_RESOURCES:
        problems.append(f"{where} lists {len(listed)} resources, more than {MAX_RESOURCES}")
    slugs: list[str] = []
    for slug in listed:
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problems.append(f"{where}: '{slug}' is not a resource slug")
        elif slug in slugs:
            problems.append(f"{where} lists the resource '{slug}' twice")
        elif not resource_exists(slug):
            problems.append(f"{where}: unknown resource '{slug}'{_suggest(slug, known_slugs())}")
        else:
            slugs.append(slug)
    return StepFields(titles=titles, texts=texts, resources=tuple(slugs))


def _steps(raw_steps: object, resource_exists: Callable[[str], bool], known_slugs: Callable[[], Iterable[str]],
           problems: list[str]) -> list[StepFields]:
    """The steps in order; a step whose title repeats an earlier one's (in either language) is a problem."""
    if not isinstance(raw_steps, list) or not MIN_STEPS <= len(raw_steps) <= MAX_STEPS:
        problems.append(f"steps must be a list of {MIN_STEPS} to {MAX_STEPS} steps")
        raw_steps = raw_steps if isinstance(raw_steps, list) else []
    steps: list[StepFields] = []
    first_with_title: dict[str, int] = {}
    for number, raw in enumerate(raw_steps, start=1):
        step = _step(raw, number, resource_exists, known_slugs, problems)
        if step is None:
            continue
        keys = [f"{lang}:{title.casefold()}" for lang, title in step.titles.items()]
        repeated = next((key for key in keys if key in first_with_title), None)
        if repeated is not None:
            title = step.titles[repeated.split(":", 1)[0]]
            problems.append(f"step {number} repeats step {first_with_title[repeated]} ('{title}'): "
                            "each step needs its own title")
        for key in keys:
            first_with_title.setdefault(key, number)
        steps.append(step)
    return steps


def _slug(meta: dict[str, object], titles: dict[str, str], problems: list[str]) -> str:
    slug = meta.get("slug")
    if slug is None:
        slug = slugify(titles.get("en", ""))
    if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        problems.append(f"slug must be lowercase letters, digits and single hyphens (at most {MAX_SLUG} "
                        "characters), e.g. writing-an-anti-racism-strategy")
        return ""
    return slug


def _order(value: object, problems: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        problems.append("order must be a whole number from 1 to 1000")
        return None
    return value


def validate_pathway(doc: ContentDoc, resource_exists: Callable[[str], bool],
                     known_slugs: Callable[[], Iterable[str]] = tuple) -> PathwayValidation:
    """Every rule of a pathway file, each broken one as a message for editors.

    ``resource_exists`` answers whether a resource slug is in the catalogue
    (published or not: who may see it is decided when the page is shown);
    ``known_slugs`` is only read to suggest a near miss."""
    meta: dict[str, object] = doc.meta
    problems: list[str] = []
    for key in meta:
        if key not in PATHWAY_KEYS:
            problems.append(f"unknown key '{key}'{_suggest(str(key), PATHWAY_KEYS)}")
    problems += [f"missing {key}" for key in REQUIRED_KEYS if key not in meta]
    if doc.body.strip():
        problems.append("the text after the front matter must be empty: a pathway's words go in "
                        "'introduction:' and in each step's 'text:', in English and French")
    titles = _bilingual(meta["title"], "title", MAX_TITLE, problems, one_line=True) if "title" in meta else {}
    introductions = (_bilingual(meta["introduction"], "introduction", MAX_INTRODUCTION, problems,
                                one_line=False) if "introduction" in meta else {})
    slug = _slug(meta, titles, problems)
    order = _order(meta.get("order"), problems)
    steps = _steps(meta["steps"], resource_exists, known_slugs, problems) if "steps" in meta else []
    if problems:
        return PathwayValidation(fields=None, problems=problems)
    return PathwayValidation(fields=PathwayFields(slug=slug, titles=titles, introductions=introductions,
                                                  steps=tuple(steps), order=order))


class _Block(str):
    """A string written as a literal block (``|-``), as a person writes Markdown in YAML."""


def _literal(text: str) -> str:
    """Multi-line text as a YAML block (see ``to_markdown``)."""
    return _Block(text) if "\n" in text else text


def _represent_block(dumper: yaml.SafeDumper, value: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


def to_markdown(fields: PathwayFields) -> str:
    """The pathway as a file again: the inverse of ``validate_pathway``, so
    export then import gives the same pathway (and the same checksum)."""
    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(_Block, _represent_block)
    data: dict[str, object] = {"slug": fields.slug, "title": dict(fields.titles)}
    if fields.order is not None:
        data["order"] = fields.order
    data["introduction"] = {lang: _literal(text) for lang, text in fields.introductions.items()}
    data["steps"] = [{"title": dict(step.titles),
                      "text": {lang: _literal(text) for lang, text in step.texts.items()},
                      "resources": list(step.resources)} for step in fields.steps]
    meta = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{meta}---\n"
