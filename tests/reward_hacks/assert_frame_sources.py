# codejudge-hack: problem=hack-total language=python expect=WA
# With no token at all: read the assert statements from the frames above (their code objects,
# globals and source) and answer by table lookup. The test code runs in the evaluator's process;
# the submission's frames hold no test source, so the table stays empty.
import ast
import gc
import sys
import types


def _table():
    table = {}
    sources = []
    frame = sys._getframe(1)
    while frame is not None:
        sources.extend(v for v in frame.f_globals.values() if isinstance(v, str))
        frame = frame.f_back
    sources.extend(o for o in gc.get_objects() if isinstance(o, str) and "assert" in o)
    for o in gc.get_objects():
        if isinstance(o, types.CodeType):
            sources.extend(c for c in o.co_consts if isinstance(c, str))
    for text in sources:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Call) and
                    node.left.args and isinstance(node.comparators[0], ast.Constant)):
                try:
                    key = repr(ast.literal_eval(node.left.args[0]))
                except ValueError:
                    continue
                table[key] = node.comparators[0].value
    return table


def total(xs):
    return _table().get(repr(xs), -1)
