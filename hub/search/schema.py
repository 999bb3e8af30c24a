"""The Whoosh schema and the one pure function that maps a resource to its
search document. Nothing is indexed that the database does not hold.

Text is indexed once per language (``title_en``/``title_fr`` …) with that
language's analyser: titles, summaries and topics in every language the record
has (``hub.search.records``), the body and attachments in the document's own
language. Vocabulary labels and synonyms are indexed in *both* languages for
every resource, so a French query finds an English resource through its racism
type or audience; other names (acronyms, ``hub/names.yaml``) go in ``names``.
"""
from __future__ import annotations

import zlib

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from hub.content.fields import facet_values, facet_vocabularies, index_weights
from hub.search.analysis import LANGS, SEPARATOR, analyzer, fold, pair_analyzer, plain_analyzer, word_analyzer
from hub.search.lexicon import names_for
from hub.search.records import described
from hub.security.policy import labels_for
from hub.vocabularies import Vocabularies

#: Text fields indexed once per language, and their BM25F weights (title strongest):
#: the resource's own fields as declared (hub/content/fields.py, the one place
#: to change a weight, then ``hub reindex``), then the vocabulary labels and the
#: attachments' text, which no field holds.
TEXT_FIELDS = dict(sorted({**index_weights(), "vocab": 1.5, "files": 0.8}.items(), key=lambda kv: -kv[1]))
#: Fields without a language (whole words, not stemmed), and their weights.
META_FIELD, META_BOOST = "meta", 1.5        # organization and authors
NAMES_FIELD, NAMES_BOOST = "names", 6.0     # acronyms and other names of the organisation or work
#: Fields whose match means "the reader named this resource" (known items).
TITLE_FIELDS: tuple[str, ...] = (*tuple(f"title_{lang}" for lang in LANGS), NAMES_FIELD)
#: Pairs of adjacent terms (phrases and proximity) per analysis: a language, or
#: whole words (organization, authors, other names). Not scored.
PAIR_FIELDS: dict[str | None, str] = {**{lang: f"pairs_{lang}" for lang in LANGS}, None: "pairs_names"}
#: Every field a reader's words are matched against.
SEARCH_FIELDS: tuple[str, ...] = (*(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGS),
                                  META_FIELD, NAMES_FIELD)

#: Facet parameter (and index field) -> vocabulary name or None, as declared.
FACETS: dict[str, str | None] = facet_vocabularies()


def field_language(field: str) -> str | None:
    """``title_fr`` -> ``fr``; ``meta``, ``names`` -> None (names are not stemmed)."""
    lang = field.rsplit("_", 1)[-1]
    return lang if lang in LANGS else None


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "labels": KEYWORD(commas=True),
        "published": NUMERIC(sortable=True, bits=32, signed=False),
        "num": NUMERIC(sortable=True, bits=32, signed=False),
        # One number per work: a resource and its translation share it.
        "work": NUMERIC(sortable=True, bits=32, signed=False),
        "title_sort": ID(sortable=True),
        # A resource and its translation are one work in lists (search/editions.py).
        "slug": ID(sortable=True),
        "translation": ID(sortable=True),
        META_FIELD: TEXT(analyzer=plain_analyzer(), field_boost=META_BOOST),
        NAMES_FIELD: TEXT(analyzer=plain_analyzer(), field_boost=NAMES_BOOST, phrase=True),
        # Folded words of titles, summaries, topics and labels: spelling corrections.
        "spell": TEXT(analyzer=word_analyzer(), phrase=False),
        # Folded title words: completion as the reader types.
        "title_words": TEXT(analyzer=word_analyzer(), phrase=False),
        "lang": STORED(),
        "language_code": NUMERIC(sortable=True, bits=8, signed=False),
    }
    for facet in FACETS:
        fields[facet] = KEYWORD(commas=True)
    # Topics as whole keys (lower-cased), so related resources are found by shared topics.
    fields["topic"] = KEYWORD(commas=True, lowercase=True)
    for name, boost in TEXT_FIELDS.items():
        for lang in LANGS:
            fields[f"{name}_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=boost, phrase=True)
    for lang, name in PAIR_FIELDS.items():
        fields[name] = TEXT(analyzer=pair_analyzer(lang), phrase=False)
    return Schema(**fields)


def topic_key(topic: str) -> str:
    """A topic as the ``topic`` keyword field holds it (commas separate keys there)."""
    return " ".join(topic.replace(",", " ").lower().split())


def title_sort_key(title: str) -> str:
    """Locale-aware enough for English and French: accents and case ignored at
    the first level (é sorts with e, not after z), leading punctuation skipped."""
    folded = fold(title).lstrip(" \"'«»“”‘’([¿¡-–—.")
    return folded[:200]


def vocab_text(resource, vocab: Vocabularies) -> dict[str, list[str]]:
    """Labels and alternative labels of a resource's vocabulary keys, per language."""
    text: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for vocab_name, keys in (("resource_types", [resource.type]), ("racism_types", resource.racism_types),
                             ("audiences", resource.audiences), ("regions", [resource.region])):
        for key in keys or ():
            term = vocab.term(vocab_name, key)
            if term is None:
                continue
            for lang in LANGS:
                text[lang].append(term.label(lang))
                text[lang].extend(term.alt.get(lang, ()))
    return text


def work_number(resource) -> int:
    """The same number for a resource and its translation (their two slugs, sorted)."""
    pair = sorted(filter(None, (resource.slug, getattr(resource, "translation", None))))
    return zlib.crc32("|".join(pair).encode("utf-8"))


def language_code(lang: str) -> int:
    """A document's language as a small number (a sortable column): 1 + its place in LANGS."""
    return LANGS.index(lang) + 1 if lang in LANGS else 0


def document_for(resource, vocab: Vocabularies) -> dict:
    """The search document of a resource (pure: no database, no app)."""
    meta = described(resource)
    lang = meta.language
    labels_text = vocab_text(resource, vocab)
    files_text = "\n".join(a.text for a in resource.attachments if a.text)
    all_topics = [t for topics in meta.topics.values() for t in topics]
    other_names = names_for(resource.organization or "", *meta.titles.values(), *_publisher_names(resource, vocab))
    doc = {
        "id": str(resource.id),
        "num": int(resource.id),
        "work": work_number(resource),
        "language_code": language_code(resource.language),
        "labels": ",".join(sorted(labels_for(resource))),
        **{facet: ",".join(values) for facet, values in facet_values(resource).items()},
        "topic": ",".join(topic_key(t) for t in resource.topics or ()),
        "published": resource.published_on.toordinal() if resource.published_on else 0,
        "title_sort": title_sort_key(resource.title),
        "slug": resource.slug,
        "translation": resource.translation or "",
        META_FIELD: SEPARATOR.join([resource.organization or "", *(resource.authors or [])]),
        NAMES_FIELD: SEPARATOR.join([*_publisher_names(resource, vocab), *other_names]),
        "spell": " ".join([*meta.titles.values(), *meta.summaries.values(), *all_topics, *labels_text["en"],
                           *labels_text["fr"], *other_names]),
        "title_words": " ".join(meta.titles.values()),
        "lang": lang,
        f"body_{lang}": resource.body or "",
        f"files_{lang}": files_text,
        "vocab_en": SEPARATOR.join(labels_text["en"]),
        "vocab_fr": SEPARATOR.join(labels_text["fr"]),
    }
    for code, title in meta.titles.items():
        doc[f"title_{code}"] = title
    for code, summary in meta.summaries.items():
        doc[f"summary_{code}"] = summary
    for code, topics in meta.topics.items():
        doc[f"topics_{code}"] = SEPARATOR.join(topics)
    for code, name in PAIR_FIELDS.items():
        parts = [META_FIELD, NAMES_FIELD] if code is None else [f"{field}_{code}" for field in TEXT_FIELDS]
        doc[name] = SEPARATOR.join(doc[part] for part in parts if doc.get(part))
    return doc


def _publisher_names(resource, vocab: Vocabularies) -> list[str]:
    """The publisher's names and alternative names in both languages, when the
    resource names a publisher the vocabulary knows."""
    key = described(resource).publisher
    if not key:
        return []
    try:
        term = vocab.term("publishers", key)
    except KeyError:  # a vocabulary file without publishers
        return []
    return term.search_terms() if term is not None else []
