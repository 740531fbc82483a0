"""Where the secret key comes from, so the CLI works after `make run` as the web app does."""

from __future__ import annotations

from app import config


def test_the_environment_wins(monkeypatch, tmp_path):
    (tmp_path / "secret_key").write_text("from the file\n")
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setenv("SECRET_KEY", "from the environment")
    assert config._secret_key() == "from the environment"


def test_without_the_variable_the_instance_file_is_read(monkeypatch, tmp_path):
    (tmp_path / "secret_key").write_text("from the file\n")
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert config._secret_key() == "from the file"


def test_without_either_there_is_no_key(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert config._secret_key() is None
    (tmp_path / "secret_key").write_text("\n")
    assert config._secret_key() is None
