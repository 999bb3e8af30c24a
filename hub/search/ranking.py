"""How best match ranks, as numbers in one place (docs/search.md says what
each does). The field weights are in ``hub.search.schema`` (they are written
into the index); these are applied at query time, so changing one needs no
reindex."""
from __future__ import annotations

#: Above two optional words, a document must contain this share of them (rounded up).
MINIMUM_SHARE = 0.6
#: Fewer visible results than this with the minimum: documents with any of the words are listed (and the page says so).
FEW_RESULTS = 1
#: Scores are multiplied by (share of the words matched) ** this: all the words before most of them.
COORDINATION_POWER = 2.0
#: Every word the reader typed is in the title (either language) or a name of the resource.
ALL_WORDS_IN_TITLE = 1.6
#: Two words typed one after the other stand together in the same text.
PAIR_TOGETHER = 1.25
#: Proximity is looked at for this many pairs of words (the first ones typed).
PROXIMITY_PAIRS = 6
#: Question and function words ("how do we", "que faire avec") count this much.
QUESTION_WORD_WEIGHT = 0.15
#: Words shorter than this are never corrected.
CORRECT_FROM_LENGTH = 4
#: Words this long or shorter are corrected only one edit away (two beyond).
ONE_EDIT_UP_TO = 5
#: Bounded fuzzy matching: a word of at least FUZZY_FROM_LENGTH letters that at
#: most RARE_WORD_DOCS visible documents contain also matches, at FUZZY_WEIGHT,
#: its neighbour one edit away that FUZZY_MORE_COMMON times as many contain.
RARE_WORD_DOCS = 1
FUZZY_FROM_LENGTH = 5
FUZZY_MORE_COMMON = 5
FUZZY_WEIGHT = 0.5
