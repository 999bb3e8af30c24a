"""A resource and its translation are one work: lists show one edition.

The edition shown is the one in the reader's language, or the other when
only it is in the set (because of the filters, the words, or what the reader
may see). Pairs are read from the index itself (each document's ``slug`` and
``translation`` columns), symmetrically: a pair is linked when either edition
names the other and their languages differ, as the resource page links them.

Totals and facet counts are of what the list shows; the JSON API does not ask
for this and keeps counting editions.
"""
from __future__ import annotations

import threading
import weakref

import numpy as np

_partners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def partners(snap) -> np.ndarray:
    """For each docnum, the docnum of its other-language edition, or -1
    (built once per snapshot)."""
    with _lock:
        found = _partners.get(snap)
    if found is not None:
        return found
    slugs: list[str] = snap.values("slug")
    named: list[str] = snap.values("translation")
    language = snap.facet("language")
    french = language.mask({"fr"})
    doc_of = {slug: d for d, slug in enumerate(slugs) if slug and snap.live[d]}
    partner = np.full(snap.size, -1, dtype=np.int64)
    for d, other in enumerate(named):
        o = doc_of.get(other) if other else None
        if o is None or o == d or not snap.live[d] or french[d] == french[o]:
            continue
        if partner[d] == -1 and partner[o] == -1:
            partner[d], partner[o] = o, d
    with _lock:
        _partners[snap] = partner
    return partner


class OnePerWork:
    """Reduces sets of documents to one edition per work for a reader of `language`."""

    def __init__(self, snap, language: str):
        self.partner = partners(snap)
        self.paired = self.partner >= 0
        self.other_language = ~snap.facet("language").mask({language})

    def _dropped(self, mask: np.ndarray) -> np.ndarray:
        """Editions in `mask` not in the reader's language whose partner is in `mask` too."""
        drop = mask & self.paired & self.other_language
        idx = np.flatnonzero(drop)
        drop[idx] = mask[self.partner[idx]]
        return drop

    def keep(self, mask: np.ndarray) -> np.ndarray:
        return mask & ~self._dropped(mask)

    def counts(self, column, mask: np.ndarray) -> dict[str, int]:
        """What ticking each value of the facet would list: the editions carrying
        it, less those whose partner also carries it (and is the one shown)."""
        counts = column.counts(mask)
        idx = np.flatnonzero(self._dropped(mask))
        if len(idx) and len(column.values):
            both = (column.matrix[:, idx] * column.matrix[:, self.partner[idx]]).sum(axis=1)
            for value, n in zip(column.values, both.tolist(), strict=True):
                counts[value] -= round(n)
        return counts
