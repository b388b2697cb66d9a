"""@task: a function that runs in the background, under a name every backend finds it by.

The registry maps names to functions. The worker that runs a task looks it up by the name stored with it (a
database row, a Celery message), so each process must have imported the module that defines it: `autodiscover`
imports `tripwise.<app>.tasks` for every installed Tripwise app that has one, and the modules listed in
TASKS_EXTRA_MODULES (TRIPWISE_TASK_MODULES).

No models here: `from tripwise.tasks import task` runs while Django loads the apps' modules.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, ParamSpec, TypeVar, overload

__all__ = ["Task", "autodiscover", "task", "task_named"]

P = ParamSpec("P")
R = TypeVar("R")

_registry: dict[str, Task[..., Any]] = {}
_apps_discovered = False


class Task(Generic[P, R]):
    """A registered function. Calling it runs it here and now; `enqueue` has it run in the background."""

    def __init__(self, function: Callable[P, R], *, name: str) -> None:
        self.function = function
        self.name = name
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<task {self.name}>"

    def enqueue(self, *, not_before: datetime | None = None, **kwargs: Any) -> int | None:
        """Run the task with these keyword arguments (JSON values) once the surrounding transaction commits,
        at once when there is none; nothing when it rolls back. `not_before`: an aware datetime it waits for.

        Returns the queued row's id with the database backend, else None. The task may run more than once (a
        worker that dies mid-task lets go of it), so it must be idempotent.
        """
        from tripwise.tasks.services import task_enqueue

        return task_enqueue(name=self.name, kwargs=kwargs, not_before=not_before)


def _register(function: Callable[P, R], name: str | None) -> Task[P, R]:
    name = name or f"{function.__module__}.{function.__name__}"
    known = _registry.get(name)
    if known is not None and (known.function.__module__, known.function.__qualname__) != (
        function.__module__,
        function.__qualname__,
    ):
        # Two functions under one name: a stored task would run whichever was imported last.
        raise ValueError(f"the task name {name!r} is taken by {known.function.__module__}")
    made = Task(function, name=name)
    _registry[name] = made  # the same function again (a module reloaded) replaces itself
    return made


@overload
def task(function: Callable[P, R], /) -> Task[P, R]: ...


@overload
def task(*, name: str | None = None) -> Callable[[Callable[P, R]], Task[P, R]]: ...


def task(
    function: Callable[P, R] | None = None, /, *, name: str | None = None
) -> Task[P, R] | Callable[[Callable[P, R]], Task[P, R]]:
    """Register a function as a background task, under `name` or "<module>.<function name>".

    Keyword arguments only, JSON values (ids, not model instances: the task reads what is committed when it
    runs). It may run more than once, and late: make it idempotent.
    """
    if function is not None:
        return _register(function, name)
    return functools.partial(_register, name=name)


def autodiscover() -> dict[str, Task[..., Any]]:
    """Import every module that defines tasks; the registry, name to task."""
    from django.apps import apps
    from django.conf import settings

    global _apps_discovered
    if not _apps_discovered:
        for config in apps.get_app_configs():
            module = f"{config.name}.tasks"
            if config.name.startswith("tripwise.") and importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        _apps_discovered = True
    for module in settings.TASKS_EXTRA_MODULES:
        importlib.import_module(module)  # cached after the first time; a setting changed in a test is seen
    return dict(_registry)


def task_named(name: str) -> Task[..., Any] | None:
    """The task registered under `name`, its module imported if need be; None when there is none."""
    return _registry.get(name) or autodiscover().get(name)
