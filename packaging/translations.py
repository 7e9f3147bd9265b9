"""Keep the translation catalogues in step with the code (Qt Linguist tools, shipped in PySide6).

    .venv/bin/python packaging/translations.py update [GROUP ...]   # lupdate: new strings into the .ts files
    .venv/bin/python packaging/translations.py todo GROUP          # unfinished messages as JSON
    .venv/bin/python packaging/translations.py fill GROUP FILE.json # set translations from JSON
    .venv/bin/python packaging/translations.py release              # lrelease: .ts -> millwatch_nl.qm
    .venv/bin/python packaging/translations.py check                # what the tests run: in step, complete

One catalogue per group of screens (`resources/i18n/nl/GROUP.ts`) so that several people can
translate at once; `release` compiles them all into one `resources/i18n/millwatch_nl.qm`, which is
committed (the app, the tests and the bundle load it; `check` fails when it is stale). Every module
of hmi/ui belongs to exactly one group (the first whose patterns match; `common` takes the rest). The
group `messages` is not lupdate's: it holds the literal templates of `hmi.core.text.Text(...)` calls
in the layers below the UI (context "Messages"), collected here with `ast`.

JSON for todo/fill: {"Context": {"English source": "Dutch translation"}}; a message with a count
(`tr("%n sensor(s)", "", n)`) takes a list of the two Dutch forms [singular, plural]. Placeholders
(`{name}`, `{n:.1f}`, `%n`) must appear in the translation as in the source: `check` compares them.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "hmi" / "ui"
I18N = ROOT / "resources" / "i18n"
LANGUAGE = "nl"
TS_DIR = I18N / LANGUAGE
QM = I18N / f"millwatch_{LANGUAGE}.qm"
MESSAGES = "messages"
MESSAGES_CONTEXT = "Messages"

# group -> file patterns under hmi/ui (first match wins; "common" takes every other module).
GROUPS: dict[str, tuple[str, ...]] = {
    "alarms": ("alarm_*.py", "annunciator.py", "notices.py", "audit_view.py"),
    "shell": (
        "estop_*.py", "sign_in.py", "lock_overlay.py", "session_*.py", "header_strip.py", "status_bar.py",
        "main_window.py", "workspace.py", "screen_nav.py", "shortcuts.py", "quick_search.py", "search_index.py",
        "tear_off.py", "window_state.py", "run.py", "mill_list.py",
    ),
    "admin": ("wizard*.py", "user_admin.py", "config_*.py", "tools_screen.py"),
    "tools": ("tool_*.py",),
    "trends": ("trend_*.py", "faceplate*.py"),
    "plant": ("overview_*.py", "mill_actions.py", "sensor_*.py", "schematic_*.py"),
    "common": ("*.py",),
}

# Modules outside hmi/ui that show a window of their own: group -> files.
EXTRA: dict[str, tuple[Path, ...]] = {"shell": (ROOT / "hmi" / "crash.py",)}

TOOLS = Path(sys.executable).parent


def _tool(name: str) -> str:
    for candidate in (TOOLS / f"pyside6-{name}", Path(shutil.which(f"pyside6-{name}") or "")):
        if candidate.name and candidate.exists():
            return str(candidate)
    raise SystemExit(f"pyside6-{name} not found (it comes with PySide6-Essentials in the virtualenv)")


def group_of(module: Path) -> str:
    for group, patterns in GROUPS.items():
        if any(fnmatch.fnmatch(module.name, p) for p in patterns):
            return group
    raise AssertionError("common matches every module")


def modules(group: str) -> list[Path]:
    return sorted([*(p for p in UI.glob("*.py") if group_of(p) == group), *EXTRA.get(group, ())])


def ts_path(group: str, ts_dir: Path = TS_DIR) -> Path:
    return ts_dir / f"{group}.ts"


def all_groups() -> list[str]:
    return [*GROUPS, MESSAGES]


# --- updating ---------------------------------------------------------------------------------------------

def update(groups: list[str], ts_dir: Path = TS_DIR) -> None:
    ts_dir.mkdir(parents=True, exist_ok=True)
    for group in groups:
        if group == MESSAGES:
            update_messages(ts_path(group, ts_dir))
            continue
        files = [str(p) for p in modules(group)]
        cmd = [_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
               "-target-language", f"{LANGUAGE}_NL", *files, "-ts", str(ts_path(group, ts_dir))]
        subprocess.run(cmd, check=True, cwd=ROOT)
        _drop_empty_contexts(ts_path(group, ts_dir))


def _drop_empty_contexts(path: Path) -> None:
    if not path.exists():
        return
    tree = ET.parse(path)
    root = tree.getroot()
    for ctx in list(root.findall("context")):
        if not ctx.findall("message"):
            root.remove(ctx)
    _write(tree, path)


def message_templates(package: Path = ROOT / "hmi") -> list[str]:
    """Every literal template of a `Text(...)` call outside hmi/ui, in a stable order."""
    found: dict[str, None] = {}
    for path in sorted(package.rglob("*.py")):
        if UI in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _callee(node.func) == "Text" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, None)
    return list(found)


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def update_messages(path: Path) -> None:
    """messages.ts from the code's Text templates, keeping the translations it already has."""
    old = {}
    if path.exists():
        for ctx in ET.parse(path).getroot().findall("context"):
            for msg in ctx.findall("message"):
                tr = msg.find("translation")
                old[msg.findtext("source", "")] = tr
    root = ET.Element("TS", {"version": "2.1", "language": f"{LANGUAGE}_NL", "sourcelanguage": "en"})
    templates = message_templates()
    if templates:
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = MESSAGES_CONTEXT
        for template in templates:
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = template
            previous = old.get(template)
            if previous is not None and previous.text and previous.get("type") not in ("unfinished", "vanished",
                                                                                       "obsolete"):
                ET.SubElement(msg, "translation").text = previous.text
            else:
                ET.SubElement(msg, "translation", {"type": "unfinished"})
    _write(ET.ElementTree(root), path)


def _write(tree: ET.ElementTree, path: Path) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


# --- reading and filling ----------------------------------------------------------------------------------

def messages_of(path: Path) -> dict[tuple[str, str], ET.Element]:
    out: dict[tuple[str, str], ET.Element] = {}
    if not path.exists():
        return out
    for ctx in ET.parse(path).getroot().findall("context"):
        name = ctx.findtext("name", "")
        for msg in ctx.findall("message"):
            comment = msg.findtext("comment")
            source = msg.findtext("source", "")
            out[(name, source if comment is None else f"{source}\x04{comment}")] = msg
    return out


def is_finished(msg: ET.Element) -> bool:
    tr = msg.find("translation")
    if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    if msg.get("numerus") == "yes":
        forms = [f.text or "" for f in tr.findall("numerusform")]
        return len(forms) >= 2 and all(forms)
    return bool(tr.text)


def todo(group: str) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for (ctx, source), msg in messages_of(ts_path(group)).items():
        if not is_finished(msg):
            out.setdefault(ctx, {})[source] = ["", ""] if msg.get("numerus") == "yes" else ""
    return out


def fill(group: str, data: dict[str, dict[str, object]]) -> int:
    path = ts_path(group)
    tree = ET.parse(path)
    done = 0
    for ctx in tree.getroot().findall("context"):
        wanted = data.get(ctx.findtext("name", ""), {})
        for msg in ctx.findall("message"):
            source = msg.findtext("source", "")
            comment = msg.findtext("comment")
            key = source if comment is None else f"{source}\x04{comment}"
            value = wanted.get(key, wanted.get(source))
            if not value:
                continue
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            tr.attrib.pop("type", None)
            if msg.get("numerus") == "yes":
                forms = value if isinstance(value, list) else [value, value]
                for f in list(tr):
                    tr.remove(f)
                tr.text = None
                for form in forms:
                    ET.SubElement(tr, "numerusform").text = str(form)
            else:
                tr.text = str(value)
            done += 1
    _write(tree, path)
    return done


# --- releasing and checking -------------------------------------------------------------------------------

def release(ts_dir: Path = TS_DIR, qm: Path = QM) -> None:
    """Compile every catalogue into `qm`, through a temporary file and an atomic rename: a process
    that has the old .qm mapped (a running app or test) never sees a half-written one."""
    files = sorted(str(p) for p in ts_dir.glob("*.ts"))
    tmp = qm.with_name(f".{qm.name}.{os.getpid()}.tmp")
    try:
        subprocess.run([_tool("lrelease"), "-silent", *files, "-qm", str(tmp)], check=True, cwd=ROOT)
        os.replace(tmp, qm)
    finally:
        tmp.unlink(missing_ok=True)


PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def check() -> list[str]:
    """Problems (empty when the catalogues match the code, are complete and compiled)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "ts"
        shutil.copytree(TS_DIR, fresh) if TS_DIR.exists() else fresh.mkdir()
        update(all_groups(), fresh)
        for group in all_groups():
            committed = messages_of(ts_path(group))
            current = messages_of(ts_path(group, fresh))
            for key in current.keys() - committed.keys():
                problems.append(f"{group}.ts lacks {key[0]}: {key[1]!r} (run: translations.py update {group})")
            for key in committed.keys() - current.keys():
                problems.append(f"{group}.ts still has {key[0]}: {key[1]!r}, no longer in the code (run update)")
            for key, msg in current.items():
                if not is_finished(msg):
                    problems.append(f"{group}.ts: untranslated {key[0]}: {key[1]!r}")
                    continue
                tr = msg.find("translation")
                assert tr is not None
                texts = [f.text or "" for f in tr.findall("numerusform")] or [tr.text or ""]
                want = [p for p in placeholders(key[1].split("\x04")[0]) if p != "%n"]
                for text in texts:
                    if [p for p in placeholders(text) if p != "%n"] != want:
                        problems.append(f"{group}.ts: placeholders differ in {key[0]}: {key[1]!r} -> {text!r}")
        qm = Path(tmp) / "check.qm"
        release(fresh, qm)
        if not QM.exists() or QM.read_bytes() != qm.read_bytes():
            problems.append(f"{QM.relative_to(ROOT)} is stale (run: translations.py release)")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("update")
    up.add_argument("groups", nargs="*")
    td = sub.add_parser("todo")
    td.add_argument("group")
    fl = sub.add_parser("fill")
    fl.add_argument("group")
    fl.add_argument("file", type=Path)
    sub.add_parser("release")
    sub.add_parser("check")
    sub.add_parser("groups")
    args = ap.parse_args(argv)
    if args.cmd == "update":
        unknown = set(args.groups) - set(all_groups())
        if unknown:
            print(f"unknown group(s): {', '.join(sorted(unknown))}; groups: {', '.join(all_groups())}", file=sys.stderr)
            return 2
        update(args.groups or all_groups())
    elif args.cmd == "todo":
        print(json.dumps(todo(args.group), ensure_ascii=False, indent=1))
    elif args.cmd == "fill":
        print(f"{fill(args.group, json.loads(args.file.read_text(encoding='utf-8')))} messages translated")
    elif args.cmd == "release":
        release()
    elif args.cmd == "groups":
        for group in GROUPS:
            print(f"{group}: {' '.join(p.name for p in modules(group))}")
        print(f"{MESSAGES}: Text(...) templates outside hmi/ui")
    elif args.cmd == "check":
        problems = check()
        for p in problems:
            print(p)
        print("translations: ok" if not problems else f"translations: {len(problems)} problem(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
