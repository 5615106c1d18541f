"""A small Excel formula evaluator, just enough for the add-in oracle (tests/oracles/addin.py).

It parses a cell's formula with openpyxl's Tokenizer into a tree and evaluates it against a
workbook's saved cell values. It knows the operators, references (A1, $G$12, 'Sheet'!A1:B9,
defined names, whole table columns) and ONLY the native functions that actually occur around
or inside our worksheet functions' arguments (IF, ISNUMBER, TRIM, IFERROR). Any other function is a
loud ``Unsupported`` error: the oracle must never guess what a native function would give.

Values are Excel's: numbers are floats (a date is its serial), text, booleans, ``None`` for an
empty cell, :class:`XLError` for an error. A reference evaluates to a :class:`Ref`, not its
value, because classic xlwings receives a reference as a Range (read with dates as datetime)
but an expression's result as a bare number; IF returns the reference of the branch it takes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import range_boundaries


class Unsupported(Exception):
    """The formula uses something this evaluator does not implement (a test must fail)."""


@dataclass(frozen=True)
class XLError:
    code: str  # "#VALUE!", "#N/A", ...

    def __str__(self):
        return self.code


@dataclass(frozen=True)
class Ref:
    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1

    def cells(self):
        return [[(r, c) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]


# ---------------------------------------------------------------------------------- parsing
# Tree nodes are tuples: ("lit", value) | ("ref", text) | ("call", NAME, [args]) |
# ("op", op, left, right) | ("neg", x) | ("pct", x) | ("missing",)

_INFIX = {"^": 5, "*": 4, "/": 4, "+": 3, "-": 3, "&": 2, "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1}


def parse(formula: str):
    tokens = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    parser = _Parser(tokens)
    tree = parser.expr(0)
    if parser.i != len(tokens):
        raise Unsupported(f"cannot parse {formula!r} at token {parser.i}")
    return tree


class _Parser:
    def __init__(self, tokens):
        self.t, self.i = tokens, 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expr(self, min_prec: int):
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok.type != Token.OP_IN or _INFIX.get(tok.value, -1) < min_prec:
                return left
            if tok.value not in _INFIX:
                raise Unsupported(f"operator {tok.value!r}")
            self.take()
            prec = _INFIX[tok.value]
            right = self.expr(prec + (0 if tok.value == "^" else 1))
            left = ("op", tok.value, left, right)

    def unary(self):
        tok = self.peek()
        if tok is not None and tok.type == Token.OP_PRE:
            self.take()
            x = self.unary()
            return ("neg", x) if tok.value == "-" else x
        x = self.primary()
        while (tok := self.peek()) is not None and tok.type == Token.OP_POST:
            self.take()
            x = ("pct", x)
        return x

    def primary(self):
        tok = self.take()
        if tok.type == Token.OPERAND:
            if tok.subtype == Token.NUMBER:
                return ("lit", float(tok.value))
            if tok.subtype == Token.TEXT:
                return ("lit", tok.value[1:-1].replace('""', '"'))
            if tok.subtype == Token.LOGICAL:
                return ("lit", tok.value.upper() == "TRUE")
            if tok.subtype == Token.ERROR:
                return ("lit", XLError(tok.value))
            return ("ref", tok.value)
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            name = tok.value[:-1].upper()
            if name.startswith("_XLFN."):
                name = name[len("_XLFN."):]
            args = []
            if self.peek().type == Token.FUNC and self.peek().subtype == Token.CLOSE:
                self.take()
                return ("call", name, args)
            while True:
                nxt = self.peek()
                if nxt.type == Token.SEP or (nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE):
                    args.append(("missing",))
                else:
                    args.append(self.expr(0))
                sep = self.take()
                if sep.type == Token.FUNC and sep.subtype == Token.CLOSE:
                    return ("call", name, args)
                if not (sep.type == Token.SEP and sep.subtype == Token.ARG):
                    raise Unsupported(f"unexpected {sep.value!r} in the arguments of {name}")
        if tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            x = self.expr(0)
            close = self.take()
            if close.type != Token.PAREN:
                raise Unsupported("unbalanced parenthesis")
            return x
        raise Unsupported(f"token {tok.value!r} ({tok.type} {tok.subtype})")


def calls_in(tree, names: set[str]):
    """Every call node of one of ``names`` in the tree, outermost first."""
    if tree[0] == "call":
        if tree[1] in names:
            yield tree
        for a in tree[2]:
            yield from calls_in(a, names)
    elif tree[0] == "op":
        yield from calls_in(tree[2], names)
        yield from calls_in(tree[3], names)
    elif tree[0] in ("neg", "pct"):
        yield from calls_in(tree[1], names)


def functions_in(tree) -> set[str]:
    out = set()
    if tree[0] == "call":
        out.add(tree[1])
        for a in tree[2]:
            out |= functions_in(a)
    elif tree[0] == "op":
        out |= functions_in(tree[2]) | functions_in(tree[3])
    elif tree[0] in ("neg", "pct"):
        out |= functions_in(tree[1])
    return out


# ---------------------------------------------------------------------------------- references

_SHEET_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$")
_STRUCTURED = re.compile(r"^([A-Za-z_][\w.]*)\[(?:\[?#Data\]?,)?\[?([^\]]+)\]?\]$")


def split_ref(text: str, default_sheet: str) -> tuple[str, str]:
    m = _SHEET_REF.match(text)
    if m:
        return (m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)), m.group(3)
    return default_sheet, text


def a1_ref(sheet: str, a1: str) -> Ref:
    c1, r1, c2, r2 = range_boundaries(a1.replace("$", ""))
    if None in (c1, r1, c2, r2):
        raise Unsupported(f"whole-row or whole-column reference {a1!r}")
    return Ref(sheet, r1, c1, r2, c2)


# ---------------------------------------------------------------------------------- evaluating


class FellBack(Exception):
    """IFERROR's first argument was an error: the native twin (its second) is what shows."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class Evaluator:
    """Evaluates a tree on one sheet of a book. ``book`` gives ``resolve(text, sheet) -> Ref``
    and ``value(sheet, row, col)``; ``ours(name, args, node)`` calls one of our worksheet
    functions with its arguments evaluated (Ref or value)."""

    def __init__(self, book, sheet: str, ours, our_names: set[str]):
        self.book, self.sheet, self.ours, self.our_names = book, sheet, ours, our_names

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "missing":
            return None
        if kind == "ref":
            return self.book.resolve(node[1], self.sheet)
        if kind == "neg":
            x = self.number(self.eval(node[1]))
            return x if isinstance(x, XLError) else -x
        if kind == "pct":
            x = self.number(self.eval(node[1]))
            return x if isinstance(x, XLError) else x / 100
        if kind == "op":
            return self.operator(node[1], self.scalar(self.eval(node[2])), self.scalar(self.eval(node[3])))
        if kind == "call":
            name, args = node[1], node[2]
            if name in self.our_names:
                return self.ours(name, [self.eval(a) for a in args], node)
            fn = getattr(self, "fn_" + name, None)
            if fn is None:
                raise Unsupported(f"native function {name} is not implemented by the oracle")
            return fn(args)
        raise Unsupported(str(node))

    # ---- coercion, as Excel does it
    def scalar(self, v):
        if isinstance(v, Ref):
            if v.shape != (1, 1):
                raise Unsupported(f"a range {v} used as one value (implicit intersection)")
            return self.book.value(v.sheet, v.r1, v.c1)
        if isinstance(v, list):
            raise Unsupported("an array used as one value")
        return v

    def number(self, v):
        v = self.scalar(v)
        if isinstance(v, XLError):
            return v
        if v is None:
            return 0.0
        if isinstance(v, bool):
            return float(v)
        if isinstance(v, (int, float)):
            return float(v)
        try:
            return float(v)
        except ValueError:
            return XLError("#VALUE!")

    def truth(self, v):
        v = self.scalar(v)
        if isinstance(v, XLError):
            return v
        if v is None:
            return False
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return v != 0
        if isinstance(v, str) and v.upper() in ("TRUE", "FALSE"):
            return v.upper() == "TRUE"
        return XLError("#VALUE!")

    def operator(self, op, a, b):
        for x in (a, b):
            if isinstance(x, XLError):
                return x
        if op == "&":
            return _text(a) + _text(b)
        if op in ("=", "<>", "<", ">", "<=", ">="):
            return _compare(op, a, b)
        x, y = self.number(a), self.number(b)
        for z in (x, y):
            if isinstance(z, XLError):
                return z
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            return XLError("#DIV/0!") if y == 0 else x / y
        if op == "^":
            return x ** y
        raise Unsupported(op)

    # ---- the native functions that occur around and inside our calls
    def fn_IF(self, args):
        if not 1 < len(args) <= 3:
            raise Unsupported("IF with %d arguments" % len(args))
        cond = self.truth(self.eval(args[0]))
        if isinstance(cond, XLError):
            return cond
        if cond:
            return self.eval(args[1]) if args[1][0] != "missing" else 0.0
        if len(args) < 3:
            return False
        return self.eval(args[2]) if args[2][0] != "missing" else 0.0

    def fn_ISNUMBER(self, args):
        v = self.scalar(self.eval(args[0]))
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def fn_TRIM(self, args):
        v = self.scalar(self.eval(args[0]))
        if isinstance(v, XLError):
            return v
        return re.sub(" +", " ", _text(v).strip(" "))  # Excel's TRIM: only the space character

    def fn_IFERROR(self, args):
        v = self.eval(args[0])
        s = self.scalar(v) if isinstance(v, Ref) else v
        if isinstance(s, XLError):
            raise FellBack(s)  # the native twin answers: not this oracle's business to compute it
        return v


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else repr(v)
    return str(v)


def _compare(op, a, b):
    def rank(v):  # Excel orders numbers < text < booleans; blank is 0 or "" by the other side
        return 0 if isinstance(v, (int, float)) and not isinstance(v, bool) else 1 if isinstance(v, str) else 2
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0.0
    ka, kb = rank(a), rank(b)
    if ka != kb:
        x, y = ka, kb
    elif isinstance(a, str):
        x, y = a.lower(), b.lower()
    else:
        x, y = a, b
    return {"=": x == y, "<>": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
