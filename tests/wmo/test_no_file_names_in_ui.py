"""No source or specification file name (`data.py`, `INDICATORS.md`) in what users read: the
text of every template and every string in the apps' code other than docstrings and comments
(labels, help texts, messages, command help). Before, pages and the PDF named INDICATORS.md."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["wmo", "indicators", "providers", "procurement", "districts"]
FILE_NAME = re.compile(r"\b[\w/.-]+\.(?:py|md)\b")
# Comments in a template are for developers: {# … #}, {% comment %}…{% endcomment %}, <!-- -->.
TEMPLATE_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->", re.S)


def test_templates_name_no_files():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = TEMPLATE_COMMENTS.sub("", path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in FILE_NAME.finditer(text)]
    assert found == []


def _docstrings(tree) -> set[int]:
    """The ids of every docstring node: a module's, class's or function's first statement, and
    an attribute's string right after its assignment."""
    ids = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for index, statement in enumerate(body):
            is_string = isinstance(statement, ast.Expr) and isinstance(
                getattr(statement, "value", None), ast.Constant
            ) and isinstance(statement.value.value, str)  # fmt: skip
            if is_string and (
                index == 0 or isinstance(body[index - 1], (ast.Assign, ast.AnnAssign))
            ):
                ids.add(id(statement.value))
    return ids


def test_user_facing_strings_name_no_files():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {match.group(0)}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in skip
                for match in [FILE_NAME.search(node.value)] if match
            ]  # fmt: skip
    assert found == []
