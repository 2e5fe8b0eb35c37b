"""Sphinx configuration: markdown pages (myst-parser), API pages from numpydoc docstrings.

Build offline, warnings as errors, from the repository root::

    sphinx-build -W -b html docs docs/_build/html
"""

import importlib
import inspect
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, installed or not

import skfasttext  # noqa: E402

project = "skfasttext"
author = "the skfasttext developers"
copyright = "the skfasttext developers"
version = release = skfasttext.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
# _build: output. experiments/figures: what the experiment scripts write, PNG figures and
# markdown tables. experiments.md includes the tables ({include}) and shows the figures; an
# excluded file can still be included, and an image is copied when a page uses it, so the
# folder stays excluded: the tables are not pages of their own
exclude_patterns = ["_build", "experiments/figures", "**/_out", "**/.ipynb_checkpoints"]

# -- markdown ----------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3  # [text](page.md#a-heading) links

# -- API pages ---------------------------------------------------------------------------
autosummary_generate = True  # stubs in docs/generated/, rebuilt on every build
autodoc_inherit_docstrings = False  # a Keras override without a docstring stays out
autodoc_default_options = {"member-order": "groupwise"}
numpydoc_show_class_members = False  # the class template lists the methods (ours only)
numpydoc_class_members_toctree = False

# -- references --------------------------------------------------------------------------
# Every reference to skfasttext must resolve (with -W, a broken one fails the build). Other
# projects' names render as code: the build is offline, without intersphinx.
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(builtins|os|io|pathlib|numpy|np|scipy|sklearn|keras|tensorflow|tf|joblib"
        r"|pandas)(\..*)?",
    ),
]

# -- HTML --------------------------------------------------------------------------------
html_theme = "alabaster"
html_theme_options = {
    "description": "fastText-style text models, scikit-learn API, Keras inside",
    "fixed_sidebar": True,
}
html_title = f"skfasttext {release}"
html_static_path = ["_static"]  # custom.css, which alabaster links: wide tables scroll
html_show_sourcelink = False


def _skip_foreign_member(app, what, name, obj, skip, options):
    """Leave out members that scikit-learn or Keras define: their own docs describe them.

    The classes keep what skfasttext defines or overrides with a docstring
    (``fit``, ``predict``, ``transform``, ``get_word_vectors``, ``embedding_``, ...),
    in the methods table and in the entries below it alike.
    """
    target = getattr(obj, "fget", obj)  # a property's getter
    target = getattr(target, "__func__", target)  # a classmethod's function
    if not (inspect.isfunction(target) or inspect.ismethoddescriptor(target)):
        return None
    module = getattr(target, "__module__", None) or ""
    if module.split(".")[0] != "skfasttext":
        return True
    # an override of Keras's API without a docstring (call, compute_mask, ...)
    return True if not target.__doc__ else None


def _resolve_reexport(app, env, node, contnode):
    """Resolve ``skfasttext.io.read_fasttext`` to its page, ``skfasttext.read_fasttext``.

    Names re-exported by the package are documented once, at the package level;
    docstrings may still name them by their module.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("skfasttext."):
        return None
    module_name, _, name = target.rpartition(".")
    if name not in skfasttext.__all__ or module_name == "skfasttext":
        return None
    try:
        obj = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return None
    if obj is not getattr(skfasttext, name):
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], f"skfasttext.{name}", node, contnode
    )


def _init_signature(app, what, name, obj, options, signature, return_annotation):
    """A Keras layer's signature from its ``__init__``, not ``Layer.__new__(*args, **kwargs)``."""
    if what != "class" or signature != "(*args, **kwargs)":
        return None
    parameters = list(inspect.signature(obj.__init__).parameters.values())[1:]  # no self
    return str(inspect.Signature(parameters)), return_annotation


def setup(app):
    app.connect("autodoc-process-signature", _init_signature)
    app.connect("autodoc-skip-member", _skip_foreign_member)
    app.connect("missing-reference", _resolve_reexport)
