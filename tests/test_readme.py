"""The README's sample summary is what `make demo` really prints (regenerate it with `make readme-demo`)."""

import sys

import pytest

from conftest import ROOT
from helpers import run

sys.path.insert(0, str(ROOT / "docs"))
import readme_demo  # noqa: E402


@pytest.mark.model
def test_readme_summary_block_is_what_the_demo_prints(tmp_path, monkeypatch, session_cache_dir):
    monkeypatch.chdir(ROOT)  # the demo's paths are relative to the repository
    args = readme_demo.demo_arguments()
    for flag, name in (("-o", "r.html"), ("--json", "r.json")):
        args[args.index(flag) + 1] = str(tmp_path / name)
    result = run("check", *args, "--cache-dir", session_cache_dir)
    assert result.exit_code == 0, result.output
    assert readme_demo.summary_lines(result.stderr) == readme_demo.readme_block((ROOT / "README.md").read_text())
