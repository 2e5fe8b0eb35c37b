"""fastText's settings as skfasttext's parameters, where the estimators' defaults differ.

The benchmarks that hold skfasttext against fastText train both with these, so that both
fit the same model (the estimators' own defaults are ``bench_quality.py``'s and
``bench_defaults.py``'s subject)::

    from _fasttext_settings import FASTTEXT
    FastTextClassifier(**FASTTEXT, random_state=0)
    FastTextClassifier(**{**FASTTEXT, "epoch": 25, "word_ngrams": 2})
"""

FASTTEXT = {"epoch": 5, "word_ngrams": 1, "pooling": "mean", "early_stopping": False}
#: a TextVectorizer of fastText's (unigrams; the estimators' ``eos=True`` is fastText's too)
FASTTEXT_VECTORIZER = {"word_ngrams": 1}
