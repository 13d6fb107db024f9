"""Indicator formulas: arithmetic over data element codes, parsed once and evaluated safely.

A formula is evaluated on values already aggregated over units and time, so a ratio such as
`trained_workers / labour_force * 100` over two districts is Σnumerator / Σdenominator.
"""

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import cache

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Formula:
    text: str
    elements: tuple[str, ...]
    _tree: ast.expr = field(repr=False, compare=False)

    @property
    def is_single_element(self) -> bool:
        return isinstance(self._tree, ast.Name)

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The formula's value, or None when an input is missing or a denominator is zero."""
        try:
            return _eval(self._tree, values)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None


class _Missing(Exception):
    pass


def _eval(node: ast.expr, values: Mapping[str, Decimal | None]) -> Decimal | None:
    try:
        return _eval_node(node, values)
    except _Missing:
        return None


def _eval_node(node: ast.expr, values: Mapping[str, Decimal | None]) -> Decimal:
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise _Missing
        return value
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp):
        return -_eval_node(node.operand, values)
    if isinstance(node, ast.BinOp):
        left = _eval_node(node.left, values)
        right = _eval_node(node.right, values)
        match node.op:
            case ast.Add():
                return left + right
            case ast.Sub():
                return left - right
            case ast.Mult():
                return left * right
            case ast.Div():
                if right == 0:
                    raise ZeroDivisionError
                return left / right
    raise FormulaError(f"unsupported expression {ast.dump(node)}")


def _check(node: ast.AST, names: list[str]) -> None:
    if isinstance(node, ast.Name):
        if node.id not in names:
            names.append(node.id)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"only numbers may appear as constants, not {node.value!r}")
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand, names)
    elif isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, names)
        _check(node.right, names)
    else:
        raise FormulaError(
            f"only data element codes, numbers, + - * / and parentheses are allowed "
            f"({type(node).__name__} found)"
        )


@cache
def parse_formula(text: str) -> Formula:
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"cannot read formula {text!r}: {exc.msg}") from None
    names: list[str] = []
    _check(tree, names)
    if not names:
        raise FormulaError(f"formula {text!r} uses no data element")
    return Formula(text=text.strip(), elements=tuple(names), _tree=tree)
