"""What a self-assessment result asks a council to do: the statements answered
at the bottom of the scale, each with its first step and resources chosen for
that statement.

Why per statement and not per section: a section title ("The municipality as
an employer") is too broad to choose reading for, and picks made from it came
back odd (an antisemitism handbook for hiring). A statement ("Hiring practices
have been reviewed for barriers such as unnecessary Canadian experience
requirements") says what is missing; the search service ranks the catalogue
against its words, the section's ``recommend`` rule keeps the candidates on
topic, and the words both share become the reason shown to the reader.

Ranking stays the search service's (``rank_resources``): this module only
filters its order and never scores a resource itself.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from hub.extensions import db
from hub.models import Resource
from hub.search.analysis import tokens
from hub.security.visibility import visible_clause
from hub.services.assessments import Result, SectionScore, Tool, _norm

#: Answers below this position on the scale are priorities: on the usual scale
#: "Not yet" (0) and "Starting" (1).
PRIORITY_BELOW = 2
#: Resources suggested for one statement, at most.
SUGGESTIONS_PER_STATEMENT = 2
#: How many of the search's best matches for a statement are looked at.
SEARCH_DEPTH = 300
#: A reason's phrase stops after this many words: it names the match, it does not quote the statement.
MAX_PHRASE_WORDS = 5
#: Words every statement of an anti-racism tool shares: searching for them
#: would rank the whole catalogue alike, and "for: racism" explains nothing.
GENERIC_WORDS = frozenset("""
anti racism racist antiracism antiracist racisme raciste antiracisme antiraciste our we us nos notre nous
municipality municipal municipalite organization organisation organizations partnership partenariat
partners partenaires council conseil least once year annee each chaque every has have been such only
how who what which clear key local locale locales main other others people personnes work travail
working about include includes including available named use used held find first member members them they
board boards one two three new down out within without both
their there time times way ways know help part take also more most many all any some where when would
inclut comprend disponible nommé membres leur leurs temps fois façon aide partie faire
comme quel quelle quels quelles dont afin propre propres
""".split())

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_JOINERS = re.compile(r"[-'’]")


def _generic(word: str) -> bool:
    """True for "racism", "anti-racism", "l'organisation": every part is generic."""
    parts = [p for p in _JOINERS.split(_norm(word)) if len(p) > 2]  # "l'", "d'": elisions
    return all(p in GENERIC_WORDS for p in parts)


@dataclass(frozen=True)
class Statement:
    """One statement answered low, with what the tool says to do about it."""
    section_id: str
    number: int  # 1-based within its section
    position: str  # "2.3": section position and number, as the form shows it
    text: str
    answer: int
    answer_label: str
    action: str | None
    weight: int = 1

    @property
    def key(self) -> str:
        """The statement's form field (``section.n``), which a plan refers to."""
        return f"{self.section_id}.{self.number}"


@dataclass(frozen=True)
class Suggestion:
    resource: Resource
    #: The statement's words (as written in it) the resource also has in its
    #: title, summary or topics, joined into phrases: the one-line reason.
    reason: tuple[str, ...]


@dataclass
class Priority:
    statement: Statement
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class SectionPriorities:
    score: SectionScore
    priorities: list[Priority]


def priority_statements(tool: Tool, result: Result, locale: str) -> list[SectionPriorities]:
    """Per section, weakest first, the statements answered at the bottom of the
    scale: lowest answer first, then the tool's weighting, then its order.
    Pure: no database, no suggestions. A section with none is left out."""
    below = min(PRIORITY_BELOW, max(tool.top, 1))
    tool_language = tool.resource.language if tool.resource is not None else None
    out = []
    for score in result.weakest_first():
        section = tool.section(score.id)
        if section is None:
            continue
        statements = [
            Statement(section_id=section.id, number=n, position=f"{section.position}.{n}", text=text,
                      answer=value, answer_label=tool.scale[value],
                      action=section.action(n, locale, tool_language), weight=section.weight(n))
            for n, (text, value) in enumerate(zip(section.questions, score.answers, strict=False), 1)
            if value is not None and value < below]
        statements.sort(key=lambda st: (st.answer, -st.weight, st.number))
        if statements:
            out.append(SectionPriorities(score=score, priorities=[Priority(st) for st in statements]))
    return out


def _search_words(text: str) -> list[str]:
    """A statement's words worth searching for, lowercased so that none is read
    as an operator (OR, ET, NOT)."""
    words = []
    for word in _WORD.findall(text):
        low = word.lower()
        if len(low) > 2 and not _generic(low) and low not in words:
            words.append(low)
    return words


def reason_phrases(statement: str, resource_text: str, statement_lang: str, resource_lang: str,
                   limit: int = 3) -> tuple[str, ...]:
    """The statement's words that the resource's text shares (compared as the
    search compares them: folded and stemmed), with neighbouring shared words
    joined into one phrase: "identity data", "consent"."""
    theirs = set(tokens(resource_text, resource_lang))
    if statement_lang != resource_lang:
        theirs |= set(tokens(resource_text, statement_lang))
    phrases: list[list[str]] = []
    run: list[str] = []
    for word in _WORD.findall(statement):
        stems = tokens(word, statement_lang)
        if not stems:  # a stop word: it neither matches nor breaks a phrase
            if run:
                run.append(word)
            continue
        if not _generic(word) and all(s in theirs for s in stems):
            run.append(word)
            continue
        if run:
            phrases.append(run)
        run = []
    if run:
        phrases.append(run)
    out: list[str] = []
    for words in phrases:
        while words and not tokens(words[-1], statement_lang):  # no trailing "of", "and"
            words.pop()
        phrase = " ".join(words[:MAX_PHRASE_WORDS])
        if phrase and phrase.casefold() not in (p.casefold() for p in out):
            out.append(phrase)
    return tuple(out[:limit])


def _described_in(resource: Resource, lang: str) -> tuple[str, str]:
    """The resource's title and topics, and its summary, in its own language
    and, when it has them, in the statement's: a resource written in English
    with a French title and topics is described in French too, and a French
    statement can only share words with that description."""
    langs = dict.fromkeys([resource.language, lang])
    titles, topics, summaries = resource.titles, resource.topics_by_language, resource.summaries
    headline = " . ".join(part for code in langs for part in [titles.get(code, ""), *topics.get(code, ())] if part)
    summary = " . ".join(summaries[code] for code in langs if summaries.get(code))
    return headline, summary


def _reason(statement: str, resource: Resource, lang: str) -> tuple[str, ...]:
    """Why a resource fits a statement, or nothing when the fit is too thin to
    say so: a shared word in its title or topics, or two in its summary."""
    headline, summary = _described_in(resource, lang)
    everything = reason_phrases(statement, f"{headline} . {summary}", lang, resource.language)
    if reason_phrases(statement, headline, lang, resource.language):
        return everything
    words = sum(len(tokens(phrase, lang)) for phrase in everything)
    return everything if words >= 2 else ()


def _candidates(user, tool: Tool) -> dict[int, Resource]:
    """Published resources this person may read, other than the tool itself
    and its edition in the other language (the reader is already taking it);
    of a resource and its translation, only the one in the tool's language."""
    stmt = select(Resource).where(visible_clause(user), Resource.status == "published")
    if tool.resource is not None:
        stmt = stmt.where(Resource.id != tool.resource.id)
        if tool.resource.translation:
            stmt = stmt.where(Resource.slug != tool.resource.translation)
        stmt = stmt.where(or_(Resource.translation.is_(None), Resource.translation != tool.resource.slug))
    rows = list(db.session.scalars(stmt))
    tool_lang = tool.resource.language if tool.resource is not None else None
    in_tool_lang = {r.slug for r in rows if r.language == tool_lang}
    translated = {r.translation for r in rows if r.language == tool_lang and r.translation}
    return {r.id: r for r in rows
            if r.language == tool_lang or (r.translation not in in_tool_lang and r.slug not in translated)}


def _fits_rule(resource: Resource, topics: set[str], types: set[str]) -> bool:
    """The section's rule names topics in the tool's language; a resource
    carries its topics in every language it is described in, so a French
    tool's "embauche" selects an English guide whose French topics say so."""
    theirs = {_norm(t) for values in resource.topics_by_language.values() for t in values}
    return bool(topics & theirs) or resource.type in types


def suggest(user, tool: Tool, sections: Iterable[SectionPriorities],
            per_statement: int = SUGGESTIONS_PER_STATEMENT) -> None:
    """Fill in each priority's suggestions, in priority order, so the first
    statements get the best matches; a resource (or one with the same title) is suggested once per result
    at most; of a resource and its translation, only one is ever a candidate.

    A resource qualifies for a statement when the section's ``recommend`` rule
    selects it (one of its topics or types), the search finds it for the
    statement's words, and it shares at least one of those words in its title,
    summary or topics (the reason shown)."""
    from hub.services.search import SearchParams, rank_resources

    sections = list(sections)
    if not any(sp.priorities for sp in sections):
        return
    candidates = _candidates(user, tool)
    tool_lang = tool.resource.language if tool.resource is not None else "en"
    shown_ids: set[int] = set()
    shown_titles: set[str] = set()
    for sp in sections:
        section = tool.section(sp.score.id)
        if section is None or not (section.recommend_topics or section.recommend_types):
            continue
        topics = {_norm(t) for t in section.recommend_topics}
        types = set(section.recommend_types)
        for priority in sp.priorities:
            words = _search_words(priority.statement.text)
            if not words:
                continue
            params = SearchParams(q=" OR ".join(words), sort="relevance", locale=tool_lang)
            for resource_id, _score in rank_resources(user, params, limit=SEARCH_DEPTH):
                resource = candidates.get(resource_id)
                if resource is None or resource_id in shown_ids or _norm(resource.title) in shown_titles:
                    continue
                if not _fits_rule(resource, topics, types):
                    continue
                reason = _reason(priority.statement.text, resource, tool_lang)
                if not reason:
                    continue
                priority.suggestions.append(Suggestion(resource, reason))
                shown_ids.add(resource_id)
                shown_titles.add(_norm(resource.title))
                if len(priority.suggestions) >= per_statement:
                    break


def priorities(user, tool: Tool, result: Result, locale: str) -> list[SectionPriorities]:
    """Everything the result's "What to do first" shows."""
    sections = priority_statements(tool, result, locale)
    suggest(user, tool, sections)
    return sections
