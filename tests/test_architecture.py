"""The house rules of docs/architecture.md, checked: imports point down the layers, and no module cycles back.

Every import statement counts, at module level or inside a function (a function-level import is still a
dependency; it only runs later). Imports under `if TYPE_CHECKING:` never run, so they are left out: they may name
a type from any layer, which keeps annotations honest without making a runtime dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rehearse"

# (pattern, layer). A pattern names a module and everything under it ("rehearse.audio" covers rehearse.audio.wav);
# a pattern ending in "*" is a plain prefix ("rehearse.stt*" covers rehearse.stt_whisper). The longest match wins,
# so a new module falls into its package's layer without an edit here.
LAYERS: tuple[tuple[str, int], ...] = (
    ("rehearse", 1),  # the package itself: __version__
    ("rehearse.values", 1),
    ("rehearse.errors", 1),
    ("rehearse.environment", 1),
    ("rehearse.resources", 1),
    ("rehearse.textfiles", 1),
    ("rehearse.audio", 2),
    ("rehearse.report", 2),
    ("rehearse.plan", 2),
    ("rehearse.transcript", 2),
    ("rehearse.codec", 2),
    ("rehearse.codec_fields", 2),
    ("rehearse.codec_delivery", 2),
    ("rehearse.history", 2),
    ("rehearse.scoring", 3),
    # The speech acts shared by the scorer and the conversation engine, and what they are read from.
    ("rehearse.scoring.cues", 3),
    ("rehearse.scoring.clauses", 3),
    ("rehearse.scoring.reading", 3),
    ("rehearse.scoring.acts", 3),
    ("rehearse.scoring.pitfalls", 3),
    ("rehearse.scenario", 3),
    ("rehearse.dialogue", 3),
    ("rehearse.timing", 3),
    ("rehearse.stt*", 3),
    ("rehearse.store", 3),
    ("rehearse.archive", 3),
    ("rehearse.prep", 3),
    ("rehearse.loop", 4),
    ("rehearse.speech", 4),
    ("rehearse.demo", 4),
    ("rehearse.app", 5),
    ("rehearse.practice", 5),
    ("rehearse.mic_check", 5),
    ("rehearse.coach", 5),
    ("rehearse.commands", 6),
    ("rehearse.cli", 7),
    ("rehearse.__main__", 7),
)


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (pattern length, layer)
    for pattern, layer in LAYERS:
        if pattern.endswith("*"):
            hit = module.startswith(pattern[:-1])
        else:
            hit = module == pattern or module.startswith(pattern + ".")
        if hit and (best is None or len(pattern) > best[0]):
            best = (len(pattern), layer)
    return best[1] if best else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: module level and inside functions, not under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The rehearse modules `module` imports. `from pkg import sub` depends on pkg.sub, not on all of pkg."""
    out: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:  # relative import: resolve against this module's package
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}".rstrip(".")
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            resolved = _resolve(target, known) if target.startswith("rehearse") else None
            if resolved and resolved != module:
                out.add(resolved)
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: imports_of(m, p, known) for m, p in known.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def test_every_module_has_a_layer() -> None:
    missing = [m for m in modules() if layer_of(m) is None]
    assert not missing, f"add these to LAYERS here and to docs/architecture.md: {missing}"


def test_imports_point_down_or_sideways() -> None:
    upward = [
        f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
        for m, targets in graph().items()
        for t in sorted(targets)
        if (layer_of(t) or 0) > (layer_of(m) or 0)
    ]
    assert not upward, "imports pointing up a layer:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


# The checker itself must be able to fail: a cycle, an upward import and a function-level import are all seen.
def test_the_checker_sees_cycles_and_function_level_imports(tmp_path: Path) -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rehearse import cli\n"
        "def f():\n    from rehearse.commands import output\n    import rehearse.app\n"
    )
    known = {"rehearse.commands": source, "rehearse.commands.output": source, "rehearse.app": source}
    assert imports_of("rehearse.values", source, known) == {"rehearse.commands.output", "rehearse.app"}


@pytest.mark.parametrize(
    ("module", "layer"),
    [("rehearse.stt_whisper", 3), ("rehearse.dialogue.policy", 3), ("rehearse.audio.new_device", 2), ("rehearse", 1)],
)
def test_new_modules_fall_into_their_package_layer(module: str, layer: int) -> None:
    assert layer_of(module) == layer
