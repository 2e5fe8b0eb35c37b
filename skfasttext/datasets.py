"""The built-in demo corpus: a user's age from the words the user follows."""

from numbers import Integral, Real

import numpy as np

from ._ragged import positions_within
from ._sklearn_compat import Interval, validate_params

__all__ = ["make_age_corpus"]

MIN_AGE, MAX_AGE = 12, 80


def _world(vocab_size, informative, vocab_seed):
    """Word frequencies (Zipf) and which words prefer which age, how sharply."""
    rng = np.random.default_rng(vocab_seed)
    freq = 1.0 / np.arange(1, vocab_size + 1) ** 1.05
    freq /= freq.sum()
    is_informative = rng.random(vocab_size) < informative
    preferred_age = rng.uniform(MIN_AGE, MAX_AGE, vocab_size)
    width = rng.uniform(2.0, 12.0, vocab_size)
    return freq, np.flatnonzero(is_informative), preferred_age, width


@validate_params(
    {
        "n_documents": [Interval(Integral, 0, None, closed="left")],
        "vocab_size": [Interval(Integral, 1, None, closed="left")],
        "informative": [Interval(Real, 0, 1, closed="both")],
        "signal": [Interval(Real, 0, 1, closed="both")],
        "mean_len": [Interval(Real, 0, None, closed="neither")],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
        "vocab_seed": [Interval(Integral, 0, None, closed="left"), None],
        "return_word_ages": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_age_corpus(
    n_documents=2000,
    *,
    vocab_size=5000,
    informative=0.15,
    signal=0.35,
    mean_len=40.0,
    random_state=0,
    vocab_seed=12345,
    return_word_ages=False,
):
    """Make a synthetic "age from followed words" corpus.

    Each document is the bag of words one user follows; its label is the
    user's age (12 to 80, skewed towards 22-40 like real user bases). Words
    follow a Zipf law; a share of them (``informative``) prefer an age, and a
    share of each document's tokens (``signal``) is drawn from the words that
    prefer the user's age. Lengths are lognormal: many short documents, a long
    tail. The same ``vocab_size`` and ``vocab_seed`` give the same words and
    preferences, so sets made with different ``random_state`` share one world.

    Parameters
    ----------
    n_documents : int, default=2000
        Number of documents.
    vocab_size : int, default=5000
        Number of distinct words (``w0``, ``w1``, ... by decreasing frequency).
    informative : float, default=0.15
        Share of words with an age preference.
    signal : float, default=0.35
        Share of a document's tokens drawn from age-informative words.
    mean_len : float, default=40.0
        Mean document length in tokens.
    random_state : int, default=0
        Seed of the documents and ages.
    vocab_seed : int, default=12345
        Seed of the words' frequencies and preferences.
    return_word_ages : bool, default=False
        Also return the preferred age of each informative word.

    Returns
    -------
    docs : list of str
        Space-separated documents.
    ages : ndarray of int of shape (n_documents,)
        The age of each document's user.
    word_ages : dict
        Informative word -> its preferred age; only with ``return_word_ages``.

    Examples
    --------
    >>> docs, ages = make_age_corpus(3, random_state=0)
    >>> len(docs), ages.shape, docs[0].split()[0].startswith("w")
    (3, (3,), True)
    """
    freq, informative_ids, preferred_age, width = _world(vocab_size, informative, vocab_seed)
    rng = np.random.default_rng(random_state)
    ages = np.where(
        rng.random(n_documents) < 0.85,
        rng.normal(31, 7, n_documents),
        rng.uniform(MIN_AGE, MAX_AGE, n_documents),
    )
    ages = np.clip(np.rint(ages), MIN_AGE, MAX_AGE).astype(int)
    lengths = np.clip(rng.lognormal(np.log(mean_len) - 0.5, 1.0, n_documents), 1, 2000)
    lengths = lengths.astype(int)
    n_signal = rng.binomial(lengths, signal)

    # noise tokens for everyone at once; signal tokens drawn age by age
    doc_of_token = np.repeat(np.arange(n_documents), lengths)
    is_signal = positions_within(lengths) < np.repeat(n_signal, lengths)
    tokens = np.searchsorted(np.cumsum(freq), rng.random(len(doc_of_token)))
    base = freq[informative_ids]
    token_age = ages[doc_of_token]
    # without an informative word (informative=0, a small vocabulary) every token is noise
    for age in np.unique(ages[n_signal > 0]) if len(informative_ids) else []:
        where = np.flatnonzero(is_signal & (token_age == age))
        closeness = (preferred_age[informative_ids] - age) / width[informative_ids]
        weights = base * np.exp(-0.5 * closeness**2)
        cdf = np.cumsum(weights) / weights.sum()
        tokens[where] = informative_ids[np.searchsorted(cdf, rng.random(len(where)))]
    tokens = np.minimum(tokens, vocab_size - 1)

    # shuffle tokens within each document, then write them out
    order = np.lexsort((rng.random(len(tokens)), doc_of_token))
    words = np.char.add("w", np.arange(vocab_size).astype(str)).astype(object)
    flat = words[tokens[order]]
    docs = [" ".join(part) for part in np.split(flat, np.cumsum(lengths)[:-1])]
    docs = docs[:n_documents]  # np.split of no tokens gives one part, of no documents too
    if not return_word_ages:
        return docs, ages
    informative_words = words[informative_ids].tolist()
    word_ages = dict(zip(informative_words, preferred_age[informative_ids].tolist(), strict=True))
    return docs, ages, word_ages
