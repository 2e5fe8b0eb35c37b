"""dump: a model's arguments, vocabulary, input matrix or output matrix, as fastText prints them."""

from ._common import CHUNK, chunked, is_classifier, load_model, model_label_prefix, write_lines

_FASTTEXT_NAMES = {  # parameter -> fastText's argument, where the command line has it
    "min_count": "minCount",
    "word_ngrams": "wordNgrams",
    "hidden_units": "hiddenUnits",
    "max_len": "maxLen",
    "pretrained_vectors": "pretrainedVectors",
    "random_state": "seed",
}
# fastText's dump args order; the estimators' other parameters follow
_FASTTEXT_ARGS = ["dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model"]
_FASTTEXT_ARGS += ["bucket", "minn", "maxn", "lrUpdateRate", "t"]


def _dump_args(model):
    params = {_FASTTEXT_NAMES.get(name, name): value for name, value in model.get_params().items()}
    if hasattr(model, "label_prefix_"):
        params["label"] = model.label_prefix_
    first = [name for name in _FASTTEXT_ARGS if name in params]
    rest = [name for name in params if name not in first]
    return [f"{name} {params[name]}\n" for name in first + rest]


def _dump_dict(model):
    vectorizer = model.vectorizer_
    words = vectorizer.get_feature_names_out()[2:]  # the vocabulary, without <pad> and <unk>
    counts = vectorizer.word_counts_.tolist()
    labels = model.classes_ if is_classifier(model) else []
    prefix = model_label_prefix(model)
    yield f"{len(words) + len(labels)}\n"
    yield from (f"{word} {count} word\n" for word, count in zip(words, counts, strict=True))
    yield from (f"{prefix}{label} 0 label\n" for label in labels)  # no label counts are kept


def _dump_matrix(rows, n_rows, dim):
    """fastText's matrix dump, ``rows(ids)`` giving the rows, a chunk at a time."""
    import numpy as np

    from ..io import format_vectors

    yield f"{n_rows} {dim}\n"
    for start in range(0, n_rows, CHUNK):
        yield from format_vectors(rows(np.arange(start, min(start + CHUNK, n_rows))), precision=6)


def _output_rows(layer):
    """The output layer's weights, a row an output unit (decoded, if quantized with -qout)."""
    import numpy as np

    from ..layers import QuantizedDense

    if isinstance(layer, QuantizedDense):  # its units are the rows of a quantized table
        return layer.rows(np.arange(layer.input_dim))
    return layer.get_weights()[0].T  # the kernel, (input size, units): the bias is left out


def dump(args):
    """Print the model's arguments, vocabulary, input matrix or output matrix, as fastText."""
    model = load_model(args.model, words=args.option == "dict")
    if args.option == "args":
        write_lines(_dump_args(model))
    elif args.option == "dict":
        for lines in chunked(_dump_dict(model), CHUNK):
            write_lines(lines)
    elif args.option == "input":  # every id's row: padding, unknown word, words, n-grams
        embedding = model.model_.get_layer("embedding")
        for lines in chunked(_dump_matrix(embedding.rows, model.input_dim_, model.dim), CHUNK):
            write_lines(lines)
    else:
        rows = _output_rows(model.model_.get_layer("output"))
        write_lines(_dump_matrix(rows.__getitem__, *rows.shape))
    return 0
