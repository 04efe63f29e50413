"""Print the import graph between the stage folders of ``assistant/`` and fail on an upward arrow or a cycle.

The stages, lowest first (a module may import from its own stage and the ones below it):

    text, models  →  errors, types, settings, prompts  →  ingest  →  index  →  ask  →  api  →  ui, evals  →  cli

``text/`` and ``models/`` are the ground floor: they import nothing else from the package.
Every import counts, function-level ones too. Exit status 1 on any violation.

Usage: ``python scripts/check_imports.py [PACKAGE_DIR]`` (default: ``assistant``).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

LEVELS = {
    "text": 0, "models": 0,
    "errors": 1, "types": 1, "settings": 1, "prompts": 1,
    "ingest": 2, "index": 3, "ask": 4, "api": 5, "ui": 6, "evals": 6, "cli": 7, "__init__": 7, "__main__": 7,
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1] if len(parts) > 2 else parts
    return ".".join(parts)


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path, module: str, package: str, known: set[str] = frozenset()) -> set[str]:
    """Modules of ``package`` that ``path`` imports (absolute and relative imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == package}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level] if not path.name == "__init__.py" else module.split(".")[: len(module.split(".")) - node.level + 1]
                targets = [".".join(base + [node.module])] if node.module else [".".join(base + [a.name]) for a in node.names]
            else:
                # "from assistant.ask import query" imports the module assistant.ask.query.
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module or "" for a in node.names]
            out |= {t for t in targets if t.split(".")[0] == package and t != module}
    return out


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in a directed graph, as a list of nodes, or None."""
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        colour[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if colour.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if not colour.get(m):
                found = visit(m)
                if found:
                    return found
        stack.pop()
        colour[n] = 2
        return None

    for n in sorted(graph):
        if not colour.get(n):
            found = visit(n)
            if found:
                return found
    return None


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "assistant").resolve()
    package = root.name
    edges: dict[tuple[str, str], int] = defaultdict(int)
    module_graph: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []
    known = {module_name(p, root) for p in root.rglob("*.py")}
    for path in sorted(root.rglob("*.py")):
        mod = module_name(path, root)
        src = stage(mod)
        if src not in LEVELS:
            problems.append(f"{mod}: stage {src!r} has no level in scripts/check_imports.py")
            continue
        for target in imports_of(path, mod, package, known):
            dst = stage(target)
            if dst == "__init__" and target == package:
                dst = "__init__"
            module_graph[mod].add(target)
            if dst != src:
                edges[(src, dst)] += 1
                if LEVELS.get(dst, 99) > LEVELS[src] or (LEVELS[src] == 0 and dst != src):
                    problems.append(f"upward import: {mod} ({src}) imports {target} ({dst})")
    print("stage imports (count of import statements):")
    for (a, b), n in sorted(edges.items(), key=lambda kv: (LEVELS.get(kv[0][0], 99), kv[0])):
        print(f"  {a:>9} -> {b:<9} {n}")
    stage_graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        stage_graph[a].add(b)
    for graph, what in ((stage_graph, "stage"), (module_graph, "module")):
        cycle = find_cycle({k: {m for m in v if m in graph or what == "module"} for k, v in graph.items()})
        if cycle:
            problems.append(f"{what} import cycle: {' -> '.join(cycle)}")
    for p in problems:
        print(f"error: {p}")
    print("ok: no upward imports, no cycles" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
