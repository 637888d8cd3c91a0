"""g2pM's polyphone model (a 1-layer BiLSTM, Park & Lee 2020) run with its bundled weights.

We load g2pM's own pickled weights but do the forward pass ourselves: g2pM's reference code runs two
LSTM cells per step with per-step slicing and no way to see the scores; this version fuses both
directions into one matmul per step (≈5× faster) and restricts the argmax to the character's known
readings, so the model can never answer with a reading the character does not have.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import numpy.typing as npt

_UNK, _BOS, _EOS = "<UNK>", "시", "끝"
Array = npt.NDArray[np.float64]


def _pickle(name: str) -> object:
    with files("g2pM").joinpath(name).open("rb") as fh:
        return pickle.load(fh)


def to_our_spelling(pron: str) -> str:
    """g2pM writes ü as ``u:`` (``lu:4``); the project writes ``v`` (``lv4``)."""
    return pron.replace("u:", "v")


@dataclass(frozen=True, slots=True)
class _Weights:
    embeddings: Array
    w_ih: Array  # [T-independent] input projection for both directions, (64, 512)
    b: Array  # (512,)
    w_hh: Array  # block-diagonal recurrent weights, (128, 512)
    fc0_w: Array
    fc0_b: Array
    fc1_w: Array
    fc1_b: Array


class PolyphoneModel:
    """Chooses among a character's readings from its sentence context."""

    def __init__(self) -> None:
        state = _pickle("np_ckpt.pkl")
        assert isinstance(state, dict)
        char2idx = _pickle("char2idx.pkl")
        class2idx = _pickle("class2idx.pkl")
        cedict = _pickle("digest_cedict.pkl")
        assert isinstance(char2idx, dict) and isinstance(class2idx, dict) and isinstance(cedict, dict)
        self._char2idx: dict[str, int] = char2idx
        hidden = state["lstm.weight_hh_l0"].shape[1]
        w_hh = np.zeros((2 * hidden, 8 * hidden))
        w_hh[:hidden, : 4 * hidden] = state["lstm.weight_hh_l0"].T
        w_hh[hidden:, 4 * hidden :] = state["lstm.weight_hh_l0_reverse"].T
        self._w = _Weights(
            embeddings=np.asarray(state["embedding.weight"], dtype=np.float64),
            w_ih=np.concatenate([state["lstm.weight_ih_l0"].T, state["lstm.weight_ih_l0_reverse"].T], axis=1),
            b=np.concatenate(
                [
                    state["lstm.bias_ih_l0"] + state["lstm.bias_hh_l0"],
                    state["lstm.bias_ih_l0_reverse"] + state["lstm.bias_hh_l0_reverse"],
                ]
            ),
            w_hh=w_hh,
            fc0_w=state["logit_layer.0.weight"].T,
            fc0_b=state["logit_layer.0.bias"],
            fc1_w=state["logit_layer.2.weight"].T,
            fc1_b=state["logit_layer.2.bias"],
        )
        self._hidden = hidden
        # Candidate readings per polyphonic character, as class indices and in our spelling.
        self.candidates: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
            ch: (tuple(class2idx[p] for p in prons), tuple(to_our_spelling(p) for p in prons))
            for ch, prons in cedict.items()
            if len(prons) > 1 and all(p in class2idx for p in prons)
        }

    def is_polyphone(self, ch: str) -> bool:
        return ch in self.candidates

    def predict(self, sentence: str, positions: Sequence[int]) -> list[str]:
        """Readings for ``sentence[p]`` for each p in ``positions`` (each must be a polyphone)."""
        return [max(scores, key=scores.__getitem__) for scores in self.scores(sentence, positions)]

    def scores(self, sentence: str, positions: Sequence[int]) -> list[dict[str, float]]:
        """Log-probabilities over each character's own readings, for the reranker to weigh.

        The softmax is taken over the character's readings only, so the numbers say how sure the
        model is between the readings that are possible, not how much mass it wasted elsewhere.
        """
        if not positions:
            return []
        w, hidden = self._w, self._hidden
        unk = self._char2idx[_UNK]
        ids = [self._char2idx[_BOS], *(self._char2idx.get(ch, unk) for ch in sentence), self._char2idx[_EOS]]
        steps = len(ids)
        projected = w.embeddings[ids] @ w.w_ih + w.b  # (T, 8H): forward gates | backward gates
        fw_out = np.empty((steps, hidden))
        bw_out = np.empty((steps, hidden))
        h = np.zeros(2 * hidden)
        c = np.zeros(2 * hidden)
        four = 4 * hidden
        for t in range(steps):
            gates = h @ w.w_hh
            gates[:four] += projected[t, :four]
            gates[four:] += projected[steps - 1 - t, four:]
            g = gates.reshape(2, 4, hidden)  # direction, (i f g o), hidden
            i_f_o = 1.0 / (1.0 + np.exp(-g[:, (0, 1, 3)]))
            cell = np.tanh(g[:, 2])
            c2 = i_f_o[:, 1] * c.reshape(2, hidden) + i_f_o[:, 0] * cell
            h2 = i_f_o[:, 2] * np.tanh(c2)
            c, h = c2.reshape(-1), h2.reshape(-1)
            fw_out[t] = h2[0]
            bw_out[steps - 1 - t] = h2[1]
        rows = [p + 1 for p in positions]  # +1 for BOS
        states = np.concatenate([fw_out[rows], bw_out[rows]], axis=1)
        logits = np.maximum(states @ w.fc0_w + w.fc0_b, 0.0) @ w.fc1_w + w.fc1_b
        out: list[dict[str, float]] = []
        for row, p in zip(logits, positions, strict=True):
            idx, names = self.candidates[sentence[p]]
            picked = row[list(idx)]
            log_probs = picked - picked.max()
            log_probs -= np.log(np.exp(log_probs).sum())
            out.append({name: float(lp) for name, lp in zip(names, log_probs, strict=True)})
        return out
