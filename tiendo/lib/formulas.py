"""Indicator formulas: arithmetic over data element codes, parsed once and evaluated safely.

A formula is evaluated on values already aggregated over units and time, so a ratio such as
`trained_workers / labour_force * 100` over two districts is Σnumerator / Σdenominator.
"""

import ast
from collections.abc import Callable, Mapping
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
    # The tree turned into nested functions once (a dashboard evaluates a formula for
    # every unit below): values -> Decimal, raising _Missing for a missing input.
    _compiled: Callable[[Mapping[str, Decimal | None]], Decimal] = field(
        repr=False, compare=False)

    @property
    def is_single_element(self) -> bool:
        return isinstance(self._tree, ast.Name)

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The formula's value, or None when an input is missing or a denominator is zero."""
        try:
            return self._compiled(values)
        except (_Missing, DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None


class _Missing(Exception):
    pass


def _compile(node: ast.expr) -> Callable[[Mapping[str, Decimal | None]], Decimal]:
    """A checked tree (`_check`) as a function of the values, evaluated left to right."""
    if isinstance(node, ast.Name):
        name = node.id

        def element(values):
            value = values.get(name)
            if value is None:
                raise _Missing
            return value
        return element
    if isinstance(node, ast.Constant):
        constant = Decimal(str(node.value))
        return lambda _values: constant
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        return lambda values: -operand(values)
    if isinstance(node, ast.BinOp):
        left, right = _compile(node.left), _compile(node.right)
        match node.op:
            case ast.Add():
                return lambda values: left(values) + right(values)
            case ast.Sub():
                return lambda values: left(values) - right(values)
            case ast.Mult():
                return lambda values: left(values) * right(values)
            case ast.Div():
                def divide(values):
                    numerator = left(values)
                    denominator = right(values)
                    if denominator == 0:
                        raise ZeroDivisionError
                    return numerator / denominator
                return divide
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
    return Formula(text=text.strip(), elements=tuple(names), _tree=tree,
                   _compiled=_compile(tree))
