"""Queries compiled once per process, for the few that run on every request.

Django compiles a queryset to SQL each time it runs it; for a one-row lookup by key that
compilation costs ~10x the query itself on SQLite (bench/profile_page.py: ~0.35 ms against
~0.03 ms). ``PreparedGet`` compiles ``Model.objects.filter(<field>=?)`` once per database
alias and then only executes it, building the instance the way the ORM does (the compiler's
own converters, then ``Model.from_db``), so the object is indistinguishable from
``Model.objects.filter(...).first()``.

Use it only for hot, simple lookups (the signed-in user and the community of every community
page); everything else should stay ordinary ORM code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
# Stand for the looked-up value while compiling (found again among the compiled parameters).
_PLACEHOLDERS: dict[type, Any] = {int: 987654321987, str: "\x1fprepared-placeholder\x1f"}


@dataclass
class _Part:
    """Where one model's columns sit in the compiled row, and how to attach it."""

    model: type[Model]
    indexes: tuple[int, ...]
    field_names: list[str]
    # For the related part, the ORM's own setters: ``setter(main, related)`` caches the
    # foreign key's value, ``remote_setter(related, main)`` the reverse side of a one-to-one.
    setter: Any = None
    remote_setter: Any = None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slot: int  # which parameter is the looked-up value
    converters: dict[int, Any]
    compiler: Any
    main: _Part
    related: _Part | None


class PreparedGet(Generic[M]):
    """``get(value)`` == ``queryset().filter(<field>=value).first()`` for a unique ``field``,
    compiled once.

    ``queryset`` builds the base queryset (e.g. ``lambda: User.objects.all()``, no
    ``select_related``); ``kind`` is the value's type, int or str. ``related`` names one
    non-null foreign key to load in the same statement, as ``select_related(related)`` would
    (the related instance is attached the way the ORM attaches it)."""

    def __init__(
        self,
        queryset: Callable[[], QuerySet[M]],
        field: str = "pk",
        kind: type = int,
        *,
        related: str | None = None,
    ) -> None:
        self._queryset = queryset
        self._field = field
        self._kind = kind
        self._related = related
        self._compiled: dict[str, _Compiled] = {}

    def get(self, value: Any, using: str = "default") -> M | None:
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        params[compiled.slot] = self._kind(value)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        instance: M = _build(compiled.main, row, using)
        related = compiled.related
        if related is not None:
            other = _build(related, row, using)
            related.setter(instance, other)
            related.remote_setter(other, instance)
        return instance

    def _compile(self, using: str) -> _Compiled:
        placeholder = _PLACEHOLDERS[self._kind]
        queryset = self._queryset()
        if self._related:
            queryset = queryset.select_related(self._related)
        queryset = queryset.filter(**{self._field: placeholder})[:1]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [i for i, p in enumerate(params) if p == placeholder]
        related_infos = compiler.klass_info.get("related_klass_infos") or []
        if len(slots) != 1 or len(related_infos) != (1 if self._related else 0):
            raise ValueError("PreparedGet serves lookups by one value, with at most one join")
        if related_infos and related_infos[0]["field"].null:
            raise ValueError("PreparedGet joins only non-null foreign keys")
        selected = [column for column, _sql, _alias in compiler.select]
        related = None
        if related_infos:
            info = related_infos[0]
            related = _part(info["model"], info["select_fields"], selected)
            related.setter, related.remote_setter = info["local_setter"], info["remote_setter"]
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slot=slots[0],
            converters=compiler.get_converters(selected),
            compiler=compiler,
            main=_part(queryset.model, compiler.klass_info["select_fields"], selected),
            related=related,
        )
        self._compiled[using] = compiled
        return compiled


def _part(model: type[Model], indexes: list[int], selected: list[Any]) -> _Part:
    names = [selected[i].target.attname for i in indexes]
    return _Part(model=model, indexes=tuple(indexes), field_names=names)


def _build(part: _Part, row: Any, using: str) -> Any:
    return part.model.from_db(using, part.field_names, [row[i] for i in part.indexes])


def first_value(model: type[Model], column: str, where: dict[str, Any], default: Any = None) -> Any:
    """``SELECT <column> FROM <model's table> WHERE <a> = %s AND ...`` — the first row's value,
    else ``default``. Plain SQL for the one-value lookups on every page (a level, a setting):
    the ORM compiled such a query in ~10x the time it took to run. ``column`` and the ``where``
    keys are column names of ``model`` (checked); the values are parameters."""
    connection = connections["default"]
    names = {field.column for field in model._meta.concrete_fields}
    if column not in names or not set(where) <= names:
        raise ValueError(f"unknown column of {model.__name__}")
    quote = connection.ops.quote_name
    conditions = " AND ".join(f"{quote(name)} = %s" for name in where)
    sql = (
        f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "  # noqa: S608 (checked names)
        f"WHERE {conditions} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(where.values()))
        row = cursor.fetchone()
    return default if row is None else row[0]
