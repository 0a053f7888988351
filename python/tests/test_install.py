# Copyright 2026 The Sluice Authors.
"""`pip install ./python` works with no network (--no-index): the in-tree
build backend needs nothing, and the installed package imports."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT


def test_pip_install_offline(tmp_path):
    try:
        import pip  # noqa: F401
    except ImportError:
        pytest.skip("pip is not installed")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index",
         "--no-cache-dir", "--disable-pip-version-check", "--quiet",
         "--target", str(target), os.path.join(ROOT, "python")],
        check=True, cwd=tmp_path)
    assert (target / "sluice" / "_api.py").exists()
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run(
        [sys.executable, "-c", "import sluice; print(sluice.__file__)"],
        check=True, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.stdout.startswith(str(target))
