"""From pydantic fields to SQL columns: where the record's shape becomes a table's shape.

The tables in `pipeline.db.models` do not retype the record. Each record table
is declared as "the fields of this pydantic model", and `field_columns` turns
the model's annotations into columns: nested models are flattened with a prefix
(`normalized.unit` → `normalized_unit`), fixed-length tuples become one column per
element (`bbox` → `bbox_x0` … `bbox_y1`), a value that may be a number or a
string is stored as text. `FieldColumn.value` reads the column's value out of the
model's JSON dump, which is how the batch workers turn a record into table rows.
"""
from __future__ import annotations

import operator
import types
import typing
from dataclasses import dataclass
from typing import Any, Callable, Literal, Optional, Sequence, Union

from pydantic import BaseModel
from sqlalchemy import Boolean, Column, Double, Integer, String, Text
from sqlalchemy.types import TypeEngine

#: Width of the column for a Literal field: room for new codes without a migration.
LITERAL_WIDTH = 32


@dataclass(frozen=True)
class FieldColumn:
    """One SQL column fed by one leaf of a pydantic model."""

    name: str
    path: tuple[str | int, ...]
    type: TypeEngine
    nullable: bool
    as_text: bool = False

    def column(self) -> Column:
        return Column(self.name, self.type, nullable=self.nullable)

    def value(self, dumped: dict) -> Any:
        """The value for this column in `model.model_dump(mode="json")` (or `vars(model)`)."""
        value: Any = dumped
        for step in self.path:
            if value is None:
                return None
            value = value[step]
        if self.as_text and value is not None:
            return str(value)
        return value


def row_getter(fields: Sequence[FieldColumn]) -> Callable[[dict], tuple]:
    """A function giving the values of `fields` as a tuple: what `FieldColumn.value` gives, faster.

    Top-level fields stored as they are are read with one `itemgetter` call;
    the others (nested, tuple elements, text) one by one.
    """
    plain = [i for i, f in enumerate(fields) if len(f.path) == 1 and not f.as_text]
    if len(plain) == len(fields) and len(fields) > 1:
        return operator.itemgetter(*(f.path[0] for f in fields))
    if len(plain) < 2:
        return lambda dumped: tuple(f.value(dumped) for f in fields)
    grouped = operator.itemgetter(*(fields[i].path[0] for i in plain))
    rest = [(i, f) for i, f in enumerate(fields) if i not in plain]

    def get(dumped: dict) -> tuple:
        values = [None] * len(fields)
        for i, value in zip(plain, grouped(dumped)):
            values[i] = value
        for i, f in rest:
            values[i] = f.value(dumped)
        return tuple(values)

    return get


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without None, whether None was allowed)."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return Union[tuple(args)], optional  # type: ignore[return-value]
    return annotation, False


def _scalar_type(annotation: Any, where: str) -> tuple[TypeEngine, bool]:
    """(SQL type, stored as text) for a scalar annotation."""
    if annotation is bool:
        return Boolean(), False
    if annotation is int:
        return Integer(), False
    if annotation is float:
        return Double(), False
    if annotation is str:
        return Text(), False
    if typing.get_origin(annotation) is Literal:
        return String(max(LITERAL_WIDTH, *(len(str(v)) for v in typing.get_args(annotation)))), False
    if typing.get_origin(annotation) in (Union, types.UnionType):
        if all(a in (int, float, str) for a in typing.get_args(annotation)):
            return Text(), True
    raise TypeError(f"{where}: no SQL column type for {annotation!r}; "
                    "extend pipeline.db.fields._scalar_type or store it in a child table")


def field_columns(
    model: type[BaseModel],
    *,
    only: Optional[tuple[str, ...]] = None,
    rename: Optional[dict[str, str]] = None,
    element_names: Optional[dict[str, tuple[str, ...]]] = None,
    prefix: str = "",
    path: tuple[str | int, ...] = (),
) -> list[FieldColumn]:
    """The columns holding the scalar fields of `model`, in field order.

    `only` limits the fields taken; `rename` maps a field name to its column name;
    `element_names` names the columns of a fixed-length tuple field.
    """
    rename = rename or {}
    element_names = element_names or {}
    columns: list[FieldColumn] = []
    for name, info in model.model_fields.items():
        if only is not None and name not in only:
            continue
        annotation, optional = _unwrap_optional(info.annotation)
        nullable = optional or not info.is_required() and info.default is None
        column_name = prefix + rename.get(name, name)
        where = f"{model.__name__}.{name}"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns += field_columns(annotation, prefix=column_name + "_", path=path + (name,))
        elif typing.get_origin(annotation) is tuple:
            names = element_names.get(name)
            args = typing.get_args(annotation)
            if names is None or len(names) != len(args):
                raise TypeError(f"{where}: name the {len(args)} tuple elements in element_names")
            for i, (element, arg) in enumerate(zip(names, args)):
                sql_type, as_text = _scalar_type(arg, where)
                columns.append(FieldColumn(f"{column_name}_{element}", path + (name, i),
                                           sql_type, True, as_text))
        elif typing.get_origin(annotation) is list:
            raise TypeError(f"{where}: a list field belongs in a child table; leave it out with `only`")
        else:
            sql_type, as_text = _scalar_type(annotation, where)
            columns.append(FieldColumn(column_name, path + (name,), sql_type, nullable, as_text))
    return columns
