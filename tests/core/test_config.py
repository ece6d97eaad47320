"""Client configuration: huggingface_hub's constructor rules, token resolution, header merging."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from inference_core import RequestError
from inference_core._config import USER_AGENT
from inference_core._settings import hub_endpoint, resolve_token
from tests.core._support import client_config


def _config(environ: dict[str, str] | None = None, **kwargs: Any) -> Any:
    return client_config(environ, **kwargs)


def test_model_and_base_url_are_exclusive() -> None:
    with pytest.raises(RequestError, match="Received both `model` and `base_url`"):
        _config(model="a/b", base_url="http://x")


def test_token_and_api_key_are_exclusive() -> None:
    with pytest.raises(RequestError, match="Received both `token` and `api_key`"):
        _config(token="hf_a", api_key="hf_b")


def test_base_url_and_api_key_are_aliases() -> None:
    config = _config(base_url="http://h/v1/", api_key="sk-1")
    assert (config.model, config.token) == ("http://h/v1/", "sk-1")


def test_token_false_is_refused_even_through_api_key() -> None:
    with pytest.raises(RequestError, match="Cannot use `token=False`"):
        _config(api_key=False)


def test_token_true_warns_and_uses_saved_token() -> None:
    with pytest.warns(DeprecationWarning):
        config = _config({"HF_TOKEN": "hf_saved"}, token=True)
    assert config.token == "hf_saved"


def test_bad_timeout_is_refused() -> None:
    with pytest.raises(RequestError, match="timeout"):
        _config(timeout=-1)


def test_token_resolution_order(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("hf_from_file\n")
    assert resolve_token({"HF_TOKEN": " hf_env \n", "HF_TOKEN_PATH": str(token_file)}) == "hf_env"
    assert resolve_token({"HUGGING_FACE_HUB_TOKEN": "hf_old"}) == "hf_old"
    assert resolve_token({"HF_TOKEN": "", "HF_TOKEN_PATH": str(token_file)}) == "hf_from_file"
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "token").write_text("hf_home")
    assert resolve_token({"HF_HOME": str(tmp_path / "home")}) == "hf_home"
    assert resolve_token({"XDG_CACHE_HOME": str(tmp_path / "nothing")}) is None


def test_explicit_token_wins_and_is_resolved_once(tmp_path: Path) -> None:
    assert _config({"HF_TOKEN": "hf_env"}, token="hf_explicit").token == "hf_explicit"
    assert _config({"HF_TOKEN": "hf_env"}).token == "hf_env"


def test_hub_endpoint() -> None:
    assert hub_endpoint({}) == "https://huggingface.co"
    assert hub_endpoint({"HF_ENDPOINT": "http://127.0.0.1:9/"}) == "http://127.0.0.1:9"


def test_request_headers_user_headers_win_case_insensitively() -> None:
    config = _config(
        headers={"Authorization": "Bearer mine", "X-H": "1"}, cookies={"a": "1", "b": "2"}
    )
    headers = dict(config.request_headers("hf_t", ("content-type", "application/json")))
    assert headers == {
        "user-agent": USER_AGENT,
        "cookie": "a=1; b=2",
        "Authorization": "Bearer mine",
        "X-H": "1",
        "content-type": "application/json",
    }


def test_headers_are_copied_and_later_mutation_applies() -> None:
    given = {"X-A": "1"}
    config = _config(headers=given)
    config.headers["X-B"] = "2"
    assert given == {"X-A": "1"}
    assert ("X-B", "2") in config.request_headers(None)
    assert all(name != "authorization" for name, _ in config.request_headers(None))


def test_bill_to_sets_header_and_warns_on_override_and_foreign_key() -> None:
    given = {"X-HF-Bill-To": "old"}
    with pytest.warns(UserWarning, match="Overriding existing 'old' value in headers with 'org'"):
        config = _config(headers=given, bill_to="org", token="hf_x")
    assert config.headers["X-HF-Bill-To"] == "org"
    assert given == {"X-HF-Bill-To": "old"}
    with pytest.warns(UserWarning, match="external provider's API key"):
        config = _config(bill_to="org", token="sk-provider")
    assert config.headers["X-HF-Bill-To"] == "org"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _config(bill_to="org")
