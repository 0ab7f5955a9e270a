"""The variant x window score grid of one call: which pairs are worth a fuzzy comparison, their scores, and the
best cells of each element's block of rows.

rapidfuzz's `cpdist` scores, in one call, each window against the variants that share an anchor with it; the cells
are then ranked once, so each element (and pitfall) takes its shortlist from that ranking instead of sorting its
block of the matrix again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from rapidfuzz import fuzz, process

from rehearse.scoring.text import NormText, Window

COMMON_WORDS = frozenset(
    "i a an the to of is am are was be it my me you your we our on in at for and or so this that with "
    "have has had will would do not can".split()
)
ANCHOR_CHARS = 4  # words are indexed by their first and last four letters, so one misheard letter still finds them


def anchor_keys(word: str) -> tuple[str, ...]:
    if word in COMMON_WORDS or len(word) < 2:
        return ()
    return (f"<{word[:ANCHOR_CHARS]}", f"{word[-ANCHOR_CHARS:]}>")


@dataclass(frozen=True)
class VariantIndex:
    """Which variants share a word with a window: the only pairs worth a fuzzy comparison.

    A phrase can only reach the match threshold against a window that contains (nearly) one of its words, so the
    expensive partial_ratio runs on a small fraction of the variant x window pairs. Sets of variants are bit masks
    (bit i for variant i): a window's candidates are the OR of its words' masks, a few integer operations.
    """

    variants: tuple[str, ...]
    by_key: dict[str, int]  # anchor key -> mask of the variants with a word of that key
    always: int  # variants made only of common words ("how are you"): compared with every window
    lengths: Any = None  # np.ndarray of float32: each variant's length, for the cover of a short window

    @classmethod
    def build(cls, variants: tuple[str, ...]) -> VariantIndex:
        import numpy as np

        by_key: dict[str, int] = {}
        always = 0
        for i, v in enumerate(variants):
            keys = [k for w in v.split() for k in anchor_keys(w)]
            if not keys:
                always |= 1 << i
            for k in keys:
                by_key[k] = by_key.get(k, 0) | 1 << i
        lengths = np.array([len(v) for v in variants], dtype=np.float32)
        return cls(variants, by_key, always, lengths)

    def word_mask(self, word: str) -> int:
        """The variants one word of a window may match."""
        mask = 0
        for k in anchor_keys(word):
            mask |= self.by_key.get(k, 0)
        return mask

    def pairs(self, windows: Sequence[Window]) -> tuple[list[int], list[int]]:
        """(variant rows, window columns) of every pair worth comparing, window by window, rows ascending."""
        import numpy as np

        if not self.variants or not windows:
            return [], []
        memo: dict[str, int] = {}  # each word's mask, once per call: overlapping windows repeat their words
        masks = []
        for window in windows:
            mask = self.always
            for w in window.text.split():
                word = memo.get(w)
                if word is None:
                    word = memo[w] = self.word_mask(w)
                mask |= word
            masks.append(mask)
        size = (len(self.variants) + 7) // 8
        packed = np.frombuffer(b"".join(m.to_bytes(size, "little") for m in masks), dtype=np.uint8)
        bits = np.unpackbits(packed.reshape(len(masks), size), axis=1, bitorder="little")
        cols, rows = np.nonzero(bits)  # row-major: window by window, variants ascending
        return rows.tolist(), cols.tolist()


def score_matrix(index: VariantIndex, text: NormText, cutoff: float = 0.0):  # -> np.ndarray (numpy kept lazy)
    import numpy as np

    matrix = np.zeros((len(index.variants), len(text.windows)), dtype=np.uint8)
    rows, cols = index.pairs(text.windows)
    if not rows:
        return matrix
    # Every candidate pair in one call: one cdist per window cost more in calls than in comparisons.
    scores = process.cpdist(
        [index.variants[r] for r in rows],
        [text.windows[w].text for w in cols],
        scorer=fuzz.partial_ratio,
        dtype=np.uint8,
        score_cutoff=cutoff,
        workers=1,
    )
    # partial_ratio also slides a short window inside a long phrase ("thanks" inside "thanks for your time");
    # such a pair can only be a partial match, so scale it by how much of the phrase the window could hold.
    window_lengths = np.array([len(w.text) for w in text.windows], dtype=np.float32)
    cover = np.minimum(1.0, window_lengths[cols] / index.lengths[rows])
    matrix[rows, cols] = (scores * cover).astype(np.uint8)
    return matrix


class Ranked:
    """A score matrix's non-zero cells, best first within any block of rows.

    A block's shortlist is its cells in the order a stable sort of the flattened block by descending score gives:
    the score, then the row, then the window. Ranking every cell once costs less than one argsort per element.
    """

    def __init__(self, matrix: Any) -> None:  # np.ndarray of uint8, variants x windows
        import numpy as np

        self.matrix = matrix
        self.windows = int(matrix.shape[1])
        rows, cols = np.nonzero(matrix)  # row-major, like the flattened block
        self._rows: list[int] = rows.tolist()
        # (negated score, row, window): plain tuples sort as the stable argsort of the block does
        self._cells = list(zip((-matrix[rows, cols].astype(np.int16)).tolist(), self._rows, cols.tolist(), strict=True))

    def _block(self, rows: range) -> list[tuple[int, int, int]]:
        return self._cells[bisect_left(self._rows, rows.start) : bisect_left(self._rows, rows.stop)]

    def best(self, rows: range) -> float:
        """The block's highest score (0 when no cell scored)."""
        return float(-min(self._block(rows), default=(0, 0, 0))[0])

    def top(self, rows: range, k: int, zeros: bool = False) -> list[tuple[int, int, int]]:
        """The k best cells of the block as (score, row within the block, window). Cells that scored 0 rank last
        and are left out unless `zeros` asks for them (they can pass only a threshold of 3 or less)."""
        out = [(-neg, r - rows.start, w) for neg, r, w in sorted(self._block(rows))[:k]]
        if zeros and len(out) < k:
            empty = ((r, w) for r in rows for w in range(self.windows) if not self.matrix[r, w])
            out += [(0, r - rows.start, w) for r, w in islice(empty, k - len(out))]
        return out
