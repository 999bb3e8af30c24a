"""The glossary in the text: a body with its terms' first uses marked, and the
glossary page's entries with the resources that use each term.

Marking happens when a page is shown, not when a body is stored: the stored
``body_html`` stays what nh3 produced (the API and exports give it as it is),
and an edit to ``hub/glossary.yaml`` shows on every page at once without a
re-import. Which resources use which term is worked out from the same marker,
so "used in" on the glossary page means "marked on that resource's page".
That table is kept per process and brought up to date from the change log
(only the resources changed since it was built are read again), and the
reader's view is applied afterwards through the one visibility rule, so a
members-only or unpublished resource is never listed to someone who may not
read it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from markupsafe import escape
from sqlalchemy import func, select

from hub.content.glossary_marks import TermMatcher
from hub.extensions import db
from hub.glossary import Term, load_glossary, sort_key
from hub.models import ChangeLogEntry, Resource
from hub.security.visibility import visible_clause
from hub.services import catalogue
from hub.services.catalogue import ResourceListing
from hub.services.indexing import content_version

#: Resources listed under a term on the glossary page; past it, a link to the search.
SHOWN_PER_TERM = 8
#: Ids read per term before the reader's view is applied (some may be hidden,
#: and a resource and its translation count once).
CANDIDATES_PER_TERM = 24
_EXTENSION = "hub.glossary_usage"


@dataclass(frozen=True)
class GlossaryLink:
    """What a marked term's definition links to, in the reader's language."""
    href: str
    label: str
    lang: str


@lru_cache(maxsize=4)
def matcher(lang: str) -> TermMatcher:
    """One compiled pattern per language, built on first use."""
    return TermMatcher(load_glossary().forms(lang))


def _mark(term: Term, text: str, body_lang: str, link: GlossaryLink) -> str:
    """The term as a link to its glossary entry, followed by its definition,
    hidden: static/js/glossary.js turns the link into a button that shows and
    hides the definition (aria-expanded, aria-controls); without script the
    link still leads to the definition on the glossary page."""
    entry = term.entry(body_lang)
    target = f"{escape(link.href)}#{term.anchor}"
    return (f'<span class="gloss"><a class="gloss-term" href="{target}" data-gloss="gloss-{term.key}">{text}</a>'
            f'<span class="gloss-def" id="gloss-{term.key}" hidden>{escape(entry.definition)} '
            f'<a href="{target}" lang="{escape(link.lang)}">{escape(link.label)}</a></span></span>')


def marked_body(body_html: str, body_lang: str, link: GlossaryLink) -> str:
    """``body_html`` with the first use of each glossary term of its own
    language marked with an accessible definition."""
    if not body_html:
        return body_html
    glossary = load_glossary()
    lang = body_lang if body_lang in ("en", "fr") else "en"
    terms = {t.key: t for t in glossary.terms}
    return matcher(lang).mark_first_uses(body_html, lambda key, text: _mark(terms[key], text, lang, link))


# -- which resources use which term ------------------------------------------------

@dataclass
class _Usage:
    version: int
    #: resource id -> (sort position: newest first, term keys its body uses)
    rows: dict[int, tuple[tuple, frozenset[str]]]
    #: term key -> ids of the published resources using it, newest first (all of them: the reader's view comes later).
    by_term: dict[str, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_term = {}
        for rid, (_, keys) in sorted(self.rows.items(), key=lambda item: item[1][0]):
            for key in keys:
                self.by_term.setdefault(key, []).append(rid)


def _scan(ids: list[int] | None) -> dict[int, tuple[tuple, frozenset[str]]]:
    """Read the published bodies (all of them, or these ids) and note their terms."""
    statement = (select(Resource.id, Resource.language, Resource.published_on, Resource.body_html)
                 .where(Resource.status == "published"))
    if ids is not None:
        statement = statement.where(Resource.id.in_(ids))
    found = {}
    for rid, lang, published_on, html in db.session.execute(statement):
        keys = matcher(lang if lang in ("en", "fr") else "en").used(html or "")
        if keys:
            found[rid] = ((-(published_on.toordinal() if published_on else 0), -rid), frozenset(keys))
    return found


def _usage() -> _Usage:
    """This process's table of term uses, as of the database's content version.

    A change since it was built re-reads only the resources the change log
    names; a table older than the kept log (or none yet) is built in full."""
    lock = current_app.extensions.setdefault(_EXTENSION + ".lock", threading.Lock())
    with lock:
        usage: _Usage | None = current_app.extensions.get(_EXTENSION)
        version = content_version()
        if usage is not None and usage.version == version:
            return usage
        if usage is not None and usage.version < version:
            oldest = db.session.scalar(select(func.min(ChangeLogEntry.version)))
            if oldest is not None and oldest <= usage.version + 1:
                changed_set = set(db.session.scalars(
                    select(ChangeLogEntry.resource_id).where(ChangeLogEntry.version > usage.version)))
                changed = sorted(changed_set)
                rows = {rid: row for rid, row in usage.rows.items() if rid not in changed_set}
                for start in range(0, len(changed), 500):
                    rows.update(_scan(changed[start:start + 500]))
                usage = _Usage(version, rows)
                current_app.extensions[_EXTENSION] = usage
                return usage
        usage = _Usage(version, _scan(None))
        current_app.extensions[_EXTENSION] = usage
        return usage


@dataclass(frozen=True)
class GlossaryEntry:
    term: Term
    headword: str
    definition: str
    #: The glossary resource the term comes from, when the reader may see it.
    source: ResourceListing | None
    #: Resources the reader may see whose body uses the term, newest first, one edition per work.
    used_in: list[ResourceListing]
    #: More such resources than listed.
    more: bool

    @property
    def letter(self) -> str:
        """The letter the entry is filed under (É under E)."""
        return sort_key(self.headword)[:1].upper()


def glossary_entries(user, lang: str) -> list[GlossaryEntry]:
    """Every term, alphabetically in ``lang``, with the resources ``user`` may
    see that use it (and its source resource, when ``user`` may see it)."""
    glossary = load_glossary()
    usage = _usage()
    visible = set(db.session.scalars(select(Resource.id).where(visible_clause(user))))
    by_term = {key: [rid for rid in ids if rid in visible] for key, ids in usage.by_term.items()}
    # Each term's source and its translation: the page names the edition in the reader's language.
    source_slugs = {t.source for t in glossary.terms}
    editions: dict[str, list[int]] = {}
    for rid, slug, translation in db.session.execute(
            select(Resource.id, Resource.slug, Resource.translation)
            .where(Resource.slug.in_(source_slugs) | Resource.translation.in_(source_slugs))):
        editions.setdefault(slug if slug in source_slugs else str(translation), []).append(rid)
    wanted: list[int] = []
    for term in glossary.terms:
        wanted.extend(by_term.get(term.key, [])[:CANDIDATES_PER_TERM])
        wanted.extend(editions.get(term.source, []))
    listings = {r.id: r for r in catalogue.visible_listings(user, list(dict.fromkeys(wanted)))}
    entries = []
    for term in glossary.alphabetical(lang):
        ids = by_term.get(term.key, [])
        shown = catalogue.one_edition_each([listings[i] for i in ids[:CANDIDATES_PER_TERM] if i in listings], lang)
        readable = sorted((listings[i] for i in editions.get(term.source, []) if i in listings),
                          key=lambda r: (r.language != lang, r.slug != term.source))
        entry = term.entry(lang)
        entries.append(GlossaryEntry(term=term, headword=entry.term, definition=entry.definition,
                                     source=readable[0] if readable else None,
                                     used_in=shown[:SHOWN_PER_TERM],
                                     more=len(shown) > SHOWN_PER_TERM or len(ids) > CANDIDATES_PER_TERM))
    return entries
