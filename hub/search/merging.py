"""When the index writer merges segments.

Every publish commits one small segment. Whoosh's default policy
(``MERGE_SMALL``) merges the smallest five or so on nearly every commit, so a
segment holding the last few dozen edits is read and rewritten again and again
(about 100 ms per publish at 10,000 resources). Here segments are grouped in
tiers by their live document count and a tier is
merged into one segment only when it holds ``SEGMENTS_PER_TIER`` of them, with
every smaller tier: each document is rewritten about once per tier, the number
of segments stays bounded (at most ``SEGMENTS_PER_TIER`` - 1 per tier), and a
segment whose documents were mostly replaced drops to a lower tier and is
merged away with it.

Tiers grow by a factor of ``SEGMENTS_PER_TIER`` (4: 1-3 live documents, 4-15,
16-63, ...). Every search term is looked up in every segment, so fewer
segments make the searches after each publish cheaper; with 10 per tier a
10,000-resource index carried 15 segments after 150 publishes, with 4 about 8,
for a few more small merges.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from hub.search.readers import ReaderPool

SEGMENTS_PER_TIER = 4


def tier_of(live_docs: int, base: int = SEGMENTS_PER_TIER) -> int:
    """0 below ``base`` live documents, 1 below base², and so on."""
    tier, bound = 0, base
    while live_docs >= bound:
        tier, bound = tier + 1, bound * base
    return tier


def segments_to_merge(segments: list, per_tier: int = SEGMENTS_PER_TIER) -> list:
    """The segments to merge into the one being written (maybe none)."""
    tiers: dict[int, list] = defaultdict(list)
    for segment in segments:
        tiers[tier_of(segment.doc_count(), per_tier)].append(segment)
    chosen: list = []
    for tier in sorted(tiers):
        chosen.extend(tiers[tier])
        if len(tiers[tier]) >= per_tier:
            return chosen  # this tier and every smaller one
    return []


def tiered_policy(pool: ReaderPool) -> Callable:
    """A Whoosh merge policy (``writer.commit(mergetype=...)``) that reads the
    merged segments through ``pool``'s open files."""

    def policy(writer, segments):
        merging = segments_to_merge(list(segments))
        if not merging:
            return segments
        for segment in merging:
            writer.add_reader(pool.segment_reader(writer.storage, writer.schema, segment, writer.generation))
        ids = {s.segment_id() for s in merging}
        return [s for s in segments if s.segment_id() not in ids]

    return policy
