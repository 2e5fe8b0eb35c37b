"""Smoke test of the experiment scripts in docs/experiments: they run and write their outputs.

Two scripts run with ``--quick`` (tiny data, an epoch or two) in one child process, so that
the scripts' global settings (deterministic TensorFlow kernels, Keras seeds) stay out of
this test session. Their shared data set comes from a tiny fastText-format file written
here, so the test also covers reading the shared data, wherever it runs.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "docs" / "experiments"
SCRIPTS = ["pad_vs_mask", "class_balancing"]

_DRIVER = """
import importlib.util, sys
sys.path.insert(0, sys.argv[1])
out, data = sys.argv[2], sys.argv[3]
for name in sys.argv[4:]:
    spec = importlib.util.spec_from_file_location(name, f"{sys.argv[1]}/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--quick", "--out", out, "--data-dir", data])
"""


def _write_shared_data(folder):
    """Tiny chinese_reviews and rotten_tomatoes files: a label word decides the class."""
    words = ["good", "bad", "plot", "film", "actor", "story", "long", "fun"]
    for name, labels in [
        ("chinese_reviews", ["pos", "neg"]),
        ("rotten_tomatoes", ["fresh", "rotten", "plot"]),
    ]:
        for part, n in [("train", 120), ("test", 60)]:
            lines = []
            for i in range(n):
                label = labels[i % len(labels)]
                text = " ".join(words[(i * 7 + j) % len(words)] for j in range(1 + i % 9))
                lines.append(f"__label__{label} {label}word {text}\n")
            (folder / f"{name}.{part}.txt").write_text("".join(lines), encoding="utf-8")


def _package_commit():
    """The tables' commit: the package's last, "+" if it has changes, "unknown" outside git."""
    try:
        dirty, last = (
            subprocess.run(
                ["git", *args, "--", "skfasttext"],
                cwd=ROOT, capture_output=True, text=True, check=True,
            ).stdout.strip()
            for args in (["status", "--porcelain"], ["log", "-1", "--format=%h"])
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return "+" if dirty else last


def test_scripts_write_figure_and_table(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _write_shared_data(data)
    out = tmp_path / "out"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(EXPERIMENTS), str(out), str(data), *SCRIPTS],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    for name in SCRIPTS:
        png = out / "figures" / f"{name}.png"
        table = out / "figures" / f"{name}.md"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
        assert 1_000 < png.stat().st_size < 200_000
        text = table.read_text(encoding="utf-8")
        assert "| ---" in text, f"{table} holds no markdown table"
        assert f"docs/experiments/{name}.py --quick" in text
        commit = _package_commit()
        assert re.search(rf"skfasttext commit `[0-9a-f]*{re.escape(commit)}`", text), text[-300:]
    # the shared data set was read and reported
    assert "chinese_reviews" in (out / "figures" / "pad_vs_mask.md").read_text(encoding="utf-8")
    assert "rotten_tomatoes" in (out / "figures" / "class_balancing.md").read_text(encoding="utf-8")
