"""The documentation's sources: an API entry for every public name, every page in a toctree.

These checks read files (and parse Python with ``ast``); they do not build the docs, which
``sphinx-build -W`` does in CI. The command line is loaded from its file without importing
skfasttext (and so TensorFlow).
"""

import ast
import doctest
import fnmatch
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "skfasttext"
API = DOCS / "api.rst"
CLI = DOCS / "cli.md"
SUFFIXES = (".md", ".rst")


# -- the package's public names -------------------------------------------------------


def _tree(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_all(path):
    """The names of ``__all__`` in a module's source, or None without one."""
    for node in _tree(path).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return [ast.literal_eval(element) for element in node.value.elts]
    return None


def _reexports():
    """``{name: module}`` for the names ``skfasttext/__init__.py`` imports from its modules."""
    origins = {}
    for node in _tree(PACKAGE / "__init__.py").body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                origins[alias.asname or alias.name] = f"skfasttext.{node.module}"
    return origins


def _public_modules():
    """``{module name: __all__}``: the package, and each module whose name has no ``_``.

    ``__main__`` (the command line) counts as public; ``_base`` and the like do not.
    """
    modules = {"skfasttext": _module_all(PACKAGE / "__init__.py")}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem == "__main__" or not path.stem.startswith("_"):
            modules[f"skfasttext.{path.stem}"] = _module_all(path)
    return modules


# -- the API reference ----------------------------------------------------------------

_DIRECTIVE = re.compile(r"^\.\. ([\w:-]+)::\s*(.*)$")
_DESCRIBED = {"data", "function", "class", "autodata", "autofunction", "autoclass", "py:data"}


def _qualified(name, module):
    """``name`` as written, if it starts with the package, else relative to ``module``."""
    package = (module or "").split(".")[0]
    return name if name.startswith(f"{package}.") else f"{module}.{name}"


def _api_entries(text):
    """Fully qualified names that ``api.rst`` documents (autosummary entries, described objects)."""
    entries = []
    module = None
    in_autosummary = False
    for line in text.splitlines():
        match = _DIRECTIVE.match(line)
        if match:
            directive, argument = match.groups()
            in_autosummary = directive == "autosummary"
            if directive in ("currentmodule", "py:currentmodule", "module", "py:module"):
                module = argument.strip()
            elif directive in _DESCRIBED:
                entries.append(_qualified(argument.split("(")[0].strip(), module))
            continue
        if line and not line[0].isspace():
            in_autosummary = False
        elif in_autosummary and line.strip() and not line.strip().startswith(":"):
            entries.append(_qualified(line.strip().lstrip("~"), module))
    return entries


def test_api_entries_parser():
    text = (
        ".. currentmodule:: pkg\n\nTitle\n-----\n\n.. autosummary::\n   :toctree: generated/\n\n"
        "   A\n   b\n\nProse.\n\n.. currentmodule:: pkg.mod\n\n.. data:: pkg.__version__\n"
        "\n   Text.\n\n.. autofunction:: f\n"
    )
    assert _api_entries(text) == ["pkg.A", "pkg.b", "pkg.__version__", "pkg.mod.f"]


def test_every_public_name_has_an_api_entry():
    """Names in ``__all__`` are documented: at package level when the package exports them."""
    documented = set(_api_entries(API.read_text(encoding="utf-8")))
    exported = set(_module_all(PACKAGE / "__init__.py"))
    missing = []
    for module, names in _public_modules().items():
        assert names is not None, f"{module} has no __all__: its public names are unknown"
        for name in names:
            package_level = f"skfasttext.{name}"
            expected = package_level if name in exported else f"{module}.{name}"
            if expected not in documented:
                missing.append(expected)
    assert not missing, f"not in docs/api.rst: {missing}"


def test_api_entries_are_public_names():
    """No entry for a name that is gone, private, or listed twice."""
    entries = _api_entries(API.read_text(encoding="utf-8"))
    duplicates = sorted({entry for entry in entries if entries.count(entry) > 1})
    assert not duplicates, f"listed twice in docs/api.rst: {duplicates}"
    public = {
        f"{module}.{name}" for module, names in _public_modules().items() for name in names or ()
    }
    unknown = sorted(set(entries) - public)
    assert not unknown, f"docs/api.rst lists names in no __all__: {unknown}"


def test_reexports_come_from_public_modules():
    """A package-level name documents its module's entry too: both must be the same object."""
    exported = _module_all(PACKAGE / "__init__.py")
    origins = _reexports()
    modules = _public_modules()
    for name in exported:
        if name.startswith("__"):
            continue
        assert name in origins, f"skfasttext.{name} is in __all__ but not imported from a module"
        assert name in (modules.get(origins[name]) or ()), (
            f"skfasttext.{name} comes from {origins[name]}, whose __all__ lacks it"
        )


# -- pages and toctrees ---------------------------------------------------------------


def _conf_list(name):
    """A list assigned in ``docs/conf.py``, read without running it."""
    for node in _tree(DOCS / "conf.py").body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    return []


def _excluded(relative, patterns):
    """Whether a source path, or a folder above it, matches an ``exclude_patterns`` entry."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(
        fnmatch.fnmatch(candidate, pattern.replace("**/", "*").replace("**", "*"))
        or fnmatch.fnmatch(candidate, pattern)
        for pattern in patterns
        for candidate in candidates
    )


def _pages():
    """``{docname: path}`` of the sources Sphinx reads (the generated API stubs left out)."""
    patterns = _conf_list("exclude_patterns") + _conf_list("templates_path") + ["generated"]
    pages = {}
    for path in sorted(DOCS.rglob("*")):
        relative = path.relative_to(DOCS).as_posix()
        if path.suffix in SUFFIXES and path.is_file() and not _excluded(relative, patterns):
            pages[relative[: -len(path.suffix)]] = path
    return pages


_MD_TOCTREE = re.compile(r"^(```+|:::+)\{toctree\}[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
_RST_TOCTREE = re.compile(r"^\.\. toctree::[^\n]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)", re.M)


def _toctree_entries(path):
    """Entries of the toctrees of one page, and whether each toctree globs."""
    text = path.read_text(encoding="utf-8")
    pattern = _MD_TOCTREE if path.suffix == ".md" else _RST_TOCTREE
    for match in pattern.finditer(text):
        body = match.group(match.lastindex)
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        globbed = ":glob:" in lines
        for line in lines:
            if line.startswith(":") or line.startswith("---"):
                continue
            target = re.search(r"<([^<>]+)>$", line)  # "Title <page>"
            yield (target.group(1) if target else line), globbed


def _resolve(docname, entry):
    if re.match(r"^[a-z]+://", entry) or entry == "self":
        return None  # a link, or the page itself
    entry = re.sub(r"\.(md|rst)$", "", entry)
    if entry.startswith("/"):
        return entry[1:]
    base = docname.rpartition("/")[0]
    parts = []
    for part in (f"{base}/{entry}" if base else entry).split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _is_orphan(path):
    head = path.read_text(encoding="utf-8")[:500]
    return bool(re.search(r"^(:orphan:|orphan:\s*true)", head, re.M))


def test_every_page_is_in_a_toctree():
    """Each page is reached from index through toctrees, and each entry names a page."""
    pages = _pages()
    assert "index" in pages and "api" in pages
    reached, todo, broken = {"index"}, ["index"], []
    while todo:
        docname = todo.pop()
        for entry, globbed in _toctree_entries(pages[docname]):
            target = _resolve(docname, entry)
            if target is None:
                continue
            found = fnmatch.filter(pages, target) if globbed else [target] * (target in pages)
            if not found and not globbed:
                broken.append(f"{docname}: {entry}")
            for name in found:
                if name not in reached:
                    reached.add(name)
                    todo.append(name)
    assert not broken, f"toctree entries that name no page: {broken}"
    unreached = sorted(
        name for name, path in pages.items() if name not in reached and not _is_orphan(path)
    )
    assert not unreached, f"pages in no toctree (add them to one, under docs/index.md): {unreached}"


def test_toctree_parser(tmp_path):
    page = tmp_path / "a.md"
    page.write_text(
        "# A\n\n```{toctree}\n:maxdepth: 2\n\nb\nTitle <sub/c>\n```\n\n```python\nx\n```\n"
    )
    assert list(_toctree_entries(page)) == [("b", False), ("sub/c", False)]
    page = tmp_path / "a.rst"
    page.write_text("A\n=\n\n.. toctree::\n   :glob:\n\n   guide/*\n\nText.\n")
    assert list(_toctree_entries(page)) == [("guide/*", True)]
    assert _resolve("guide/index", "../cli") == "cli"
    assert _resolve("guide/index", "pooling.md") == "guide/pooling"
    assert _excluded("experiments/figures/x.md", ["experiments/figures"])
    assert _excluded("a/_out/x.md", ["**/_out"])
    assert not _excluded("guide/x.md", ["_build", "**/_out"])


# -- the experiments page ---------------------------------------------------------------

EXPERIMENTS = DOCS / "experiments"
EXPERIMENTS_PAGE = DOCS / "experiments.md"
_DIRECTIVE_TARGET = re.compile(r"^(?:```+|:::+)\{(figure|image|include)\}\s+(\S+)", re.M)


def _experiment_scripts():
    """The experiment scripts (``_common.py`` and other helpers left out), by name."""
    return sorted(path.stem for path in EXPERIMENTS.glob("*.py") if not path.stem.startswith("_"))


def _directive_targets(text):
    """``{(directive, target)}`` of a markdown page's figure, image and include directives."""
    return {(match.group(1), match.group(2)) for match in _DIRECTIVE_TARGET.finditer(text)}


def test_experiments_page_shows_every_experiment():
    """Every script in docs/experiments has its command, figure and table on the page."""
    text = EXPERIMENTS_PAGE.read_text(encoding="utf-8")
    targets = _directive_targets(text)
    shown = {target for directive, target in targets if directive in ("figure", "image")}
    included = {target for directive, target in targets if directive == "include"}
    scripts = _experiment_scripts()
    assert scripts
    missing = []
    for name in scripts:
        if f"python docs/experiments/{name}.py" not in text:
            missing.append(f"the command of {name}.py")
        if f"experiments/figures/{name}.png" not in shown:
            missing.append(f"a figure or image of experiments/figures/{name}.png")
        if f"experiments/figures/{name}.md" not in included:
            missing.append(f"an include of experiments/figures/{name}.md")
    assert not missing, f"docs/experiments.md lacks {missing}"
    absent = sorted(target for _, target in targets if not (DOCS / target).is_file())
    assert not absent, f"docs/experiments.md shows files that are not there: {absent}"


def test_run_all_runs_every_experiment():
    """``run_all.sh`` (the published run) runs every script in docs/experiments."""
    text = (EXPERIMENTS / "run_all.sh").read_text(encoding="utf-8")
    loop = re.search(r"^for name in ([^;]+);", text, re.M)
    assert loop, "run_all.sh has no 'for name in ...;' loop over the scripts"
    assert sorted(loop.group(1).split()) == _experiment_scripts()


def test_directive_targets_parser():
    text = (
        "```{figure} a/b.png\n:width: 100%\n\nCaption.\n```\n\n````{container} x\n"
        "```{include} a/b.md\n```\n````\n\n```python\n{include} no.md\n```\n"
    )
    assert _directive_targets(text) == {("figure", "a/b.png"), ("include", "a/b.md")}


# -- the command line page -------------------------------------------------------------

FASTTEXT_COMMANDS = [
    "supervised", "test", "test-label", "predict", "predict-prob", "skipgram", "cbow",
    "print-word-vectors", "print-sentence-vectors", "print-ngrams", "nn", "analogies",
    "quantize", "dump", "autotune",
]  # fmt: skip
FASTTEXT_SUPERVISED = [
    "-input", "-output", "-lr", "-dim", "-ws", "-epoch", "-minCount", "-minCountLabel",
    "-wordNgrams", "-bucket", "-minn", "-maxn", "-neg", "-loss", "-thread", "-label",
    "-verbose", "-pretrainedVectors", "-saveOutput", "-seed", "-t", "-lrUpdateRate",
    "-cutoff", "-retrain", "-qnorm", "-qout", "-dsub", "-autotune-validation",
    "-autotune-metric", "-autotune-predictions", "-autotune-duration", "-autotune-modelsize",
]  # fmt: skip


def _cli_parser():
    """skfasttext's argparse parser, from the command line's package ``skfasttext._cli``."""
    return importlib.import_module("skfasttext._cli")._parser()


def _subcommands(parser):
    (action,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return action.choices


def _cells(text):
    """Code spans of the page's table rows: ``-lr``, ``predict``, ..."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return {span for row in rows for span in re.findall(r"`([^`]+)`", row)}


def test_cli_page_maps_every_fasttext_command_and_argument():
    cells = _cells(CLI.read_text(encoding="utf-8"))
    words = {word for cell in cells for word in re.split(r"[\s,<>\[\]]+", cell) if word}
    missing = [name for name in FASTTEXT_COMMANDS if name not in words]
    missing += [name for name in FASTTEXT_SUPERVISED if name not in words]
    assert not missing, f"docs/cli.md has no table row for fastText's {missing}"


def test_cli_page_lists_every_command_and_option_of_ours():
    cells = _cells(CLI.read_text(encoding="utf-8"))
    words = {word for cell in cells for word in re.split(r"[\s,<>\[\]|]+", cell) if word}
    commands = _subcommands(_cli_parser())
    missing = [name for name in commands if name not in words]
    for name, parser in commands.items():
        for action in parser._actions:
            missing += [
                f"{name} {flag}"
                for flag in action.option_strings
                if flag.startswith("-") and not flag.startswith("--") and flag != "-h"
                and flag not in words
            ]  # fmt: skip
    assert not missing, f"docs/cli.md does not mention: {missing}"


# -- examples in the pages ------------------------------------------------------------


_FENCE = re.compile(r"^(```+)[^\n]*\n(.*?)^\1\s*$", re.M | re.S)


def _examples(path):
    """The fenced code blocks of a page that hold ``>>>`` examples, one after the other."""
    blocks = [m.group(2) for m in _FENCE.finditer(path.read_text(encoding="utf-8"))]
    return "\n".join(block for block in blocks if ">>> " in block)


def _pages_with_examples():
    return [path for path in _pages().values() if _examples(path)]


@pytest.mark.parametrize(
    "path", _pages_with_examples(), ids=lambda path: path.relative_to(DOCS).as_posix()
)
def test_page_examples(path):
    """``>>>`` examples in the pages run and print what the page says."""
    name = path.relative_to(DOCS).as_posix()
    test = doctest.DocTestParser().get_doctest(_examples(path), {}, name, str(path), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert test.examples and runner.failures == 0


def test_examples_reader(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("```python\n>>> 1 + 1\n2\n```\n\n```python\nx = 1\n```\n")
    assert _examples(page) == ">>> 1 + 1\n2\n"
