"""The examples in the core's docstrings are tests too: they must stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tripwise.core

MODULES = sorted(info.name for info in pkgutil.walk_packages(tripwise.core.__path__, "tripwise.core."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
