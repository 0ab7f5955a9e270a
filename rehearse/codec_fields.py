"""The field readers every stored-document decoder shares: each checks one field's kind and says which field is
wrong (Malformed, a ValueError) instead of raising a TypeError or KeyError deep inside."""

from __future__ import annotations

import math
from typing import Any


class Malformed(ValueError):
    """A field of a stored document that is missing or of the wrong kind; the message names the field."""


def _get(d: dict[str, Any], key: str, where: str, default: Any = ...) -> Any:
    if key in d:
        return d[key]
    if default is ...:
        raise Malformed(f"{where}{key} is missing")
    return default


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise Malformed(f"{where} is not a list")
    return value


def _str(d: dict[str, Any], key: str, where: str, default: Any = ...) -> str:
    value = _get(d, key, where, default)
    if not isinstance(value, str):
        raise Malformed(f"{where}{key} is not text")
    return value


def _bool(d: dict[str, Any], key: str, where: str, default: Any = ...) -> bool:
    value = _get(d, key, where, default)
    if not isinstance(value, bool):
        raise Malformed(f"{where}{key} is not true or false")
    return value


def _int(d: dict[str, Any], key: str, where: str, default: Any = ...) -> int:
    value = _get(d, key, where, default)
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
        raise Malformed(f"{where}{key} is not a whole number")
    return value


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or abs(value) > 1e12:
        raise Malformed(f"{what} is not a finite number")
    return float(value)


def _float(d: dict[str, Any], key: str, where: str, default: Any = ...) -> float:
    return _number(_get(d, key, where, default), f"{where}{key}")


def _opt_float(d: dict[str, Any], key: str, where: str) -> float | None:
    value = d.get(key)
    return None if value is None else _number(value, f"{where}{key}")


def _strs(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Malformed(f"{what} is not a list of text")
    return tuple(value)
