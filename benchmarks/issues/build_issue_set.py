#!/usr/bin/env python3
"""Builds an issue-report evaluation set from a repository's public history.

Each query is a fix commit whose message references an issue or pull request (``#123``): the message is the query
(what a reporter or fixer wrote about the problem), and the answers are the non-test functions the fix changed, at
the parent commit, located with ``structchunk graph --json`` (so every language the tool parses works the same way).

Usage:
  build_issue_set.py --git REPO.git|URL --name NAME --ext py [--ext pyi] --out DIR \
      --structchunk "dotnet path/to/structchunk.dll" [--max 25] [--min-words 8] [--max-files 3]

Writes DIR/NAME.issues.jsonl (the eval format of the shared FORMAT.md plus "commit", "parent", "repository" fields)
and DIR/NAME.corpus.json. Deterministic: commits are taken newest first in `git log` order.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

CALLABLE = {"method", "constructor", "destructor", "function", "localfunction", "operator"}
ISSUE_REF = re.compile(r"(?<![\w&])#\d+\b")
TRAILER = re.compile(r"^(signed-off-by|co-authored-by|reviewed-by|acked-by|cc|change-id):", re.I)
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")
TEST_PATH = re.compile(
    r"(^|/)(tests?|testing|__tests__|spec|specs|test-?utils?|fixtures?|e2e|benchmarks?|examples?|docs?)(/|$)"
    r"|(^|/)test_[^/]*$|_tests?\.[^/.]+$|\.(test|spec)\.[^/.]+$|tests?\.cs$|(^|/)conftest\.py$",
    re.I)


def git(gitdir, *args, binary=False):
    out = subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True)
    return out.stdout if binary else out.stdout.decode("utf-8", "replace")


def is_test(path):
    return bool(TEST_PATH.search(path))


def query_text(message):
    lines = [l for l in message.strip().splitlines() if not TRAILER.match(l.strip())]
    return "\n".join(lines).strip()


def changed_old_lines(gitdir, parent, commit, path):
    """Old-side lines a fix touched; an insertion counts the lines on either side of it."""
    lines = set()
    for line in git(gitdir, "diff", "-U0", "--no-color", parent, commit, "--", path).splitlines():
        m = HUNK.match(line)
        if not m:
            continue
        start, count = int(m.group(1)), int(m.group(2) or "1")
        if count == 0:
            lines.update({start, start + 1})
        else:
            lines.update(range(start, start + count))
    return lines


def graph_symbols(structchunk, tree):
    out = subprocess.run(shlex.split(structchunk) + ["graph", tree, "--json"], check=True, capture_output=True)
    return json.loads(out.stdout)["symbols"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git", required=True, help="bare git directory or clone URL")
    ap.add_argument("--name", required=True)
    ap.add_argument("--ext", action="append", required=True, help="source file extension without the dot")
    ap.add_argument("--out", required=True)
    ap.add_argument("--structchunk", required=True, help='command that runs the CLI, e.g. "dotnet structchunk.dll"')
    ap.add_argument("--max", type=int, default=25)
    ap.add_argument("--min-words", type=int, default=8)
    ap.add_argument("--max-files", type=int, default=3)
    ap.add_argument("--repository", help="public URL recorded in the corpus file")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="issue-set-")
    try:
        gitdir = args.git
        if not os.path.isdir(gitdir):
            gitdir = os.path.join(work, "repo.git")
            subprocess.run(["git", "clone", "--bare", "--quiet", args.git, gitdir], check=True)
        exts = tuple("." + e.lstrip(".") for e in args.ext)
        log = git(gitdir, "log", "--no-merges", "--format=%H%x1f%P%x1f%B%x1e")
        queries = []
        for record in log.split("\x1e"):
            if len(queries) >= args.max:
                break
            parts = record.strip().split("\x1f")
            if len(parts) != 3:
                continue
            commit, parents, message = parts
            parents = parents.split()
            if len(parents) != 1 or not ISSUE_REF.search(message):
                continue
            text = query_text(message)
            if len(re.findall(r"[A-Za-z_][\w.]*", ISSUE_REF.sub("", text))) < args.min_words:
                continue
            parent = parents[0]
            status = git(gitdir, "diff", "--name-status", "--no-renames", parent, commit)
            modified = []
            for row in status.splitlines():
                fields = row.split("\t")
                if len(fields) == 2 and fields[0] == "M" and fields[1].endswith(exts) and not is_test(fields[1]):
                    modified.append(fields[1])
            if not 1 <= len(modified) <= args.max_files:
                continue

            tree = os.path.join(work, "tree")
            shutil.rmtree(tree, ignore_errors=True)
            os.makedirs(tree)
            archive = git(gitdir, "archive", parent, binary=True)
            subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
            try:
                symbols = graph_symbols(args.structchunk, tree)
            except subprocess.CalledProcessError as e:
                print(f"skip {commit[:10]}: graph failed: {e.stderr.decode(errors='replace')[:200]}", file=sys.stderr)
                continue

            relevant = {}
            for path in modified:
                callables = [s for s in symbols if s.get("path") == path and s["kind"] in CALLABLE and "test" not in s.get("traits", [])]
                for line in sorted(changed_old_lines(gitdir, parent, commit, path)):
                    inside = [s for s in callables if s["startLine"] <= line <= s["endLine"]]
                    if not inside:
                        continue
                    best = min(inside, key=lambda s: s["endLine"] - s["startLine"])
                    relevant[(path, best["startLine"])] = best["qualifiedName"]
            if not relevant:
                continue
            queries.append({
                "id": f"{args.name}-{len(queries) + 1:03d}",
                "query": text,
                "kind": "report",
                "relevant": [{"path": p, "line": l, "symbol": s} for (p, l), s in sorted(relevant.items())],
                "commit": commit,
                "parent": parent,
            })
            print(f"{len(queries):3d} {commit[:10]} {len(relevant)} function(s) in {len(modified)} file(s): {text.splitlines()[0][:70]}", file=sys.stderr)

        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, f"{args.name}.issues.jsonl"), "w", encoding="utf-8") as f:
            for q in queries:
                f.write(json.dumps(q, ensure_ascii=False) + "\n")
        with open(os.path.join(args.out, f"{args.name}.corpus.json"), "w", encoding="utf-8") as f:
            json.dump({
                "name": args.name,
                "repository": args.repository or args.git,
                "extensions": list(exts),
                "obtain": "git clone --bare REPOSITORY; each query's tree is `git archive PARENT` of its \"parent\" commit",
                "queries": len(queries),
            }, f, indent=2)
            f.write("\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
