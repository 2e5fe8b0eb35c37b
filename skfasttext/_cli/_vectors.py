"""print-word-vectors, print-ngrams, print-sentence-vectors, nn and analogies: a model's
vectors, of words and documents read from stdin.
"""

from ._common import (
    CHUNK,
    DIGITS,
    check_k,
    chunked,
    is_interactive,
    load_model,
    model_label_prefix,
    parse_documents,
    read_lines,
    read_words,
    write_lines,
)


def print_word_vectors(args):
    """Print the vector of each word read from stdin: with character n-grams the mean of
    its row and its n-grams' rows, as fastText (an unknown word's from its n-grams);
    a word with no row at all gets the '<unk>' vector."""
    from ..io import format_vectors

    model = load_model(args.model, words=True)
    size = 1 if is_interactive() else CHUNK
    for words in chunked(read_words(read_lines("-")), size):
        words, vectors = model.get_word_vectors(words)
        write_lines(format_vectors(vectors, words=words, precision=DIGITS))
    return 0


def print_ngrams(args):
    """Print the word (if in the vocabulary) and each of its character n-grams with its
    vector, as fastText's print-ngrams; an n-gram fit never saw has no row: zeros."""
    import numpy as np

    from ..io import format_vectors

    model = load_model(args.model, words=True)
    subwords, ids = model.get_subwords(args.word)
    vectors = np.zeros((len(ids), model.dim), dtype=np.float32)
    if (ids >= 0).any():
        vectors[ids >= 0] = model.model_.get_layer("embedding").rows(ids[ids >= 0])
    write_lines(format_vectors(vectors, words=subwords, precision=DIGITS))
    return 0


def print_sentence_vectors(args):
    """Print the document vector (the pooled word vectors) of each line read from stdin."""
    from ..io import format_vectors

    model = load_model(args.model, words=True)
    size = 1 if is_interactive() else CHUNK
    for docs in chunked(parse_documents(read_lines("-"), model_label_prefix(model)), size):
        write_lines(format_vectors(model.transform(docs), precision=DIGITS))
    return 0


def nn(args):
    """Print the k nearest neighbours (cosine) of each query word read from stdin."""
    check_k(args.k, every=False)
    model = load_model(args.model, words=True)
    prompt = "Query word? " if is_interactive() else ""
    write_lines(prompt)
    for word in read_words(read_lines("-")):
        neighbours = model.most_similar(word, k=args.k)
        write_lines([f"{other} {similarity:.{DIGITS}g}\n" for other, similarity in neighbours])
        write_lines(prompt)
    return 0


def analogies(args):
    """Print the k words nearest (cosine) to A - B + C for each triplet A B C read from stdin,
    A, B and C left out, as fastText does."""
    import numpy as np

    check_k(args.k, every=False)
    model = load_model(args.model, words=True)
    prompt = "Query triplet (A - B + C)? " if is_interactive() else ""
    write_lines(prompt)
    for triplet in chunked(read_words(read_lines("-")), 3):
        if len(triplet) < 3:
            raise ValueError(
                f"analogies reads words three at a time (A B C); the input ended after "
                f"{len(triplet)} more: {' '.join(triplet)}"
            )
        vectors = np.stack([model.get_word_vector(word) for word in triplet])
        # fastText adds the unit vectors: a frequent word's longer vector does not dominate
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-8
        query = vectors[0] - vectors[1] + vectors[2]
        # the k + 3 nearest hold the k nearest that are not A, B or C
        neighbours = model.most_similar(query, k=args.k + 3)
        neighbours = [(word, s) for word, s in neighbours if word not in triplet][: args.k]
        write_lines([f"{word} {similarity:.6g}\n" for word, similarity in neighbours])
        write_lines(prompt)
    return 0
