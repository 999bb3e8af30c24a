"""The Whoosh schema and the one pure function that maps a resource to its
search document. Nothing is indexed that the database does not hold."""
from __future__ import annotations

import unicodedata

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from hub.security.policy import labels_for
from hub.vocabularies import Vocabularies

LANGS = ("en", "fr")
#: Text fields indexed once per language, with that language's analyzer, and their weights.
TEXT_FIELDS = {"title": 6.0, "summary": 2.5, "topics": 2.5, "vocab": 1.5, "body": 1.0, "files": 0.8}
FRENCH_EXTRA_STOPS = {"les", "des", "aux", "une", "est", "sont"}


def analyzer(lang: str):
    """Tokenise, lowercase, fold accents, drop stop words, stem: `équités` ~ `equite`."""
    if lang == "fr":
        stops = frozenset(stopwords_for_language("fr")) | FRENCH_EXTRA_STOPS
    else:
        stops = STOP_WORDS
    folded_stops = frozenset(fold(w) for w in stops)
    return (RegexTokenizer(r"\w+(?:['’]\w+)*") | LowercaseFilter() | _ElisionFilter()
            | CharsetFilter(accent_map) | StopFilter(stoplist=folded_stops, minsize=1)
            | StemFilter(lang=lang, cachesize=50000))


class _ElisionFilter(Filter):
    """French elisions: l'équité -> équité, d'emploi -> emploi."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            for apo in ("'", "’"):
                if apo in text:
                    head, _, tail = text.partition(apo)
                    if len(head) <= 2 and tail:
                        text = tail
            t.text = text
            yield t


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "slug": ID(stored=True),
        "labels": KEYWORD(commas=True),
        "type": KEYWORD(commas=True, stored=True),
        "racism_type": KEYWORD(commas=True, stored=True),
        "audience": KEYWORD(commas=True, stored=True),
        "language": KEYWORD(commas=True, stored=True),
        "region": KEYWORD(commas=True, stored=True),
        "year": KEYWORD(commas=True, stored=True),
        "published": NUMERIC(sortable=True, stored=True, bits=32, signed=False),
        "title_sort": ID(sortable=True),
        "meta": TEXT(analyzer=RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map),
                     field_boost=1.5),
        "summary_stored": STORED(),
        "spell": TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), spelling=True),
    }
    for name, boost in TEXT_FIELDS.items():
        for lang in LANGS:
            fields[f"{name}_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=boost, phrase=True,
                                            chars=(name == "body"))
    return Schema(**fields)


def document_for(resource, vocab: Vocabularies) -> dict:
    """The search document of a resource (pure: no database, no app)."""
    lang = resource.language if resource.language in LANGS else "en"
    vocab_text = {"en": [], "fr": []}
    for vocab_name, keys in (("resource_types", [resource.type]), ("racism_types", resource.racism_types),
                             ("audiences", resource.audiences), ("regions", [resource.region])):
        for key in keys or ():
            term = vocab.term(vocab_name, key)
            if term is None:
                continue
            for loc in LANGS:
                vocab_text[loc].append(term.label(loc))
                vocab_text[loc].extend(term.alt.get(loc, ()))
    files_text = "\n".join(a.text for a in resource.attachments if a.text)
    topics = " ; ".join(resource.topics or [])
    doc = {
        "id": str(resource.id),
        "slug": resource.slug,
        "labels": ",".join(sorted(labels_for(resource))),
        "type": resource.type or "",
        "racism_type": ",".join(resource.racism_types or []),
        "audience": ",".join(resource.audiences or []),
        "language": resource.language or "",
        "region": resource.region or "",
        "year": str(resource.year) if resource.year else "",
        "published": resource.published_on.toordinal() if resource.published_on else 0,
        "title_sort": fold(resource.title)[:200],
        "meta": " ".join([resource.organization or "", *(resource.authors or [])]),
        "summary_stored": resource.summary,
        "spell": " ".join([resource.title, resource.summary, topics]),
        f"title_{lang}": resource.title,
        f"summary_{lang}": resource.summary,
        f"topics_{lang}": topics,
        f"body_{lang}": resource.body or "",
        f"files_{lang}": files_text,
        "vocab_en": " ; ".join(vocab_text["en"]),
        "vocab_fr": " ; ".join(vocab_text["fr"]),
    }
    return doc
