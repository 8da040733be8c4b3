"""Resuming a batch: input hashes are trusted while a file's size and mtime are unchanged."""

import hashlib
import os

from transcheck.batch.hashes import FileHashes


def test_a_file_is_hashed_again_only_when_its_size_or_mtime_changed(tmp_path):
    table = tmp_path / "cache" / "hashes.json"
    audio = tmp_path / "a.mp3"
    audio.write_bytes(b"first")
    hashes = FileHashes(table)
    assert hashes.sha256(str(audio)) == hashlib.sha256(b"first").hexdigest() and hashes.hashed == 1
    hashes.save()

    again = FileHashes(table)  # the next run reads the table and the file's stat only
    assert again.sha256(str(audio)) == hashlib.sha256(b"first").hexdigest() and again.hashed == 0

    stat = audio.stat()
    audio.write_bytes(b"other")  # same size; a new mtime
    os.utime(audio, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert again.sha256(str(audio)) == hashlib.sha256(b"other").hexdigest() and again.hashed == 1
    audio.write_bytes(b"longer text")
    os.utime(audio, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # the same mtime, another size
    assert again.sha256(str(audio)) == hashlib.sha256(b"longer text").hexdigest() and again.hashed == 2


def test_a_damaged_table_only_costs_hashing_again(tmp_path, caplog):
    table = tmp_path / "hashes.json"
    table.write_text("{not json", encoding="utf-8")
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"x")
    hashes = FileHashes(table)
    assert hashes.sha256(str(audio)) == hashlib.sha256(b"x").hexdigest()
    assert "damaged" in caplog.text
    hashes.save()
    assert FileHashes(table).entries == hashes.entries
