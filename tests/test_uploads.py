"""Uploads are written only inside the corpus folder; hostile archives are refused with a clear message."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from analytics.errors import UnsafeArchiveError
from analytics.uploads import corpus_slug, save_upload

MB = 1024 * 1024


def _zip(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


def test_a_plain_zip_is_extracted_inside_the_folder(tmp_path):
    data = _zip({"a.csv": b"text,date\nhello world here,2019-01-01\n", "sub/b.txt": b"Some text.", "x.exe": b"MZ"})
    written = save_upload("corpus.zip", data, tmp_path / "c", 10 * MB)
    assert sorted(p.relative_to(tmp_path / "c").as_posix() for p in written) == ["a.csv", "sub/b.txt"]


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "C:/evil.csv"])
def test_paths_that_escape_are_refused_and_nothing_is_written(tmp_path, name):
    data = _zip({"good.csv": b"text\nfine text here\n", name: b"text\nbad\n"})
    with pytest.raises(UnsafeArchiveError, match="escapes"):
        save_upload("c.zip", data, tmp_path / "c", 10 * MB)
    assert not (tmp_path / "evil.csv").exists()
    assert not (tmp_path / "c" / "good.csv").exists()  # all or nothing


def test_symlinks_are_refused(tmp_path):
    with pytest.raises(UnsafeArchiveError, match="symbolic links"):
        save_upload("c.zip", _zip({"a.txt": b"x"}, symlink="link.txt"), tmp_path / "c", 10 * MB)


def test_a_zip_bomb_is_refused(tmp_path):
    data = _zip({"bomb.txt": b"0" * (50 * MB)})
    assert len(data) < MB
    with pytest.raises(UnsafeArchiveError, match="zip bomb|limit"):
        save_upload("bomb.zip", data, tmp_path / "c", 200 * MB)


def test_size_limit_and_unsupported_types(tmp_path):
    with pytest.raises(UnsafeArchiveError, match="limit"):
        save_upload("big.csv", b"x" * (2 * MB), tmp_path, 1 * MB)
    with pytest.raises(UnsafeArchiveError, match="unsupported"):
        save_upload("run.sh", b"echo", tmp_path, MB)
    # a path in an uploaded file's name is reduced to its base name
    assert save_upload("../../x.csv", b"text\nok text\n", tmp_path / "c", MB) == [(tmp_path / "c" / "x.csv").resolve()]


def test_corpus_names_become_safe_slugs():
    assert corpus_slug("Telegram posts 2019!") == "telegram-posts-2019"
    with pytest.raises(UnsafeArchiveError):
        corpus_slug("../")
    with pytest.raises(UnsafeArchiveError):
        corpus_slug("Demo")
