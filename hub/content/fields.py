"""Every field of a resource, and every facet, declared once.

The content contract's fields used to be listed again in the validator, the
exporter, the submission form, the review and history pages, the API and its
OpenAPI document, OAI-PMH, the search schema and the facet lists, so adding
one meant editing a dozen files that could disagree. Each of those now reads
this declaration: adding a field is one entry in ``FIELDS`` (plus, for a field
that needs its own database column, that column and its migration; any other
field is kept in ``Resource.extras`` and needs neither).

Labels and help are lazy gettext strings: English here, French in the
project's message catalogue, like every other string shown to a person.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

#: What a field holds; each kind has one parser in ``validation`` and one form widget.
KINDS = ("text", "longtext", "tags", "lines", "key", "keys", "date", "url", "slug", "markdown",
         "assessment", "files")
#: The submission form's groups, in page order, with their legends.
FORM_GROUPS = {
    "resource": _l("The resource"),
    "about": _l("Who it is for and what it is about"),
    "text": _l("Text and files"),
}


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter key: how it is read, checked, stored, shown and found."""
    name: str
    kind: str
    label: Any
    help: Any = None
    required: bool = False
    #: A plain value (in the document's language) or {en, fr} in front matter.
    bilingual: bool = False
    #: Characters (text) or characters per item (tags, lines).
    limit: int | None = None
    #: For key/keys: the vocabulary the keys come from.
    vocabulary: str | None = None
    #: Search: the index text field (``<index>_en``/``<index>_fr``) and its BM25F weight.
    index: str | None = None
    weight: float = 0.0
    #: "column": its own column of `resources`; "extra": kept in `Resource.extras`.
    storage: str = "column"
    #: Shown in the submission form (in this group) and so in the review diff.
    form_group: str | None = None
    #: In the API's resource objects: "list" (search results and the detail),
    #: "detail" (the detail only) or None; the OpenAPI document follows.
    api: str | None = "detail"
    #: For a bilingual field, the API key holding it in both languages ({en, fr}).
    api_languages: str | None = None
    #: The (simple) Dublin Core element OAI-PMH writes it as, if any: a bilingual
    #: field once per language, a vocabulary key as its label in the document's language.
    dublin_core: str | None = None
    #: In the editorial history's snapshots (and so in its diffs and restores).
    history: bool = True
    #: An example value for the documentation (and the OpenAPI schema).
    example: Any = None
    #: What an optional field holds when the file leaves it out.
    default: Any = None

    @property
    def is_list(self) -> bool:
        return self.kind in ("tags", "lines", "keys", "files")

    def empty(self) -> Any:
        """The value of a field left out: an empty list, "" for text a resource
        always has, None for an optional value."""
        if self.is_list:
            return []
        return "" if self.required or self.kind == "markdown" or self.name == "slug" else None

    def read(self, obj: Any) -> Any:
        """This field of a Resource or a ResourceFields (both keep extras in `extras`)."""
        if self.storage == "extra":
            return (getattr(obj, "extras", None) or {}).get(self.name, self.empty())
        return getattr(obj, self.name)

    def write(self, obj: Any, value: Any) -> None:
        if self.storage == "extra":
            extras = dict(getattr(obj, "extras", None) or {})
            if value in (None, "", []):
                extras.pop(self.name, None)
            else:
                extras[self.name] = value
            obj.extras = extras
        else:
            setattr(obj, self.name, value)


@dataclass(frozen=True)
class FacetSpec:
    """A search facet: its URL parameter, the field it counts, its vocabulary."""
    name: str
    field: str
    label: Any
    vocabulary: str | None = None


#: Every field, in the order a resource file is written and a person reads it.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", _l("Title"), _l("At most 300 characters."), required=True, bilingual=True,
              limit=300, index="title", weight=8.0, form_group="resource", dublin_core="title",
              example="Hiring Without Bias — A Toolkit for Employers", api="list", api_languages="titles"),
    FieldSpec("slug", "slug", _l("Address (slug)"),
              _l("Optional: the resource's address, e.g. hiring-without-bias. Made from the title when left empty."),
              limit=120, form_group="resource", history=True, example="hiring-without-bias", api="list"),
    FieldSpec("type", "key", _l("Type of resource"), required=True, vocabulary="resource_types",
              form_group="resource", dublin_core="type", example="toolkit", api="list"),
    FieldSpec("summary", "longtext", _l("Summary"),
              _l("Plain text, at most 600 characters: what it is and who it helps."), required=True,
              bilingual=True, limit=600, index="summary", weight=3.0, form_group="resource",
              dublin_core="description", example="Step-by-step practices for employers in small municipalities.",
              api="list", api_languages="summaries"),
    FieldSpec("racism_types", "keys", _l("Racism types"), required=True, vocabulary="racism_types",
              form_group="about", dublin_core="subject", example=["anti-black", "systemic"], api="list"),
    FieldSpec("audiences", "keys", _l("Audiences"), required=True, vocabulary="audiences", form_group="about",
              example=["employers", "lip-staff"], api="list"),
    FieldSpec("topics", "tags", _l("Topics"), _l("Free tags, separated by commas, e.g. hiring, workplace policy."),
              bilingual=True, limit=80, index="topics", weight=2.5, form_group="about", dublin_core="subject",
              example=["hiring", "workplace policy"], api="list"),
    FieldSpec("language", "key", _l("Language of the resource"), required=True, vocabulary="language",
              form_group="resource", dublin_core="language", example="en", api="list"),
    FieldSpec("organization", "text", _l("Organization"), required=True, limit=300, form_group="resource",
              dublin_core="publisher", example="Calgary Local Immigration Partnership", api="list"),
    FieldSpec("publisher", "key", _l("Publisher"),
              _l("Optional: the organisation from the hub's list of publishers, so readers can filter by it."),
              vocabulary="publishers", form_group="resource", example="lip-anti-racism-working-group",
              api="list"),
    FieldSpec("authors", "lines", _l("Authors"), _l("Optional: one per line."), limit=200, form_group="resource",
              dublin_core="creator", example=["A. Person"]),
    FieldSpec("published", "date", _l("Publication date"), _l("A date (YYYY-MM-DD) or a year, e.g. 2022."),
              required=True, form_group="resource", dublin_core="date", example="2022-03-15"),
    FieldSpec("region", "key", _l("Region"), required=True, vocabulary="regions", form_group="resource",
              dublin_core="coverage", example="ab", api="list"),
    FieldSpec("url", "url", _l("Link to the original"),
              _l("Optional: a link to the original, starting with https://."), limit=2000, form_group="resource",
              dublin_core="identifier", example="https://example.org/toolkit", api="list"),
    FieldSpec("files", "files", _l("Files"),
              _l("PDF, DOCX, TXT, PNG or JPEG, at most %(size)s each. Files already added stay with the draft."),
              history=False, api="list"),
    FieldSpec("access", "key", _l("Who may see it"), vocabulary="access", form_group="about",
              default="public", example="public"),
    FieldSpec("translation", "slug", _l("Translation"),
              _l("Optional: the address (slug) of the same resource in the other language."), limit=120,
              form_group="about", example="embaucher-sans-biais"),
    FieldSpec("content_warning", "text", _l("Content warning"),
              _l("Optional: shown before the text, which stays closed until the reader continues."), limit=300,
              form_group="about", example="describes racist violence"),
    FieldSpec("body", "markdown", _l("Text"),
              _l("Markdown: ## headings, - lists, [links](https://…), tables. Use Preview to see it."),
              index="body", weight=1.0, form_group="text", api=None),
    FieldSpec("assessment", "assessment", _l("Self-assessment (advanced)"),
              _l("Only for a self-assessment: its scale and sections, in the YAML format of resource files."),
              form_group="text", api=None),
)

#: The search facets, in the order the search page and the API show them.
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("type", "type", _l("Type of resource"), "resource_types"),
    FacetSpec("racism_type", "racism_types", _l("Type of racism"), "racism_types"),
    FacetSpec("audience", "audiences", _l("Audience"), "audiences"),
    FacetSpec("language", "language", _l("Language"), "language"),
    FacetSpec("region", "region", _l("Region"), "regions"),
    FacetSpec("year", "published", _l("Year")),
    FacetSpec("publisher", "publisher", _l("Publisher"), "publishers"),
)


# -- questions every consumer asks ------------------------------------------------------
def fields() -> tuple[FieldSpec, ...]:
    """The declaration, read at call time (so a test may extend it)."""
    return FIELDS


def field_named(name: str) -> FieldSpec | None:
    return next((f for f in fields() if f.name == name), None)


def names(*, where: Callable[[FieldSpec], bool] | None = None) -> tuple[str, ...]:
    return tuple(f.name for f in fields() if where is None or where(f))


def known_keys() -> tuple[str, ...]:
    return names()


def required_keys() -> tuple[str, ...]:
    return names(where=lambda f: f.required)


def translation_key(name: str) -> str:
    """Where a bilingual field's other-language value goes in a form, a
    history snapshot and a review diff: ``title`` -> ``title_translation``."""
    return f"{name}_translation"


def bilingual_names() -> tuple[str, ...]:
    return names(where=lambda f: f.bilingual)


def form_fields(group: str | None = None) -> tuple[FieldSpec, ...]:
    return tuple(f for f in fields() if f.form_group and (group is None or f.form_group == group))


def api_fields(where: str = "detail") -> tuple[FieldSpec, ...]:
    """The fields of the API's search results ("list") or of its detail ("detail": all of them)."""
    wanted = ("list",) if where == "list" else ("list", "detail")
    return tuple(f for f in fields() if f.api in wanted and f.kind != "files")


def index_weights() -> dict[str, float]:
    """Index text field stem -> BM25F weight, strongest first."""
    weights = {f.index: f.weight for f in fields() if f.index}
    return dict(sorted(weights.items(), key=lambda kv: -kv[1]))


def facets() -> tuple[FacetSpec, ...]:
    return FACETS


def facet_names() -> tuple[str, ...]:
    return tuple(f.name for f in facets())


def facet_vocabularies() -> dict[str, str | None]:
    """Facet parameter -> vocabulary name (None for year)."""
    return {f.name: f.vocabulary for f in facets()}


def facet_values(resource: Any) -> dict[str, list[str]]:
    """The facet keys a resource (or ResourceFields) carries, per facet."""
    values: dict[str, list[str]] = {}
    for facet in facets():
        if facet.name == "year":
            year = getattr(resource, "year", None)
            values[facet.name] = [str(year)] if year else []
            continue
        spec = field_named(facet.field)
        raw = spec.read(resource) if spec else getattr(resource, facet.field, None)
        values[facet.name] = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v]
    return values
