"""The Whoosh schema and the one pure function that maps a resource to its
search document. Nothing is indexed that the database does not hold.

Text is indexed once per language (``title_en``/``title_fr`` …) with that
language's analyser, filled only for the resource's own language; vocabulary
labels and synonyms are indexed in *both* languages for every resource, so a
French query finds an English resource through its racism type or audience.
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from hub.content.fields import facet_values, facet_vocabularies, index_weights
from hub.search.analysis import LANGS, SEPARATOR, analyzer, fold, plain_analyzer, word_analyzer
from hub.security.policy import labels_for
from hub.vocabularies import Vocabularies

#: Text fields indexed once per language, and their BM25F weights (title strongest):
#: the resource's own fields as declared (hub/content/fields.py), then the
#: vocabulary labels and the attachments' text, which no field holds.
TEXT_FIELDS = dict(sorted({**index_weights(), "vocab": 1.5, "files": 0.8}.items(), key=lambda kv: -kv[1]))
META_FIELD, META_BOOST = "meta", 1.5
#: Every field a reader's words are matched against.
SEARCH_FIELDS: tuple[str, ...] = tuple(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGS) + (META_FIELD,)

#: Facet parameter (and index field) -> vocabulary name or None, as declared.
FACETS: dict[str, str | None] = facet_vocabularies()


def field_language(field: str) -> str | None:
    """``title_fr`` -> ``fr``; ``meta`` -> None (names are not stemmed)."""
    lang = field.rsplit("_", 1)[-1]
    return lang if lang in LANGS else None


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "labels": KEYWORD(commas=True),
        "published": NUMERIC(sortable=True, bits=32, signed=False),
        "num": NUMERIC(sortable=True, bits=32, signed=False),
        "title_sort": ID(sortable=True),
        # A resource and its translation are one work in lists (search/editions.py).
        "slug": ID(sortable=True),
        "translation": ID(sortable=True),
        META_FIELD: TEXT(analyzer=plain_analyzer(), field_boost=META_BOOST),
        # Folded words of titles, summaries, topics and labels: spelling corrections.
        "spell": TEXT(analyzer=word_analyzer(), phrase=False),
        # Folded title words: completion as the reader types.
        "title_words": TEXT(analyzer=word_analyzer(), phrase=False),
        "lang": STORED(),
    }
    for facet in FACETS:
        fields[facet] = KEYWORD(commas=True)
    # Topics as whole keys (lower-cased), so related resources are found by shared topics.
    fields["topic"] = KEYWORD(commas=True, lowercase=True)
    for name, boost in TEXT_FIELDS.items():
        for lang in LANGS:
            fields[f"{name}_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=boost, phrase=True)
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


def document_for(resource, vocab: Vocabularies) -> dict:
    """The search document of a resource (pure: no database, no app)."""
    lang = resource.language if resource.language in LANGS else "en"
    labels_text = vocab_text(resource, vocab)
    files_text = "\n".join(a.text for a in resource.attachments if a.text)
    topics = SEPARATOR.join(resource.topics or [])
    return {
        "id": str(resource.id),
        "num": int(resource.id),
        "labels": ",".join(sorted(labels_for(resource))),
        **{facet: ",".join(values) for facet, values in facet_values(resource).items()},
        "topic": ",".join(topic_key(t) for t in resource.topics or ()),
        "published": resource.published_on.toordinal() if resource.published_on else 0,
        "title_sort": title_sort_key(resource.title),
        "slug": resource.slug,
        "translation": resource.translation or "",
        META_FIELD: SEPARATOR.join([resource.organization or "", *(resource.authors or [])]),
        "spell": " ".join([resource.title, resource.summary, *(resource.topics or []), *labels_text["en"],
                           *labels_text["fr"]]),
        "title_words": resource.title,
        "lang": lang,
        f"title_{lang}": resource.title,
        f"summary_{lang}": resource.summary,
        f"topics_{lang}": topics,
        f"body_{lang}": resource.body or "",
        f"files_{lang}": files_text,
        "vocab_en": SEPARATOR.join(labels_text["en"]),
        "vocab_fr": SEPARATOR.join(labels_text["fr"]),
    }
