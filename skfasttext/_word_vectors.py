"""Word vectors: out of a fitted model (the mixin), and into a new one (pretrained)."""

import os
from numbers import Integral

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from .io import read_word_vectors, write_word_vectors
from .text import UNKNOWN_ID

__all__ = ["WordVectorsMixin", "read_pretrained"]


def read_pretrained(source):
    """``(words, vectors)`` from a ``pretrained_vectors`` value: .vec path, pair or fitted model."""
    if isinstance(source, (str, os.PathLike)):
        words, vectors = read_word_vectors(source)
    elif isinstance(source, tuple):
        if len(source) != 2:
            raise ValueError(
                f"pretrained_vectors as a tuple must be (words, vectors), got {len(source)} items."
            )
        words, vectors = source
    else:
        try:
            check_is_fitted(source)
        except NotFittedError:
            raise ValueError(
                f"pretrained_vectors is an unfitted {type(source).__name__}: fit it first. "
                "(clone() and grid search unfit an estimator parameter: pass "
                "model.get_word_vectors() or sklearn.frozen.FrozenEstimator(model) instead.)"
            ) from None
        words, vectors = source.get_word_vectors()
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise ValueError(
            f"pretrained_vectors: expected vectors of shape (n_words, dim) with one row per "
            f"word ({len(words)} words), got shape {vectors.shape}."
        )
    if not np.isfinite(vectors).all():
        raise ValueError("pretrained_vectors holds NaN or infinite values.")
    return words, vectors


class WordVectorsMixin:
    """The word-vector API of a fitted estimator with ``model_`` and ``vectorizer_``."""

    def _pretrained_rows(self):
        """``(ids, vectors)`` of the embedding rows ``pretrained_vectors`` covers, or None.

        Sets ``n_pretrained_``, the number of vocabulary words covered. A pretrained
        ``'<unk>'`` sets the unknown-word row and is not counted; a word given twice
        takes its first vector.
        """
        self.n_pretrained_ = 0
        if self.pretrained_vectors is None:
            return None
        if self.vectorizer_ is None:
            raise ValueError(
                "pretrained_vectors needs words, but this fit got an id matrix (no "
                "vectorizer): fit on documents, or leave pretrained_vectors=None."
            )
        words, vectors = read_pretrained(self.pretrained_vectors)
        if vectors.shape[1] != self.dim:
            raise ValueError(
                f"pretrained_vectors have dim={vectors.shape[1]} but the estimator has "
                f"dim={self.dim}: set dim={vectors.shape[1]} to use them."
            )
        find = self.vectorizer_.vocabulary_.get
        ids = np.fromiter(
            (find(word, UNKNOWN_ID if word == "<unk>" else -1) for word in words),
            dtype=np.int64,
            count=len(words),
        )
        ids, first = np.unique(ids, return_index=True)  # first vector of each id
        covered = ids >= UNKNOWN_ID
        ids, vectors = ids[covered], vectors[first[covered]]
        self.n_pretrained_ = int(np.count_nonzero(ids > UNKNOWN_ID))
        return ids, vectors

    @property
    def embedding_(self):
        """ndarray of shape (``input_dim_``, dim): the vector of every id (row 0: padding).

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.embedding_.shape == (clf.input_dim_, 8)
        True
        """
        check_is_fitted(self)
        return self._embedding_rows(0, self.input_dim_)

    def _vocabulary(self):
        """``vocabulary_`` of the fitted vectorizer (word -> id); AttributeError without one."""
        check_is_fitted(self)
        if self.vectorizer_ is None:
            raise AttributeError(
                "This model was fitted on ids, so it has no words: read embedding_ and "
                "the vocabulary of the TextVectorizer that made the ids."
            )
        return self.vectorizer_.vocabulary_

    def _embedding_rows(self, start, stop):
        """Rows ``start:stop`` of the embedding (decoded, if it is quantized), alone."""
        return self.model_.get_layer("embedding").rows(np.arange(start, stop))

    def _word_vectors(self, words):
        """The vector of each word, as :meth:`get_word_vector` gives it (vectorised)."""
        values, lengths = self.vectorizer_.word_ids(words)
        # a word with no row at all (unknown, without a known n-gram) takes '<unk>''s
        none = lengths == 0
        if none.any():
            values = np.insert(values, (np.cumsum(lengths) - lengths)[none], UNKNOWN_ID)
            lengths = np.where(none, 1, lengths)
        if (lengths == 1).all():  # a row each: the rows themselves, no arithmetic
            return self.model_.get_layer("embedding").rows(values)
        ids, column = np.unique(values, return_inverse=True)
        weights = np.repeat(1.0 / lengths, lengths).astype(np.float32)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        mean = csr_matrix((weights, column, indptr), shape=(len(lengths), len(ids)))
        return np.asarray(mean @ self.model_.get_layer("embedding").rows(ids), dtype=np.float32)

    def get_word_vectors(self, words=None):
        """The word vectors of the vocabulary, or of the words given.

        With character n-grams (``maxn > 0``) a word's vector is the mean of its
        own row and its n-grams' rows, as fastText's word vectors are: see
        :meth:`get_word_vector`.

        Parameters
        ----------
        words : sequence of str or None, default=None
            The words whose vectors to give; None gives ``'<unk>'`` and the
            vocabulary.

        Returns
        -------
        words : ndarray of str of shape (n_words,)
            The words given, or ``'<unk>'`` first (the vector of every unknown
            word without n-grams), then the vocabulary, most frequent first.
        vectors : ndarray of shape (n_words, dim)
            The word vectors, one row per word.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> words, vectors = clf.get_word_vectors()
        >>> words.tolist(), vectors.shape
        (['<unk>', '</s>', 'game', 'opera', 'anime', 'old', 'tea'], (7, 8))
        """
        self._vocabulary()
        if words is not None:
            if isinstance(words, str) or not all(isinstance(word, str) for word in words):
                raise TypeError("words must be a sequence of str.")
            words = np.array(list(words), dtype=object)
            return words, self._word_vectors(words)
        words = self.vectorizer_.get_feature_names_out()[UNKNOWN_ID:]
        if not self.vectorizer_.maxn:  # a row a word
            return words, self._embedding_rows(UNKNOWN_ID, UNKNOWN_ID + len(words))
        unknown = self._embedding_rows(UNKNOWN_ID, UNKNOWN_ID + 1)
        return words, np.concatenate([unknown, self._word_vectors(words[1:])])

    def get_word_vector(self, word):
        """The vector of one word.

        Parameters
        ----------
        word : str
            A word (a token, as the vectorizer splits documents).

        Returns
        -------
        vector : ndarray of shape (dim,)
            The word's vector. With character n-grams (``maxn > 0``), the mean of
            the word's row and of its n-grams' rows, as fastText's
            ``getWordVector``: a word not in the vocabulary (never seen in
            ``fit``, rarer than ``min_count``) gets the mean of the rows of its
            n-grams that ``fit`` saw, a misspelled word one near the right
            word's. A word with no row at all (unknown, and without n-grams or
            none seen in ``fit``) gets the unknown-word vector, ``'<unk>'`` of
            :meth:`get_word_vectors`: the vector the model itself uses for such
            a word. (fastText gives a supervised model's word without n-grams
            a zero vector instead.)

        See Also
        --------
        get_word_vectors : The whole vocabulary at once.
        most_similar : The nearest words to a word or a vector.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> clf.get_word_vector("opera").shape
        (8,)
        >>> unknown = clf.get_word_vectors()[1][0]
        >>> bool((clf.get_word_vector("never-seen") == unknown).all())
        True
        """
        vocabulary = self._vocabulary()
        if not isinstance(word, str):
            raise TypeError(f"word must be a str, got {type(word).__name__}.")
        if not self.vectorizer_.maxn:
            i = vocabulary.get(word, UNKNOWN_ID)
            return self._embedding_rows(i, i + 1)[0]
        return self._word_vectors([word])[0]

    def get_subwords(self, word):
        """The word and its character n-grams, with their ids, as fastText's ``get_subwords``.

        Parameters
        ----------
        word : str
            A word.

        Returns
        -------
        subwords : list of str
            As :meth:`skfasttext.TextVectorizer.get_subwords` gives them.
        ids : ndarray of int64
            The embedding row of each, -1 for an n-gram with no row (the model
            leaves it out).

        See Also
        --------
        get_word_vector : The mean of the rows of these ids.
        skfasttext.TextVectorizer.get_subwords : The same, from the vectorizer.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, minn=3, maxn=4, random_state=0)
        >>> subwords, ids = clf.fit(docs, [0, 0, 1, 1] * 10).get_subwords("tea")
        >>> subwords
        ['tea', '<te', '<tea', 'tea', 'tea>', 'ea>']
        >>> bool((ids >= 0).all())
        True
        """
        self._vocabulary()
        return self.vectorizer_.get_subwords(word)

    def most_similar(self, word_or_vector, k=10):
        """The ``k`` words of the vocabulary nearest to a word or a vector, by cosine.

        Parameters
        ----------
        word_or_vector : str or array-like of shape (dim,)
            A word (its vector from :meth:`get_word_vector`: an unknown word's
            from its character n-grams where the model has them, else the
            unknown-word vector) or a vector. The vocabulary's vectors are those
            of :meth:`get_word_vectors`.
        k : int, default=10
            Number of neighbours; fewer when the vocabulary is smaller.

        Returns
        -------
        neighbours : list of (str, float)
            Words with their cosine similarity to the query, most similar
            first. The query word itself and ``'<unk>'`` are left out. A word
            whose vector is all zeros has similarity 0.

        See Also
        --------
        get_word_vector : The vector of one word.

        Examples
        --------
        >>> from skfasttext import FastTextClassifier
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=20, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> sorted(word for word, _ in clf.most_similar("opera", k=2))
        ['old', 'tea']
        >>> word, similarity = clf.most_similar(clf.get_word_vector("game"), k=1)[0]
        >>> word, round(similarity, 3)
        ('game', 1.0)
        """
        vocabulary = self._vocabulary()
        if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}.")
        words, vectors = self.get_word_vectors()  # row i is id UNKNOWN_ID + i
        exclude = None
        if isinstance(word_or_vector, str):
            i = vocabulary.get(word_or_vector, UNKNOWN_ID) - UNKNOWN_ID
            query, exclude = vectors[i], (i - 1 if i else None)
            if not i and self.vectorizer_.maxn:  # an unknown word: from its n-grams
                query = self._word_vectors([word_or_vector])[0]
        else:
            query = np.asarray(word_or_vector, dtype=np.float32)
            if query.shape != (self.dim,) or not np.isfinite(query).all():
                raise ValueError(
                    f"Expected a word or a finite vector of shape ({self.dim},), got "
                    f"{type(word_or_vector).__name__} of shape {query.shape}."
                )
        words, vectors = words[1:], vectors[1:]  # the vocabulary, without '<unk>'
        query_norm = np.linalg.norm(query)
        if query_norm == 0:
            raise ValueError("The query vector is all zeros: it has no cosine similarity.")
        norms = np.linalg.norm(vectors, axis=1)
        similarity = (vectors @ query) / (np.where(norms > 0, norms, 1.0) * query_norm)
        if exclude is not None:
            similarity[exclude] = -np.inf
        k = min(k, len(words) - (exclude is not None))
        if k <= 0:
            return []
        top = np.argpartition(-similarity, k - 1)[:k]
        top = top[np.argsort(-similarity[top], kind="stable")]
        return [(words[i], float(similarity[i])) for i in top]

    def save_word_vectors(self, path, *, precision=6):
        """Write the word vectors in fastText's ``.vec`` text format.

        The first line is ``"<n_words> <dim>"``, then ``"<word> <v1> ... <v_dim>"``
        for ``'<unk>'`` (the unknown-word vector) and each vocabulary word,
        most frequent first: the words and vectors of :meth:`get_word_vectors`.
        The file is written atomically.

        Parameters
        ----------
        path : str or path-like
            The ``.vec`` file to write.
        precision : int, default=6
            Significant digits per value (9 reproduce float32 exactly).

        See Also
        --------
        skfasttext.io.read_word_vectors : Read the file back.

        Examples
        --------
        >>> import os, tempfile
        >>> from skfasttext import FastTextClassifier
        >>> from skfasttext.io import read_word_vectors
        >>> docs = ["old opera", "opera tea", "game anime", "anime game game"] * 10
        >>> clf = FastTextClassifier(dim=8, epoch=5, random_state=0).fit(docs, [0, 0, 1, 1] * 10)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     clf.save_word_vectors(os.path.join(tmp, "model.vec"))
        ...     words, vectors = read_word_vectors(os.path.join(tmp, "model.vec"))
        >>> words[:3], vectors.shape
        (['<unk>', '</s>', 'game'], (7, 8))
        """
        words, vectors = self.get_word_vectors()
        write_word_vectors(path, words, vectors, precision=precision)
