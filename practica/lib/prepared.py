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


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slot: int  # which parameter is the looked-up value
    converters: dict[int, Any]
    compiler: Any
    field_names: list[str]


class PreparedGet(Generic[M]):
    """``get(value)`` == ``queryset().filter(<field>=value).first()`` for a unique ``field``,
    compiled once.

    ``queryset`` builds the base queryset (e.g. ``lambda: User.objects.all()``, no
    ``select_related``); ``kind`` is the value's type, int or str."""

    def __init__(
        self, queryset: Callable[[], QuerySet[M]], field: str = "pk", kind: type = int
    ) -> None:
        self._queryset = queryset
        self._field = field
        self._kind = kind
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
        model: type[M] = self._queryset().model
        return model.from_db(using, compiled.field_names, list(row))

    def _compile(self, using: str) -> _Compiled:
        placeholder = _PLACEHOLDERS[self._kind]
        queryset = self._queryset().filter(**{self._field: placeholder})[:1]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [i for i, p in enumerate(params) if p == placeholder]
        if len(slots) != 1 or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("PreparedGet serves single-model lookups by one value")
        selected = [column for column, _sql, _alias in compiler.select]
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slot=slots[0],
            converters=compiler.get_converters(selected),
            compiler=compiler,
            field_names=[column.target.attname for column in selected],
        )
        self._compiled[using] = compiled
        return compiled


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
