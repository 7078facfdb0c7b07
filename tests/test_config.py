import re
from pathlib import Path

import pytest

from digest.config import Config, load_config, override
from digest.errors import ConfigError
from tests.conftest import SEEDS


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "digest.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_defaults_without_a_file() -> None:
    assert load_config(None) == Config()


def test_seed_configuration() -> None:
    config = load_config(str(SEEDS / "digest.toml"))
    assert config.title == "Venezuela crisis digest"
    assert [s.title for s in config.sections] == [
        "Regional bloc reaction", "ALBA response", "Constituent Assembly powers"]
    assert all(s.description for s in config.sections)


def test_file_settings_and_relative_paths(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
title = "Morning"
other_section = "Other news"
[summary]
method = "textrank"
sentences = "20%"
memory_days = 3
[output]
formats = ["txt"]
dir = "out"
templates = "tpl"
[[sources]]
path = "articles"
name = "Local"
[[sections]]
title = "Sport"
keywords = ["football"]
"""))
    assert config.title == "Morning"
    assert config.method == "textrank"
    assert config.budget.ratio == 0.2
    assert config.memory_days == 3
    assert config.formats == ("txt",)
    assert config.out_dir == str(tmp_path / "out")
    assert config.templates == str(tmp_path / "tpl")
    assert config.sources[0].path == str(tmp_path / "articles")
    assert config.sections[0].keywords == ("football",)
    assert config.other_section == "Other news"


def test_flags_override_only_when_given(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[summary]\nmethod = "lsa"\nsentences = 5\n'))
    assert override(config).method == "lsa"
    changed = override(config, method="luhn", sentences="2")
    assert (changed.method, changed.budget.sentences) == ("luhn", 2)
    assert override(config, drop_sections=True).sections == ()


def test_word_budget_alone_lifts_the_sentence_count() -> None:
    budget = override(Config(), words=250).budget
    assert (budget.sentences, budget.ratio, budget.words) == (None, None, 250)


@pytest.mark.parametrize(("text", "message"), [
    ("title = ", "not valid TOML"),
    ("titel = 'x'", "unknown setting titel"),
    ("[summary]\nmethod = 'magic'", "unknown method 'magic'"),
    ("[summary]\nsentences = 'lots'", "neither a count"),
    ("[summary]\nwords = 0", "at least 1"),
    ("[summary]\nmemory_days = -1", "summary.memory_days must be a whole number of days"),
    ("[summary]\nmemory_days = 'week'", "summary.memory_days must be a whole number of days"),
    ("[output]\nformats = ['pdf']", "unknown output format pdf"),
    ("[[sections]]\ndescription = 'no title'", "sections[0].title is missing"),
    ("[[sections]]\ntitle = 'A'\n[[sections]]\ntitle = 'A'", "share a title"),
    ("[[sections]]\ntitle = 'A'\nkeywords = 'x'", "keywords must be a list"),
    ("sections = 'A'", "[[sections]] tables"),
])
def test_invalid_files_name_the_file_and_the_problem(tmp_path: Path, text: str,
                                                     message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_config(path)
    assert str(info.value).startswith(path)


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config("/nonexistent/digest.toml")
