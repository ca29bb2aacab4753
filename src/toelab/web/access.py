"""The app's route table with the access rule each route declares, read from the routes
themselves, so a check over it covers every route, including those added later."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import BaseRoute, Mount

from toelab.web.auth import public, signed_in
from toelab.web.people import current_person_id

RULES = {public: "public", signed_in: "signed_in", current_person_id: "person"}


@dataclass(frozen=True)
class RouteAccess:
    path: str
    methods: tuple[str, ...]  # ("WEBSOCKET",) for a WebSocket route, () for a mount
    rules: frozenset[str]  # public, signed_in, person; empty when none is declared
    takes_person_id: bool  # a path or query parameter person_id
    path_params: tuple[str, ...]


def _calls(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _params(dependant: Any, kind: str) -> Iterator[str]:
    yield from (p.name for p in getattr(dependant, kind))
    for sub in dependant.dependencies:
        yield from _params(sub, kind)


def _entry(route: APIRoute | APIWebSocketRoute, prefix: str, extra: Sequence[Any]) -> RouteAccess:
    calls = {*_calls(route.dependant), *(d.dependency for d in extra)}
    path_params = tuple(dict.fromkeys(_params(route.dependant, "path_params")))
    names = {*path_params, *_params(route.dependant, "query_params")}
    methods = ("WEBSOCKET",) if isinstance(route, APIWebSocketRoute) else tuple(sorted(route.methods or ()))
    return RouteAccess(
        prefix + route.path,
        methods,
        frozenset(RULES[c] for c in calls if c in RULES),
        "person_id" in names,
        path_params,
    )


def _walk(routes: Iterable[BaseRoute], prefix: str, extra: Sequence[Any]) -> Iterator[RouteAccess]:
    for route in routes:
        included = getattr(route, "original_router", None)  # a router included in the app
        if included is not None:
            context = route.include_context  # type: ignore[attr-defined]
            yield from _walk(included.routes, prefix + context.prefix, [*extra, *context.dependencies])
        elif isinstance(route, APIRoute | APIWebSocketRoute):
            yield _entry(route, prefix, extra)
        elif isinstance(route, Mount):
            yield RouteAccess(prefix + route.path, (), frozenset(), False, ())
        else:  # a plain route cannot declare a rule: it shows up without one
            yield RouteAccess(prefix + getattr(route, "path", "?"), ("GET",), frozenset(), False, ())


def route_access(app: FastAPI) -> list[RouteAccess]:
    """Every route of the app with the rules it declares."""
    return list(_walk(app.routes, "", []))
