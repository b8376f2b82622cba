"""From pydantic fields to SQL columns: where the record's shape becomes a table's shape.

The tables in `pipeline.db.models` do not retype the record. Each record table
is declared as "the fields of this pydantic model", and `field_columns` turns
the model's annotations into columns: nested models are flattened with a prefix
(`normalized.unit` → `normalized_unit`), fixed-length tuples become one column per
element (`bbox` → `bbox_x0` … `bbox_y1`), a value that may be a number or a
string is stored as text in `<name>` and, when it is a number, in `<name>_value`
too (NUMERIC, so that it can be summed and compared). `FieldColumn.value` reads
the column's value out of the model's JSON dump, which is how the batch workers
turn a record into table rows.

A field's SQL type follows its annotation unless the table says otherwise
(`types=`): money is NUMERIC (read back as `Decimal`), ISO dates are DATE; the
values are converted to `Decimal` / `datetime.date` here, in the workers. The
column's comment is the field's pydantic `description` (or `comments=`), the one
text the data dictionary and PostgreSQL's COMMENT ON show.
"""
from __future__ import annotations

import datetime
import math
import operator
import types
import typing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Literal, Optional, Sequence, Union

from pydantic import BaseModel
from sqlalchemy import Boolean, Column, Date, Double, Float, Integer, Numeric, String, Text
from sqlalchemy.types import TypeDecorator, TypeEngine

#: Width of the column for a Literal field: room for new codes without a migration.
LITERAL_WIDTH = 32
#: Suffix of the numeric twin of a number-or-text field (`expected` → `expected_value`).
NUMBER_SUFFIX = "_value"


def as_decimal(value: Any) -> Optional[Decimal]:
    """A number (or a numeric string) as a `Decimal` with the digits it was written with; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, int):
        return Decimal(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def as_date(value: Any) -> Optional[datetime.date]:
    """An ISO date (text) as a `datetime.date`; None when it is not one."""
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def base_type(sql_type: TypeEngine) -> TypeEngine:
    """The SQL type under a `TypeDecorator` (such as `Price`), or the type itself."""
    return sql_type.impl_instance if isinstance(sql_type, TypeDecorator) else sql_type


class Price(TypeDecorator):
    """NUMERIC(18,6) read back as a `Decimal` without trailing zeros: 0.12, not 0.120000."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 6):
        super().__init__(precision, scale)

    def process_result_value(self, value: Any, dialect: Any) -> Optional[Decimal]:
        if value is None:
            return None
        trimmed = value.normalize()
        return trimmed.quantize(Decimal(1)) if trimmed.as_tuple().exponent > 0 else trimmed


#: The type of a numeric twin unless `types=` says otherwise.
NUMBER_TYPE = Price(18, 6)


def converter(sql_type: TypeEngine) -> Optional[Callable[[Any], Any]]:
    """How a JSON value becomes the Python value a column of `sql_type` takes (None: as it is)."""
    sql_type = base_type(sql_type)
    if isinstance(sql_type, Numeric) and not isinstance(sql_type, Float):
        return as_decimal
    if isinstance(sql_type, Date):
        return as_date
    return None


@dataclass(frozen=True)
class FieldColumn:
    """One SQL column fed by one leaf of a pydantic model."""

    name: str
    path: tuple[str | int, ...]
    type: TypeEngine
    nullable: bool
    as_text: bool = False
    comment: Optional[str] = None
    #: turns the JSON value into the column's value (`as_decimal`, `as_date`); None: as it is
    convert: Optional[Callable[[Any], Any]] = None

    def column(self) -> Column:
        return Column(self.name, self.type, nullable=self.nullable, comment=self.comment)

    def value(self, dumped: dict) -> Any:
        """The value for this column in `model.model_dump(mode="json")` (or `vars(model)`)."""
        value: Any = dumped
        for step in self.path:
            if value is None:
                return None
            value = value[step]
        if value is None:
            return None
        if self.as_text:
            return str(value)
        if self.convert is not None:
            return self.convert(value)
        return value


def row_getter(fields: Sequence[FieldColumn]) -> Callable[[dict], tuple]:
    """A function giving the values of `fields` as a tuple: what `FieldColumn.value` gives, faster.

    Top-level fields stored as they are are read with one `itemgetter` call;
    the others (nested, tuple elements, text) one by one.
    """
    plain = [i for i, f in enumerate(fields) if len(f.path) == 1 and not f.as_text and f.convert is None]
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
    types: Optional[dict[str, TypeEngine]] = None,
    comments: Optional[dict[str, str]] = None,
    prefix: str = "",
    path: tuple[str | int, ...] = (),
) -> list[FieldColumn]:
    """The columns holding the scalar fields of `model`, in field order.

    `only` limits the fields taken; `rename` maps a field name to its column name;
    `element_names` names the columns of a fixed-length tuple field; `types` gives
    a column (by its column name) another SQL type than its annotation's; `comments`
    a comment where the field has no description.
    """
    rename = rename or {}
    element_names = element_names or {}
    types = types or {}
    comments = comments or {}
    columns: list[FieldColumn] = []

    def make(name: str, field_path: tuple, sql_type: TypeEngine, nullable: bool, as_text: bool,
             comment: Optional[str]) -> FieldColumn:
        sql_type = types.get(name, sql_type)
        comment = comments.get(name, comment)
        return FieldColumn(name, field_path, sql_type, nullable, as_text, comment,
                           None if as_text else converter(sql_type))

    for name, info in model.model_fields.items():
        if only is not None and name not in only:
            continue
        annotation, optional = _unwrap_optional(info.annotation)
        nullable = optional or not info.is_required() and info.default is None
        column_name = prefix + rename.get(name, name)
        where = f"{model.__name__}.{name}"
        description = info.description
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns += field_columns(annotation, prefix=column_name + "_", path=path + (name,),
                                     types=types, comments=comments)
        elif typing.get_origin(annotation) is tuple:
            names = element_names.get(name)
            args = typing.get_args(annotation)
            if names is None or len(names) != len(args):
                raise TypeError(f"{where}: name the {len(args)} tuple elements in element_names")
            for i, (element, arg) in enumerate(zip(names, args)):
                sql_type, as_text = _scalar_type(arg, where)
                element_comment = f"{description} ({element})" if description else None
                columns.append(make(f"{column_name}_{element}", path + (name, i), sql_type, True, as_text,
                                    element_comment))
        elif typing.get_origin(annotation) is list:
            raise TypeError(f"{where}: a list field belongs in a child table; leave it out with `only`")
        else:
            sql_type, as_text = _scalar_type(annotation, where)
            columns.append(make(column_name, path + (name,), sql_type, nullable, as_text, description))
            if as_text:  # a number or a text: the number in a numeric column too
                twin = column_name + NUMBER_SUFFIX
                twin_comment = f"{description} The number, when it is one (NULL for text)." if description else None
                columns.append(FieldColumn(twin, path + (name,), types.get(twin, NUMBER_TYPE), True, False,
                                           comments.get(twin, twin_comment), as_decimal))
    return columns
