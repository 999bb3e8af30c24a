"""The reader's query language: what each form means, and that nothing a reader
types can fail or reach field syntax or wildcards."""
import pytest

from hub.search.syntax import MAX_QUERY_CHARS, And, Not, Or, Phrase, Word, parse, positive_words


@pytest.mark.parametrize("text, tree", [
    ("racism", Word("racism")),
    ("anti-black racism", And((Word("anti-black"), Word("racism")))),
    ('"systemic racism" hiring', And((Phrase(("systemic", "racism")), Word("hiring")))),
    ("hiring OR embauche", Or((Word("hiring"), Word("embauche")))),
    ("hiring OU embauche", Or((Word("hiring"), Word("embauche")))),
    ("racism NOT police", And((Word("racism"), Not(Word("police"))))),
    ("racism -police", And((Word("racism"), Not(Word("police"))))),
    ('racism -"police checks"', And((Word("racism"), Not(Phrase(("police", "checks")))))),
    ("(hiring OR recruitment) toolkit", And((Or((Word("hiring"), Word("recruitment"))), Word("toolkit")))),
    ("a AND b", And((Word("a"), Word("b")))),
    ("l'équité", Word("l'équité")),
])
def test_forms(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, tree", [
    ('"unclosed phrase', And((Word("unclosed"), Word("phrase")))),
    ("(unbalanced", Word("unbalanced")),
    ("unbalanced)", Word("unbalanced")),
    ("((a) b", And((Word("a"), Word("b")))),
    ("OR", None),
    ("NOT", None),
    ("AND OR NOT", None),
    ("racism OR", Word("racism")),
    ("OR racism", Word("racism")),
    ("racism NOT", Word("racism")),
    ("-", None),
    ('""', None),
    ("()", None),
    ("", None),
])
def test_odd_input_degrades_to_words(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, words", [
    ("access:members", ["access", "members"]),
    ("status:draft", ["status", "draft"]),
    ("*", []),
    ("a*", ["a"]),
    ("title:hiring^5", ["title", "hiring", "5"]),
    ("[a TO z]", ["a", "TO", "z"]),
    ("hir?ng~2", ["hir", "ng", "2"]),
])
def test_no_field_syntax_or_wildcards(text, words):
    """Field names, wildcards, ranges, boosts and fuzzy marks are only words."""
    assert list(positive_words(parse(text))) == words


def test_inner_hyphen_is_not_a_minus():
    assert parse("anti-Noirs") == Word("anti-Noirs")
    assert parse("racisme -anti-Noirs") == And((Word("racisme"), Not(Word("anti-Noirs"))))


def test_size_is_bounded():
    tree = parse("word " * 10_000)
    assert len(list(positive_words(tree))) <= 48
    deep = parse("(" * 200 + "x" + ")" * 200)
    assert list(positive_words(deep)) == ["x"]
    assert parse("y" * (MAX_QUERY_CHARS * 4)) == Word("y" * MAX_QUERY_CHARS)


def test_positive_words_skip_negations():
    assert list(positive_words(parse('racism -police "hiring practices" NOT data'))) == \
        ["racism", "hiring", "practices"]
