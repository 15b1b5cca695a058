"""Builds and readers several test files run: a strict sphinx-build of a copied root, and biber's own keys.

The same as a user's commands, in a subprocess, with the extension of this checkout on the path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

EXT = Path(__file__).resolve().parents[2] / "ext"


def build(src: Path, builder: str = "html") -> subprocess.CompletedProcess:
    out = src / "_build"
    cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-q", str(src), str(out / builder),
           "-d", str(out / "doctrees")]
    env = {**os.environ, "PYTHONPATH": str(EXT)}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


def biber_keys(path: Path, workdir: Path) -> set[str]:
    """The keys biber accepts, from the file ``biber --tool`` writes back."""
    src = workdir / path.name
    if src != path:
        shutil.copyfile(path, src)
    out = workdir / f"{path.stem}.biber.bib"
    run = subprocess.run(["biber", "--tool", "--quiet", "--output-format=bibtex", f"--output-file={out}", src.name],
                         cwd=workdir, capture_output=True, text=True, timeout=600)
    assert out.is_file(), run.stdout + run.stderr
    text = out.read_text(encoding="utf-8")
    return {m.group(2) for m in re.finditer(r"^@(\w+)\{(.+),\s*$", text, re.MULTILINE) if m.group(1).lower() != "string"}
