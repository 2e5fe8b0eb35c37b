"""The estimators' shared parameter and attribute docs, written once.

A class docstring holds ``{parameters}`` and ``{attributes}``; :func:`fill_doc` puts
there, in the order of the class's signature, its own entries where it has them and
the shared ones below elsewhere (imbalanced-learn's ``Substitution``, done by name).
``{estimator}`` in an entry becomes the class's name.
"""

import inspect
import textwrap

__all__ = ["fill_doc"]

PARAMETERS = {
    "dim": """dim : int, default=100
    Size of word vectors (fastText ``-dim``).""",
    "lr": """lr : float, default=0.1
    Initial learning rate, per document (fastText ``-lr``).""",
    "epoch": """epoch : int or 'auto', default='auto'
    Passes over the data (fastText ``-epoch``); with early stopping, the most.
    'auto' takes enough passes to see about 50,000 documents, within [5, 25]:
    fastText's 5 from 10,000 documents up, more for smaller corpora, whose
    words are otherwise seen too seldom to learn (``epoch_`` holds the
    number).""",
    "min_count": """min_count : int, default=1
    Words rarer than this become the unknown word (fastText ``-minCount``).
    Raw-document input only.""",
    "word_ngrams": """word_ngrams : int, default=2
    Longest word n-gram used (fastText ``-wordNgrams``, whose default is 1):
    2 adds each pair of neighbouring words, as TF-IDF(1, 2) does, so word
    order counts ("not good"). Raw-document input only.""",
    "bucket": """bucket : int, default=2_000_000
    Hash buckets for word and character n-grams, one space for both (fastText
    ``-bucket``). Raw-document input only.""",
    "minn": """minn : int, default=0
    Shortest character n-gram (fastText ``-minn``; 0 acts as 1); at most
    ``maxn`` where ``maxn > 0``. Raw-document input only.""",
    "maxn": """maxn : int, default=0
    Longest character n-gram (fastText ``-maxn``); 0 (fastText's supervised
    default) uses none. With ``maxn > 0`` each word also adds its runs of
    ``minn`` to ``maxn`` characters of ``<word>``, hashed into the ``bucket``
    space, as fastText's subwords: a misspelled or unseen word gets a vector
    from its n-grams, and :meth:`get_word_vector` averages a word's row with
    its n-grams' rows, as fastText. Raw-document input only.""",
    "max_len": """max_len : int or None, default=None
    Keep at most this many ids per document; ``None`` keeps all.""",
    "eos": """eos : bool, default=True
    End every document with fastText's ``</s>`` token, as fastText does: a
    learned bias that weighs most in short documents, where the words say
    least. Padding still never counts, but a document and the same document
    repeated no longer pool alike, and an empty document pools to the ``</s>``
    vector; ``eos=False`` gives pure masked pooling of the words. The
    :class:`~skfasttext.TextVectorizer` has the same default. Raw-document
    input only.""",
    "p": """p : float, default=2.0
    Exponent of 'lp' pooling, at least 1.""",
    "token_dropout": """token_dropout : float, default=0.0
    Share of each training document's tokens dropped at random at each step
    (never all of them); helps max pooling train.""",
    "batch_size": """batch_size : int or 'auto', default='auto'
    Documents per SGD step. 'auto' takes ``n_documents // 1024`` within
    [32, 256]: small batches keep enough steps on small corpora, large ones
    train faster on large corpora (see the guide's Training page). The value
    used is ``batch_size_``.""",
    "early_stopping": """early_stopping : bool or 'auto', default='auto'
    Hold out ``validation_fraction`` of the training documents, score the
    model on them after each epoch (what ``score`` computes); once the score
    has not improved by ``tol`` for ``n_iter_no_change`` epochs, let the
    learning rate fall from where it is to 0 over one more epoch (as a full
    fit's decay ends), stop, and keep the weights of the epoch of the best
    score. ``epoch`` is then the most epochs. The held-out documents train
    nothing but count in the vocabulary; a classifier's are drawn stratified
    by class where every class has two documents. 'auto' turns it on for a
    long fit of a large corpus only: more than 25 epochs (more than
    ``epoch='auto'`` takes) on 10,000 training documents or more, where it
    saved most of the fit's time for little score; elsewhere, the default fit
    included, every epoch runs, as in fastText: there stopping early cost
    score (see the guide's Training page).""",
    "validation_fraction": """validation_fraction : float, default=0.1
    Share of the training documents held out with ``early_stopping``, in (0, 1).""",
    "n_iter_no_change": """n_iter_no_change : int, default=5
    Epochs without improvement after which ``early_stopping`` anneals the
    rate over one more epoch and stops.""",
    "tol": """tol : float, default=1e-4
    Least gain of the validation score that counts as an improvement.""",
    "warm_start": """warm_start : bool, default=False
    If fitted already, ``fit`` (and ``fit_file``) train the fitted network
    ``epoch`` epochs further on the new data (``epoch`` and ``batch_size`` as set
    now, 'auto' resolved for the new data), the rate decaying from ``lr`` again,
    rather than fitting anew: the vocabulary, the classes (a label outside
    ``classes_`` is refused) or the targets' scaling stay those of the first fit.
    See also ``partial_fit``.""",
    "pretrained_vectors": """pretrained_vectors : str, path-like, tuple, fitted estimator or None, \
default=None
    Initial word vectors: a fastText ``.vec`` file (read with
    :func:`~skfasttext.io.read_word_vectors`), a pair ``(words, vectors)`` with
    ``vectors`` of shape (n_words, dim), or a fitted
    :class:`~skfasttext.FastTextClassifier` or
    :class:`~skfasttext.FastTextRegressor` (its ``get_word_vectors()``).
    Vocabulary words found there start from their vector, ``'<unk>'`` sets the
    unknown-word vector, and every other row (other words, n-gram buckets)
    starts from fastText's uniform initialisation. The vectors need ``dim``
    columns. Documents only: a fit on an id matrix refuses them. A fitted model
    gives a warm start, as in the source article: train with mean pooling, then
    go on with max pooling from its vectors::

        mean = {estimator}(pooling="mean").fit(docs, y)
        {estimator}(pooling="max", pretrained_vectors=mean).fit(docs, y)

    ``clone`` (and so grid search) unfits an estimator given here: pass
    ``mean.get_word_vectors()`` or ``sklearn.frozen.FrozenEstimator(mean)``
    there instead.""",
    "random_state": """random_state : int, RandomState instance or None, default=None
    Seed of initial weights, shuffling and token dropout. The same integer
    gives the same model on CPU.""",
    "verbose": """verbose : int, default=0
    0 silent, 1 a progress bar per epoch, 2 one line per epoch.""",
}

ATTRIBUTES = {
    "vectorizer_": """vectorizer_ : TextVectorizer or None
    The vectorizer fitted on the documents; None when fitted on ids.""",
    "input_dim_": """input_dim_ : int
    Size of the id space (rows of the embedding).""",
    "batch_size_": """batch_size_ : int
    Documents per training step (``batch_size``, resolved).""",
    "epoch_": """epoch_ : int
    Passes the last fit made at most (``epoch``, resolved).""",
    "n_pretrained_": """n_pretrained_ : int
    Number of vocabulary words whose vector started from
    ``pretrained_vectors`` (0 without them).""",
    "label_prefix_": """label_prefix_ : str
    Set by :meth:`fit_file` only: the prefix of the labels in its file, which
    the command line uses to read and write labels for this model.""",
    "history_": """history_ : dict
    Per epoch: the mean training loss (``'loss'``) and, with
    ``early_stopping``, the validation score (``'val_score'``).""",
    "n_iter_": """n_iter_ : int
    Number of epochs run (fewer than ``epoch`` where early stopping stopped),
    counted over every call that trained the network further (``warm_start``,
    :meth:`partial_fit`: one a call).""",
}


def _entries(names, own, shared):
    return "\n".join(textwrap.indent(own.get(name) or shared[name], "    ") for name in names)


def fill_doc(*, attributes, own_parameters=None, own_attributes=None):
    """Class decorator: fill ``{parameters}`` and ``{attributes}`` of its docstring.

    Parameters come in the order of ``__init__``'s signature; ``attributes`` names
    the attributes in order. An ``own_*`` entry replaces the shared one.
    """

    def fill(cls):
        names = [name for name in inspect.signature(cls.__init__).parameters if name != "self"]
        # an own entry for a name the class does not list would never reach its docstring
        unlisted = sorted(
            (set(own_parameters or {}) - set(names)) | (set(own_attributes or {}) - set(attributes))
        )
        if unlisted:
            raise ValueError(f"{cls.__name__} documents {unlisted} but does not list them.")
        doc = cls.__doc__.replace(
            "    {parameters}", _entries(names, own_parameters or {}, PARAMETERS)
        )
        doc = doc.replace(
            "    {attributes}", _entries(attributes, own_attributes or {}, ATTRIBUTES)
        )
        cls.__doc__ = doc.replace("{estimator}", cls.__name__)
        return cls

    return fill
