from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings, default_home


def test_home_defaults_to_an_absolute_per_user_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PLENTYSYNC_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    settings = Settings()
    assert settings.home == tmp_path / "xdg" / "plentysync"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")
    assert default_home() == Path.home() / ".local" / "share" / "plentysync"
    assert default_home().is_absolute()


def test_defaults_follow_the_home(plentysync_home: Path) -> None:
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{plentysync_home / 'plentysync.db'}"
    assert settings.resolved_log_dir == plentysync_home / "logs"
    assert settings.redis_url is None
    assert settings.mask_personal_data is True
    assert settings.log_level == "INFO"


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "PLENTYSYNC_REDIS_URL=redis://127.0.0.1:6379/3\nPLENTYSYNC_LOG_LEVEL=debug\n"
    )
    monkeypatch.setenv("PLENTYSYNC_MASK_PERSONAL_DATA", "false")
    settings = Settings()
    assert settings.redis_url == "redis://127.0.0.1:6379/3"
    assert settings.log_level == "DEBUG"
    assert settings.mask_personal_data is False


def test_the_secret_key_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLENTYSYNC_SECRET_KEY", "very-secret-value")
    settings = Settings()
    assert "very-secret-value" not in repr(settings)
    assert "very-secret-value" not in str(settings.model_dump())
