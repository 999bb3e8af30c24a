"""Every rule of the content contract, as one function that collects problems.

Pure apart from reading a document's attachments from its own folder. Strict
mode (imports, publishing) requires every field; lenient mode (drafts) checks
only what was filled in, so a half-written submission can be saved.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from urllib.parse import urlsplit

from hub.content import fields as declared
from hub.content.bilingual import LANGUAGES, BilingualMetadata, clean_translations
from hub.content.extract import docx_hazard
from hub.content.fields import FieldSpec
from hub.content.files import check_content, media_type, resolve_inside, safe_filename
from hub.content.frontmatter import ContentDoc
from hub.textclean import clean_text, needs_cleaning
from hub.vocabularies import Vocabularies

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECTION_ID_RE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
MAX_TITLE = 300
MAX_SUMMARY = 600
MAX_SLUG = 120


@dataclass
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class AttachmentData:
    """An attachment on its way into the catalogue: either its bytes (read from
    an imported folder) or, when they are already in the content-addressed
    store (a submission's upload, an earlier version), only their hash and size,
    so the bytes are never read back just to be stored again."""
    filename: str
    data: bytes | None
    media_type: str
    sha256: str = ""
    size: int = 0

    def __post_init__(self) -> None:
        if self.data is not None:
            self.sha256 = hashlib.sha256(self.data).hexdigest()
            self.size = len(self.data)
        elif not self.sha256:
            raise ValueError(f"attachment {self.filename}: give its bytes or the hash of the stored bytes")

    @classmethod
    def stored(cls, filename: str, sha256: str, size: int, media_type: str) -> AttachmentData:
        return cls(filename=filename, data=None, media_type=media_type, sha256=sha256, size=size)


@dataclass
class ResourceFields(BilingualMetadata):
    """A resource as the catalogue stores it: normalised, typed, complete."""
    slug: str = ""
    title: str = ""
    type: str = ""
    summary: str = ""
    racism_types: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    language: str = ""
    #: title, summary and topics in the other language: {"fr": {"title", "summary", "topics"}}.
    translations: dict = field(default_factory=dict)
    organization: str = ""
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str = ""
    region: str = ""
    url: str | None = None
    access: str = "public"
    translation: str | None = None
    content_warning: str | None = None
    assessment: dict | None = None
    #: Declared fields kept without a column of their own (storage="extra").
    extras: dict = field(default_factory=dict)
    body: str = ""
    attachments: list[AttachmentData] = field(default_factory=list)

    @property
    def published_on(self) -> date | None:
        return published_date(self.published)

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published[:4].isdigit() else None

    def checksum(self) -> str:
        """Stable over re-imports and export round trips: what the resource says,
        not how its file happened to be formatted."""
        data = asdict(replace(self, attachments=[]))
        data["attachments"] = [(a.filename, a.sha256) for a in self.attachments]
        # Fields added after resources were first stored count only when set, so a
        # catalogue re-imported after the upgrade is still "unchanged".
        for name in ("translations", "publisher", "extras"):
            if not data[name]:
                del data[name]
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class Validation:
    fields: ResourceFields
    problems: list[Problem]
    #: What was accepted with a change worth telling (characters removed, a
    #: file whose text will not be searchable).
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def published_date(value: str) -> date | None:
    try:
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1)
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _text(value, name: str, problems: list[Problem], *, limit: int | None = None,
          notes: list[Problem] | None = None, multiline: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, (bool, list, dict)):
        problems.append(Problem(name, f"{name} must be text, not {type(value).__name__}"))
        return ""
    text = str(value)
    if needs_cleaning(text, multiline=multiline) and notes is not None:
        notes.append(Problem(name, f"{name}: invisible control characters or line breaks were removed"))
    text = clean_text(text, multiline=multiline).strip()
    if limit is not None and len(text) > limit:
        problems.append(Problem(name, f"{name} is {len(text):,} characters long; the limit is {limit}"))
    return text


def _list(value, name: str, problems: list[Problem]) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        problems.append(Problem(name, f"{name} must be a list such as [a, b]"))
        return []
    return value


def _keys(value, name: str, vocab_name: str, vocab: Vocabularies, problems: list[Problem]) -> list[str]:
    keys: list[str] = []
    for item in _list(value, name, problems):
        key = str(item).strip() if not isinstance(item, (list, dict)) else None
        if key is None:
            problems.append(Problem(name, f"{name} must be a list of keys"))
        elif not vocab.has(vocab_name, key):
            hint = vocab.suggest(vocab_name, key)
            problems.append(Problem(name, f"unknown {name} key '{key}'"
                                    + (f" (did you mean {hint}?)" if hint else
                                       f" (known keys: {', '.join(vocab.keys(vocab_name))})")))
        elif key not in keys:
            keys.append(key)
    return keys


def _key(value, name: str, vocab_name: str, vocab: Vocabularies, problems: list[Problem]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (list, dict)):
        problems.append(Problem(name, f"{name} must be one key, not a list"))
        return ""
    key = str(value).strip()
    if not vocab.has(vocab_name, key):
        hint = vocab.suggest(vocab_name, key)
        problems.append(Problem(name, f"unknown {name} '{key}'" + (f" (did you mean {hint}?)" if hint else
                                _known_keys_hint(vocab, vocab_name))))
        return ""
    return key


def _in_languages(value, name: str, language: str, problems: list[Problem], parse) -> tuple:
    """A bilingual field: a plain value (in the document's `language`) or a
    mapping {en, fr}. Returns (the document's own value, {other language: value})."""
    if not isinstance(value, dict):
        return parse(value, name), {}
    values = {}
    for lang, item in value.items():
        if lang not in LANGUAGES:
            problems.append(Problem(name, f"{name}: unknown language '{lang}' (write {name} as plain "
                                    f"text, or as a mapping with en and fr)"))
            continue
        values[lang] = parse(item, f"{name} ({lang})")
    own_language = language if language in LANGUAGES else next(iter(values), "en")
    others = {lang: v for lang, v in values.items() if lang != own_language and v}
    return values.get(own_language) or parse(None, name), others


def _topics(value, label: str, problems: list[Problem], notes: list[Problem] | None = None,
            limit: int | None = None) -> list[str]:
    tags: list[str] = []
    for tag in _list(value, label, problems):
        tag_text = _text(tag, label, problems, limit=limit, notes=notes)
        if tag_text and tag_text not in tags:
            tags.append(tag_text)
    return tags


def _known_keys_hint(vocab: Vocabularies, vocab_name: str) -> str:
    keys = vocab.keys(vocab_name)
    if len(keys) <= 20:
        return f" (use one of: {', '.join(keys)})"
    return (f" (use a key of the {vocab_name} list in hub/vocabularies.yaml, also at /api/v1/vocabularies, "
            f"or ask an editor to add it there)")


def _published(value, problems: list[Problem], name: str = "published") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        problems.append(Problem(name, f"{name} must be a date (YYYY-MM-DD) or a year"))
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text) and 1800 <= int(text) <= 2100:
        return text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and published_date(text) and 1800 <= int(text[:4]) <= 2100:
        return text
    problems.append(Problem(name, f"bad date '{text}' for {name}: use YYYY-MM-DD or a year such as 2022"))
    return ""


def _url(value, problems: list[Problem], name: str = "url") -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        problems.append(Problem(name, f"{name} '{text[:100]}' must be an absolute http:// or https:// address"))
        return None
    if len(text) > 2000:
        problems.append(Problem(name, f"{name} is longer than 2,000 characters"))
        return None
    return text


#: The languages an ``action`` may be written in (``{en: …, fr: …}``).
ACTION_LANGUAGES = ("en", "fr")
MAX_ACTION = 400
MAX_WEIGHT = 5


def _action(value, where: str, bad) -> str | dict | None:
    """A question's first step: plain text (in the tool's language) or one text per language."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            bad(f"{where}: action is empty")
        elif len(text) > MAX_ACTION:
            bad(f"{where}: action is {len(text)} characters long; the limit is {MAX_ACTION}")
        return text or None
    if isinstance(value, dict):
        unknown = set(map(str, value)) - set(ACTION_LANGUAGES)
        if unknown:
            bad(f"{where}: action has unknown language(s) {', '.join(sorted(unknown))} (use en and fr)")
        clean = {}
        for lang in ACTION_LANGUAGES:
            if lang not in value:
                continue
            text = value[lang]
            if not isinstance(text, str) or not text.strip():
                bad(f"{where}: action.{lang} must be text")
            elif len(text.strip()) > MAX_ACTION:
                bad(f"{where}: action.{lang} is {len(text.strip())} characters long; the limit is {MAX_ACTION}")
            else:
                clean[lang] = text.strip()
        if not clean and not unknown:
            bad(f"{where}: action needs text in en or fr")
        return clean or None
    bad(f"{where}: action must be text or a block with en and fr")
    return None


def _question(value, where: str, bad) -> str | dict:
    """A statement: plain text, or a block with its text, an optional first step
    (``action``) and an optional ``weight`` (1-5, how much it counts when the
    result puts priorities in order). Kept as plain text when it has neither,
    so files written before actions existed stay as they were."""
    if isinstance(value, str):
        if not value.strip():
            bad(f"{where} is empty")
        return value.strip()
    if not isinstance(value, dict):
        bad(f"{where} must be text or a block with text and action")
        return ""
    unknown = set(map(str, value)) - {"text", "action", "weight"}
    if unknown:
        bad(f"{where} has unknown key(s) {', '.join(sorted(unknown))}")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        bad(f"{where} needs its text")
        text = ""
    clean: dict = {"text": text.strip()}
    action = _action(value.get("action"), where, bad)
    if action is not None:
        clean["action"] = action
    weight = value.get("weight")
    if weight is not None:
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
            bad(f"{where}: weight must be a whole number from 1 to {MAX_WEIGHT}")
        elif weight != 1:
            clean["weight"] = weight
    return clean if len(clean) > 1 else clean["text"]


def _assessment(value, vocab: Vocabularies, problems: list[Problem]) -> dict | None:
    """A self-assessment must be whole and sound, or it is refused: never rendered half-broken."""
    if value is None:
        return None

    def bad(msg: str) -> None:
        problems.append(Problem("assessment", f"assessment: {msg}"))

    if not isinstance(value, dict):
        bad("must be a block with 'scale' and 'sections'")
        return None
    unknown = set(value) - {"scale", "sections"}
    if unknown:
        bad(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    scale = _scale(value.get("scale"), bad)
    sections = value.get("sections")
    if not isinstance(sections, list) or not sections:
        bad("sections must be a non-empty list")
        return None
    ids: set[str] = set()
    clean_sections = [clean for n, section in enumerate(sections, 1)
                      if (clean := _section(section, n, ids, vocab, problems=problems, bad=bad)) is not None]
    return {"scale": scale, "sections": clean_sections}


def _scale(value, bad) -> list[str]:
    """The answer labels, lowest first."""
    if not isinstance(value, list) or not 2 <= len(value) <= 10 or \
            not all(isinstance(s, (str, int)) and str(s).strip() for s in value):
        bad("scale must be a list of 2 to 10 answer labels, lowest first")
        return []
    return [str(s).strip() for s in value]


def _section(section, n: int, ids: set[str], vocab: Vocabularies, *, problems: list[Problem], bad) -> dict | None:
    """One section: a unique id, a title, its statements and what to recommend when it scores low."""
    if not isinstance(section, dict):
        bad(f"section {n} must be a block with id, title and questions")
        return None
    sid = str(section.get("id", "")).strip()
    if not SECTION_ID_RE.match(sid):
        bad(f"section {n} needs an id of lowercase letters, digits and hyphens")
    elif sid in ids:
        bad(f"section id '{sid}' is repeated")
    ids.add(sid)
    name = sid or n
    title = section.get("title")
    if not isinstance(title, str) or not title.strip():
        bad(f"section '{name}' needs a title")
    questions = section.get("questions")
    if not isinstance(questions, list) or not questions:
        bad(f"section '{name}' needs a list of questions")
        questions = []
    clean_questions = [_question(q, f"section '{name}', question {k}", bad) for k, q in enumerate(questions, 1)]
    extra = set(section) - {"id", "title", "questions", "recommend"}
    if extra:
        bad(f"section '{name}' has unknown key(s) {', '.join(sorted(map(str, extra)))}")
    return {"id": sid, "title": str(title or "").strip(), "questions": clean_questions,
            "recommend": _recommend(section.get("recommend") or {}, name, vocab, problems, bad)}


def _recommend(rec, name, vocab: Vocabularies, problems: list[Problem], bad) -> dict:
    """The topics and resource types a weak section suggests."""
    clean: dict = {"topics": [], "types": []}
    if not isinstance(rec, dict):
        bad(f"section '{name}': recommend must be a block with topics and types")
        return clean
    clean["topics"] = [str(t).strip() for t in _list(rec.get("topics"), "recommend.topics", problems)]
    clean["types"] = _keys(rec.get("types"), "recommend.types", "resource_types", vocab, problems)
    return clean


def _parse_one(spec: FieldSpec, value, label: str, vocab: Vocabularies, *, problems: list[Problem],
               notes: list[Problem] | None = None):
    """One value of a declared field, by its kind; problems name `label`."""
    kind = spec.kind
    if kind in ("text", "longtext"):
        return _text(value, label, problems, limit=spec.limit, notes=notes, multiline=kind == "longtext")
    if kind == "tags":
        return _topics(value, label, problems, notes, spec.limit)
    if kind == "lines":
        return [a for a in (_text(x, label, problems, limit=spec.limit, notes=notes)
                            for x in _list(value, label, problems)) if a]
    if kind == "key":
        return _key(value, label, spec.vocabulary, vocab, problems)
    if kind == "keys":
        return _keys(value, label, spec.vocabulary, vocab, problems)
    if kind == "date":
        return _published(value, problems, label)
    if kind == "url":
        return _url(value, problems, label)
    if kind == "slug":
        text = _text(value, label, problems)
        if text and not SLUG_RE.match(text):
            problems.append(Problem(spec.name, f"{label} '{text[:80]}' must be the slug of a resource"))
            return ""
        return text
    if kind == "assessment":
        return _assessment(value, vocab, problems)
    raise ValueError(f"field {spec.name}: no parser for kind {kind!r}")


@dataclass
class _Reading:
    """One document being validated: what the rules read and what they find."""
    doc: ContentDoc
    vocab: Vocabularies
    strict: bool
    max_attachment_bytes: int
    fields: ResourceFields = field(default_factory=ResourceFields)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def meta(self) -> dict:
        return self.doc.meta


def validate(doc: ContentDoc, vocab: Vocabularies, *, strict: bool = True,
             max_attachment_bytes: int = 20_000_000) -> Validation:
    """Read every declared field (hub/content/fields.py) by its kind; a few
    need more than their kind: the slug is derived from the title, the body
    is the text after the front matter, files are read from the folder. Each
    rule below is one function, applied in order (the language first: the
    bilingual fields are read in it)."""
    reading = _Reading(doc=doc, vocab=vocab, strict=strict, max_attachment_bytes=max_attachment_bytes)
    for rule in RULES:
        rule(reading)
    return Validation(fields=reading.fields, problems=reading.problems, notes=reading.notes)


def _unknown_keys(r: _Reading) -> None:
    known = declared.known_keys()
    for key in r.meta:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            r.problems.append(Problem(str(key), f"unknown front-matter key '{key}'"
                                      + (f" (did you mean {close[0]}?)" if close else "")))


def _required_keys(r: _Reading) -> None:
    if not r.strict:
        return  # a draft may leave anything out
    for key in declared.required_keys():
        if r.meta.get(key) in (None, "", [], {}):
            r.problems.append(Problem(key, f"missing {key}"))


def _language(r: _Reading) -> None:
    r.fields.language = _key(r.meta.get("language"), "language", "language", r.vocab, r.problems)


def _declared_fields(r: _Reading) -> None:
    """Every declared field by its kind, except those with a rule of their own."""
    translations: dict[str, dict] = {}
    for spec in declared.fields():
        if spec.name in ("language", "slug") or spec.kind in ("markdown", "files"):
            continue
        value = _bilingual_value(r, spec, translations) if spec.bilingual else \
            _parse_one(spec, r.meta.get(spec.name), spec.name, r.vocab, problems=r.problems, notes=r.notes)
        if value in ("", None, []) and not spec.required and not spec.is_list:
            value = spec.default
        spec.write(r.fields, value)
    r.fields.translations = clean_translations(r.fields.language, translations)


def _bilingual_value(r: _Reading, spec: FieldSpec, translations: dict[str, dict]):
    """The value in the document's language; the other language's goes to ``translations``."""
    raw = r.meta.get(spec.name)
    def parse(v, label: str):
        return _parse_one(spec, v, label, r.vocab, problems=r.problems, notes=r.notes)

    value, others = _in_languages(raw, spec.name, r.fields.language, r.problems, parse)
    for lang, other in others.items():
        translations.setdefault(lang, {})[spec.name] = other
    if r.strict and isinstance(raw, dict) and raw and not value and r.fields.language:
        r.problems.append(Problem(spec.name, f"missing {spec.name} in the document's language "
                                  f"({r.fields.language}): give {spec.name}: {{{r.fields.language}: ...}} as well"))
    return value


def _slug(r: _Reading) -> None:
    """Given, it must be a well-formed slug; left out, it is made from the title."""
    f, raw_slug = r.fields, r.meta.get("slug")
    if raw_slug not in (None, ""):
        f.slug = _text(raw_slug, "slug", r.problems)
        if f.slug and (not SLUG_RE.match(f.slug) or len(f.slug) > MAX_SLUG):
            r.problems.append(Problem("slug", f"slug '{f.slug[:80]}' must be lowercase letters, digits and single "
                                      f"hyphens (at most {MAX_SLUG} characters), e.g. hiring-without-bias"))
            f.slug = ""
    elif f.title:
        f.slug = slugify(f.title)
        if r.strict and not f.slug:
            r.problems.append(Problem("slug", "cannot derive a slug from the title; add slug:"))


def _assessment_only_for_tools(r: _Reading) -> None:
    f = r.fields
    if f.assessment is not None and f.type and f.type != "self-assessment":
        r.problems.append(Problem("assessment", "only a resource of type self-assessment may have an assessment"))


def _body(r: _Reading) -> None:
    body = r.doc.body or ""
    if needs_cleaning(body):
        r.notes.append(Problem("body", "body: invisible control characters were removed"))
    r.fields.body = clean_text(body)


def _files(r: _Reading) -> None:
    """The files the front matter names (read from the document's folder) and those uploaded with it."""
    names: dict[str, str] = {}
    for entry in _list(r.meta.get("files"), "files", r.problems):
        _attach(r.doc, entry, r.fields, names, problems=r.problems, limit=r.max_attachment_bytes)
    for name, data in r.doc.uploads.items():
        _add_attachment(name, data, r.fields, names, problems=r.problems, limit=r.max_attachment_bytes)


def _unsearchable_files(r: _Reading) -> None:
    for attachment in r.fields.attachments:
        if attachment.data is not None and attachment.filename.lower().endswith(".docx"):
            hazard = docx_hazard(attachment.data)
            if hazard:
                r.notes.append(Problem("files", f"the text of {attachment.filename} is not indexed for search: "
                                                f"{hazard}"))


#: The rules, in the order they run (and so the order their problems are listed).
RULES = (_unknown_keys, _required_keys, _language, _declared_fields, _slug, _assessment_only_for_tools, _body,
         _files, _unsearchable_files)


def _attach(doc: ContentDoc, entry, f: ResourceFields, names: dict, *, problems: list[Problem], limit: int) -> None:
    if doc.base_dir is None:
        problems.append(Problem("files", f"attachment '{entry}' must be uploaded"))
        return
    path, reason = resolve_inside(doc.base_dir, entry)
    if reason:
        problems.append(Problem("files", reason))
        return
    size = path.stat().st_size
    if size > limit:
        problems.append(Problem("files", f"attachment '{entry}' is {size:,} bytes, over the limit of {limit:,}"))
        return
    _add_attachment(path.name, path.read_bytes(), f, names, problems=problems, limit=limit, label=str(entry))


def _add_attachment(name: str, data: bytes, f: ResourceFields, names: dict, *, problems: list[Problem],
                    limit: int, label: str | None = None) -> None:
    label = label or name
    if len(data) > limit:
        problems.append(Problem("files", f"attachment '{label}' is {len(data):,} bytes, over the limit of {limit:,}"))
        return
    if not data:
        problems.append(Problem("files", f"attachment '{label}' is empty"))
        return
    safe = safe_filename(name)
    reason = check_content(safe, data)
    if reason:
        problems.append(Problem("files", f"attachment {reason}"))
        return
    if safe in names:
        problems.append(Problem("files", f"two attachments are named '{safe}'"))
        return
    names[safe] = label
    f.attachments.append(AttachmentData(filename=safe, data=data, media_type=media_type(safe)))
