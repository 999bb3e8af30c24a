"""Search: the one service behind the search page, the JSON API, the feed and
suggestions, so no channel can disagree with another or leak.

``SearchParams.from_args`` is the single parser of the contract's parameters;
``search_resources`` runs the query once with the reader's labels inside it
(``_run``, the one place any search runs), has the page's rows loaded back
from the database in rank order without those the policy refuses
(``hub.search.hits``: even a stale index cannot show a hidden resource) and
their titles and passages marked (``hub.search.snippets``), and labels facet
values in the reader's language.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from flask import current_app
from markupsafe import Markup

from hub.errors import ValidationFailed
from hub.models import Resource
from hub.search import hits, query as search_query
from hub.search.analysis import fold
from hub.search.schema import FACETS, topic_key
from hub.search.snippets import hit_texts, plain_texts
from hub.search.syntax import MAX_QUERY_CHARS
from hub.security.policy import read_labels
from hub.services import indexing, usage
from hub.vocabularies import load_vocabularies

#: The index's orders, plus "downloads" (most downloaded first), which the usage
#: counts in the database decide (they change with every download).
SORTS = (*search_query.SORTS, "downloads")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10**7
MAX_VALUES_PER_FACET = 30
YEAR_MIN, YEAR_MAX = 1000, 9999


class InvalidParameter(ValidationFailed):
    """A search parameter is not acceptable."""
    code = "invalid_parameter"

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}", parameter=parameter)
        self.parameter = parameter


@dataclass(frozen=True)
class SearchParams:
    """The contract's search parameters, validated."""
    q: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sort: str | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    locale: str = "en"
    #: Search the words exactly as typed (the link under an automatic correction).
    as_typed: bool = False

    # -- parsing ------------------------------------------------------------
    @classmethod
    def from_args(cls, args: Mapping[str, Any], *, locale: str | None = None, strict: bool = False,
                  per_page: bool = False) -> SearchParams:
        """Read ``q``, the facet parameters (repeated for several values), ``sort``,
        ``page`` and, when ``per_page`` is allowed (the API), ``per_page``.

        Lenient (pages): a bad value becomes the default, an unknown facet value
        is ignored, a long query is cut. Strict (the API): the same cases raise
        :class:`InvalidParameter` naming the parameter."""
        if locale is None:
            from hub.i18n import current_language
            locale = current_language()
        get_list = args.getlist if hasattr(args, "getlist") else (lambda k: _as_list(args.get(k)))

        q = _first(get_list("q")).strip()
        if len(q) > MAX_QUERY_CHARS:
            if strict:
                raise InvalidParameter("q", f"at most {MAX_QUERY_CHARS} characters")
            q = q[:MAX_QUERY_CHARS]

        filters = []
        vocab = load_vocabularies()
        for name, vocab_name in FACETS.items():
            values: list[str] = []
            for raw in get_list(name):
                value = (raw or "").strip()
                if not value:
                    continue
                if _valid_value(vocab, vocab_name, value):
                    if value not in values:
                        values.append(value)
                elif strict:
                    raise InvalidParameter(name, f"unknown value {value[:40]!r}")
            if values:
                filters.append((name, tuple(values)))

        sort = _first(get_list("sort")).strip() or None
        if sort is not None and sort not in SORTS:
            if strict:
                raise InvalidParameter("sort", "must be one of " + ", ".join(SORTS))
            sort = None

        page = _int(get_list("page"), "page", default=1, low=1, high=MAX_PAGE, strict=strict)
        size = DEFAULT_PER_PAGE
        if per_page:
            size = _int(get_list("per_page"), "per_page", default=DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE,
                        strict=strict)
        as_typed = _first(get_list("as_typed")).strip().lower() in ("1", "true", "yes", "on")
        return cls(q=q, filters=tuple(filters), sort=sort, page=page, per_page=size,
                   locale=locale if locale in ("en", "fr") else "en", as_typed=as_typed)

    # -- reading --------------------------------------------------------------
    @property
    def filter_map(self) -> dict[str, tuple[str, ...]]:
        return dict(self.filters)

    def selected(self, facet: str) -> tuple[str, ...]:
        return self.filter_map.get(facet, ())

    @property
    def effective_sort(self) -> str:
        """Relevance when there are words, newest when browsing."""
        return self.sort or ("relevance" if self.q else "newest")

    # -- building links ---------------------------------------------------------
    def to_args(self) -> list[tuple[str, str]]:
        """The parameters as a query string list (defaults left out)."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for name, values in self.filters:
            out.extend((name, v) for v in values)
        if self.sort:
            out.append(("sort", self.sort))
        if self.page > 1:
            out.append(("page", str(self.page)))
        if self.per_page != DEFAULT_PER_PAGE:
            out.append(("per_page", str(self.per_page)))
        if self.as_typed:
            out.append(("as_typed", "1"))
        return out

    def with_filter(self, facet: str, value: str, on: bool = True) -> SearchParams:
        current = dict(self.filters)
        values = [v for v in current.get(facet, ()) if v != value]
        if on:
            values.append(value)
        current[facet] = tuple(values)
        ordered = tuple((n, current[n]) for n in FACETS if current.get(n))
        return replace(self, filters=ordered, page=1)

    def without_facet(self, facet: str) -> SearchParams:
        return replace(self, filters=tuple((n, v) for n, v in self.filters if n != facet), page=1)

    def without_filters(self) -> SearchParams:
        return replace(self, filters=(), page=1)

    def with_query(self, q: str) -> SearchParams:
        return replace(self, q=q, page=1, as_typed=False)

    def typed_as_is(self) -> SearchParams:
        """The same search with the words as typed (no spelling correction)."""
        return replace(self, page=1, as_typed=True)

    def request(self, labels: frozenset[str], offset: int, limit: int, sort: str | None = None, *,
                one_per_work: bool = False, last_page_past_end: bool = False) -> search_query.SearchRequest:
        """The query layer's request for these parameters (the one way they are
        translated). ``one_per_work``: one edition per work, the reader's;
        ``last_page_past_end``: a page past the end gives the last page."""
        filters = {name: frozenset(values) for name, values in self.filters}
        return search_query.SearchRequest(self.q, labels, filters, sort or self.effective_sort, offset, limit,
                                          locale=self.locale, correct=not self.as_typed,
                                          edition_language=self.locale if one_per_work else None,
                                          last_page_past_end=last_page_past_end)

    def with_page(self, page: int) -> SearchParams:
        return replace(self, page=page)


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _first(values: list) -> str:
    return str(values[0]) if values else ""


def _int(values: list, name: str, *, default: int, low: int, high: int, strict: bool) -> int:
    if strict and values and (len(values) > 1 or not str(values[0]).strip()):
        # A client that sends page twice, or page with nothing, has a bug worth hearing about.
        raise InvalidParameter(name, f"give it once, as a whole number from {low} to {high}")
    raw = _first(values).strip()
    if not raw:
        return default
    try:
        value = int(raw) if raw.lstrip("-").isdigit() and len(raw) <= 12 else None
    except ValueError:
        value = None
    if value is None or value < low or (value > high and strict):
        if strict:
            raise InvalidParameter(name, f"must be a whole number from {low} to {high}")
        return default if value is None or value < low else high
    return min(value, high)


def _valid_value(vocab, vocab_name: str | None, value: str) -> bool:
    if vocab_name is None:  # year
        return value.isdigit() and len(value) == 4 and YEAR_MIN <= int(value) <= YEAR_MAX
    return vocab.has(vocab_name, value)


# -- results ----------------------------------------------------------------------
@dataclass
class Hit:
    resource: Resource
    score: float | None
    title_html: Markup
    snippet_html: Markup
    #: The languages the title and the snippet are in (for `lang` attributes):
    #: the reader's when the resource is described in it, else the document's.
    title_lang: str = ""
    snippet_lang: str = ""


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    values: list[FacetValue]

    @property
    def active(self) -> bool:
        return any(v.selected for v in self.values)


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: list[Facet]
    sort: str
    correction: str | None = None
    #: For each active facet: how many results removing that facet's filter gives.
    totals_without: dict[str, int] = field(default_factory=dict)
    #: The list includes documents that contain only some of the words.
    partial: bool = False
    #: The query as searched after correcting misspelt words (None: as typed).
    corrected: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)

    def label(self, facet: str, value: str) -> str:
        return facet_label(facet, value, self.params.locale)


@lru_cache(maxsize=4096)
def _sort_key(label: str) -> str:
    return fold(label)


def facet_label(facet: str, value: str, locale: str) -> str:
    vocab_name = FACETS.get(facet)
    if vocab_name is None:
        return value
    return load_vocabularies().label(vocab_name, value, locale)


def _run(request: search_query.SearchRequest) -> search_query.RawResult:
    """The one place a search runs: on this process's snapshot of the index,
    with the reader's labels inside ``request``. Every function below (and so
    every caller of search: pages, API, feed, catalogue, suggestions) goes
    through it, so none can count or show what another would not."""
    return search_query.run(indexing.snapshot(), request)


def search_resources(user, params: SearchParams, *, clamp_page: bool = False,
                     snippets: bool = True, one_per_work: bool = False) -> SearchResult:
    """Search what ``user`` may read. With ``clamp_page`` (pages), a page past
    the end shows the last page instead of nothing (the query layer moves it,
    in the same run). ``snippets=False`` (the API, feeds) skips highlighting:
    titles and summaries come back escaped as they are, about half the cost
    of a call. ``one_per_work`` (pages, feeds) lists one edition of a
    resource and its translation, in the reader's language when both match;
    the API lists editions."""
    per_page = params.per_page
    by_downloads = params.effective_sort == "downloads"
    request = params.request(read_labels(user), (params.page - 1) * per_page, per_page,
                             "newest" if by_downloads else None, one_per_work=one_per_work,
                             last_page_past_end=clamp_page)
    if by_downloads:  # every match, newest first, then reordered by downloads
        request = replace(request, offset=0, limit=MAX_PAGE)
    raw = _run(request)
    page = raw.offset // per_page + 1
    if by_downloads:
        page = params.page
        if clamp_page and raw.total and (page - 1) * per_page >= raw.total:
            page = -(-raw.total // per_page)
        raw = _by_downloads(raw, (page - 1) * per_page, per_page)
    return SearchResult(
        params=params, total=raw.total, page=page, per_page=per_page,
        hits=_hits(user, raw, snippets=snippets, locale=params.locale if one_per_work else None),
        facets=_facets(raw, params), sort=raw.sort, correction=raw.correction,
        totals_without=raw.totals_without, partial=raw.partial, corrected=raw.corrected,
    )


def rank_resources(user, params: SearchParams, limit: int = 1000) -> list[tuple[int, float]]:
    """``(resource id, score)`` in the search's rank order, for what ``user`` may
    read: the same query as ``search_resources`` without loading the hits or
    building snippets, for callers that need the order alone (self-assessment
    suggestions rank their candidates by it). Ids only: the caller loads and
    checks what it shows."""
    raw = _run(params.request(read_labels(user), 0, limit))
    return [(h.resource_id, h.score or 0.0) for h in raw.hits]


def found_among(user, params: SearchParams, candidate_ids: Iterable[int]) -> list[Resource]:
    """Which of ``candidate_ids`` the search ``params`` lists for ``user`` (one
    edition per work, the reader's, as the search page lists them), loaded
    from the database and checked again with the policy.

    For the e-mail digests: the candidates are what was published in a
    digest's window, and the answer is what the member would see on the
    search page now, with the permissions they have now."""
    wanted = {int(i) for i in candidate_ids}
    if not wanted:
        return []
    raw = _run(params.request(read_labels(user), 0, MAX_PAGE, "newest", one_per_work=True))
    ids = [h.resource_id for h in raw.hits if h.resource_id in wanted]
    return hits.readable_resources(user, ids, columns="named")


def visible_counts(user, lang: str | None = None) -> tuple[dict[str, dict[str, int]], int]:
    """Every facet's counts over everything ``user`` may see, and how many that
    is (the home page and browse pages: a search with no words). With
    ``lang``, a resource and its translation count once, as lists show them."""
    params = SearchParams(locale=lang) if lang else SearchParams()
    raw = _run(params.request(read_labels(user), 0, 0, "newest", one_per_work=bool(lang)))
    return raw.facet_counts, raw.total


def newest_ids(user, filters: Mapping[str, Iterable[str]], limit: int,
               lang: str | None = None) -> tuple[list[int], int]:
    """Ids of the newest resources ``user`` may see with these facet filters,
    and how many there are (the snapshot's cached order, not a table scan);
    with ``lang``, one edition per work, the reader's."""
    params = SearchParams(filters=tuple((name, tuple(values)) for name, values in filters.items()),
                          locale=lang or SearchParams.locale)
    raw = _run(params.request(read_labels(user), 0, limit, "newest", one_per_work=bool(lang)))
    return [h.resource_id for h in raw.hits], raw.total


def related_ids(user, shared: list[tuple[str, str, float]], bonus: tuple[str, str, float] | None = None,
                limit: int = 10) -> list[int]:
    """Ids of the resources ``user`` may see sharing the most weighted keys
    (``(field, key, weight)``; topics as written) with a resource, best first."""
    keyed = [(name, topic_key(key) if name == "topic" else key, weight) for name, key, weight in shared]
    return search_query.related(indexing.snapshot(), read_labels(user), keyed, bonus=bonus, limit=limit)


def _by_downloads(raw: search_query.RawResult, offset: int, limit: int) -> search_query.RawResult:
    """One page of every match ordered by all-time downloads (ties newest first)."""
    downloads = usage.download_counts()
    ordered = sorted(raw.hits, key=lambda h: -downloads.get(h.resource_id, 0))  # stable: newest first
    return replace(raw, hits=ordered[offset:offset + limit], sort="downloads")


def _hits(user, raw: search_query.RawResult, *, snippets: bool, locale: str | None) -> list[Hit]:
    """The page's hits as rows the reader may read (hub/search/hits.py), with
    their marked texts (hub/search/snippets.py) or, without ``snippets``, their
    titles and summaries as they are."""
    score_of = {h.resource_id: h.score for h in raw.hits}
    rows = hits.readable_resources(user, [h.resource_id for h in raw.hits],
                                   columns="listed" if snippets else "whole")
    if snippets:
        texts = hit_texts(rows, raw.terms, locale, current_app.extensions["hub.hit_texts"], hits.attachment_texts)
    else:
        texts = plain_texts(rows)
    return [Hit(resource=row, score=score_of[row.id], title_html=text.title_html, snippet_html=text.snippet_html,
                title_lang=text.title_lang, snippet_lang=text.snippet_lang)
            for row, text in zip(rows, texts, strict=True)]


def _facets(raw: search_query.RawResult, params: SearchParams) -> list[Facet]:
    """Values with results, plus, for a facet with ticked values, its other values
    that some visible resource carries (at zero) so a ticked box never hides them."""
    locale = params.locale
    out = []
    for name in FACETS:
        counts = raw.facet_counts.get(name, {})
        selected = set(params.selected(name))
        active = bool(selected)
        values = []
        keys = set(counts) | selected
        for value in keys:
            count = counts.get(value, 0)
            if count == 0 and not (value in selected or (active and raw.visible_values[name].get(value))):
                continue
            values.append(FacetValue(value, facet_label(name, value, locale), count, value in selected))
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, _sort_key(v.label)))
        if len(values) > MAX_VALUES_PER_FACET:
            values = [*values[:MAX_VALUES_PER_FACET], *(v for v in values[MAX_VALUES_PER_FACET:] if v.selected)]
        out.append(Facet(name, values))
    return out


# -- suggestions as you type -------------------------------------------------------
SUGGEST_TITLES = 6
SUGGEST_LABELS = 5


def suggest(user, q: str, locale: str = "en") -> dict:
    """Titles of resources the reader may see and vocabulary labels (with at
    least one such resource) that match what was typed so far."""
    q = (q or "")[:200]
    if not q.strip():
        return {"query": q, "titles": [], "labels": []}
    labels = read_labels(user)
    ids = search_query.complete_titles(indexing.snapshot(), q, labels, limit=SUGGEST_TITLES * 2)
    titles = [{"slug": resource.slug, "title": resource.title, "language": resource.language}
              for resource in hits.readable_resources(user, ids, columns="named")[:SUGGEST_TITLES]]
    counts = _run(SearchParams().request(labels, 0, 0, "newest")).facet_counts
    return {"query": q, "titles": titles, "labels": _label_suggestions(counts, q, locale)}


def _label_suggestions(visible: Mapping[str, Mapping[str, int]], q: str, locale: str) -> list[dict]:
    """Vocabulary labels matching what was typed, among the values that resources
    the reader may see carry (``visible``: every facet's counts over them)."""
    words = _WORDS.findall(fold(q))
    if not words:
        return []
    complete, last = (words[:-1], words[-1]) if not q[-1:].isspace() else (words, "")
    vocab = load_vocabularies()
    other = "fr" if locale == "en" else "en"
    found: list[tuple[int, int, dict[str, Any]]] = []
    for facet, vocab_name in FACETS.items():
        if vocab_name is None or vocab_name == "language":
            continue
        counts = visible.get(facet, {})
        for term in vocab.terms(vocab_name):
            if not counts.get(term.key):
                continue  # no resource the reader may see carries it
            names = [term.label(locale), term.label(other), *term.alt.get(locale, ()), *term.alt.get(other, ())]
            rank = next((i for i, name in enumerate(names) if _prefix_match(_WORDS.findall(fold(name)),
                                                                             complete, last)), None)
            if rank is None:
                continue
            found.append((0 if rank == 0 else 1, -counts[term.key], {
                "facet": facet, "value": term.key, "label": term.label(locale), "count": counts[term.key]}))
    found.sort(key=lambda item: (item[0], item[1], fold(item[2]["label"])))
    return [item[2] for item in found[:SUGGEST_LABELS]]


_WORDS = re.compile(r"\w+")


def _prefix_match(words: list[str], complete: Iterable[str], last: str) -> bool:
    """Every complete word typed is a word of the label and the word being typed starts one."""
    if not all(w in words for w in complete):
        return False
    return not last or any(w.startswith(last) for w in words)
