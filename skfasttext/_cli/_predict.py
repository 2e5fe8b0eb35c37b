"""predict and predict-prob: the labels (or values) of documents read from a file or stdin."""

from ._common import (
    CHUNK,
    check_k,
    chunked,
    is_classifier,
    is_interactive,
    load_model,
    model_label_prefix,
    parse_documents,
    read_lines,
    top_k,
    write_lines,
)


def predict(args, *, probabilities=False):
    """Print the k most probable labels of each line (the prediction of a regressor)."""
    check_k(args.k)
    model = load_model(args.model)
    prefix = model_label_prefix(model)
    if probabilities and not is_classifier(model):
        raise ValueError(f"predict-prob needs a classifier; {args.model} holds a regressor.")
    size = 1 if is_interactive(args.file) else CHUNK  # answer each line typed at a terminal
    for docs in chunked(parse_documents(read_lines(args.file), prefix), size):
        if not is_classifier(model):
            write_lines(f"{value:.6g}\n" for value in model.predict(docs))
            continue
        labels, proba = model.predict_top_k(docs, k=top_k(model, args.k), threshold=args.threshold)
        write_lines(
            " ".join(
                f"{prefix}{label} {p:.6g}" if probabilities else f"{prefix}{label}"
                for label, p in zip(row_labels, row_proba, strict=True)
                if label is not None
            )
            + "\n"
            for row_labels, row_proba in zip(labels, proba, strict=True)
        )
    return 0


def predict_prob(args):
    """Print the k most probable labels of each line, each with its probability."""
    return predict(args, probabilities=True)
