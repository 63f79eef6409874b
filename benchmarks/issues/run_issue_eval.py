#!/usr/bin/env python3
"""Indexes each query's parent commit and runs `structchunk eval --files` on it, then sums the figures.

Usage:
  run_issue_eval.py index --set SET.issues.jsonl --git REPO.git --work DIR --structchunk CMD
  run_issue_eval.py eval  --set SET.issues.jsonl [--set ...] --git REPO.git [--git ...] --work DIR --structchunk CMD [-- EVAL OPTIONS]

`index` walks the queries oldest parent first and re-indexes one rolling index incrementally (unchanged chunks keep
their embeddings), saving a copy per parent as DIR/NAME/PARENT.scidx. `eval` lays each parent out again
(`git archive`), runs `structchunk eval QUERY --files --index DIR/NAME/PARENT.scidx --root TREE --json` on the one
query, and prints each configuration's file Acc@1/5/10, all-files Acc@5 and function Recall@10 over all queries.
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def set_name(path):
    return os.path.basename(path).split(".issues.jsonl")[0]


def lay_out(gitdir, commit, tree):
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    archive = subprocess.run(["git", "--git-dir", gitdir, "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)


def parent_order(gitdir, queries):
    """Parents oldest first, so the rolling index moves forward in history."""
    times = {}
    for q in queries:
        out = subprocess.run(["git", "--git-dir", gitdir, "show", "-s", "--format=%ct", q["parent"]], check=True, capture_output=True, text=True)
        times[q["parent"]] = int(out.stdout.strip())
    return sorted(times, key=lambda p: times[p])


def index(args):
    cli = shlex.split(args.structchunk)
    for set_path, gitdir in zip(args.set, args.git):
        name = set_name(set_path)
        queries = load(set_path)
        folder = os.path.join(args.work, name)
        os.makedirs(folder, exist_ok=True)
        rolling = os.path.join(folder, "rolling.scidx")
        tree = os.path.join(folder, "tree")
        for parent in parent_order(gitdir, queries):
            saved = os.path.join(folder, parent + ".scidx")
            if os.path.exists(saved):
                continue
            lay_out(gitdir, parent, tree)
            subprocess.run(cli + ["index", tree, "--out", rolling], check=True, stdout=subprocess.DEVNULL)
            shutil.copyfile(rolling, saved)
            print(f"{name} {parent[:10]} indexed", file=sys.stderr, flush=True)


def evaluate(args, extra):
    cli = shlex.split(args.structchunk)
    totals = defaultdict(list)
    per_set = defaultdict(lambda: defaultdict(list))
    for set_path, gitdir in zip(args.set, args.git):
        name = set_name(set_path)
        folder = os.path.join(args.work, name)
        tree = os.path.join(folder, "eval-tree")
        for q in load(set_path):
            if not os.path.exists(os.path.join(folder, q["parent"] + ".scidx")):
                print(f"{q['id']}: no index of its parent yet, skipped", file=sys.stderr, flush=True)
                continue
            single = os.path.join(folder, "query.jsonl")
            with open(single, "w", encoding="utf-8") as f:
                f.write(json.dumps(q) + "\n")
            lay_out(gitdir, q["parent"], tree)
            out = subprocess.run(cli + ["eval", single, "--files", "--json", "--index", os.path.join(folder, q["parent"] + ".scidx"), "--root", tree] + extra,
                                 check=True, capture_output=True, text=True).stdout
            for line in out.splitlines():
                run = json.loads(line)
                for outcome in run["report"]["PerQuery"]:
                    totals[run["configuration"]].append(outcome)
                    per_set[name][run["configuration"]].append(outcome)
            print(f"{q['id']} done", file=sys.stderr, flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({k: v for k, v in totals.items()}, f)
    print_table("all sets", totals)
    for name, runs in per_set.items():
        print_table(name, runs)


def print_table(title, runs):
    print(f"\n## {title}")
    print("| configuration | queries | file Acc@1 | file Acc@5 | file Acc@10 | all files Acc@5 | function Recall@10 |")
    print("|---|---|---|---|---|---|---|")
    for name, outcomes in runs.items():
        n = len(outcomes)
        acc = lambda k: sum(1 for o in outcomes if o["FileRank"] is not None and o["FileRank"] <= k) / n
        all5 = sum(1 for o in outcomes if o["AllFilesRank"] is not None and o["AllFilesRank"] <= 5) / n
        recall = "-" if name.startswith("bm25") else f"{sum(o['FunctionsFound'] / o['Functions'] for o in outcomes if o['Functions']) / n:.3f}"
        print(f"| {name} | {n} | {acc(1):.3f} | {acc(5):.3f} | {acc(10):.3f} | {all5:.3f} | {recall} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["index", "eval"])
    ap.add_argument("--set", action="append", required=True)
    ap.add_argument("--git", action="append", required=True, help="one per --set, same order")
    ap.add_argument("--work", required=True)
    ap.add_argument("--structchunk", required=True)
    ap.add_argument("--out", help="eval: write every query's outcome per configuration to this JSON file")
    args, extra = ap.parse_known_args()
    if extra and extra[0] == "--":
        extra = extra[1:]
    if len(args.set) != len(args.git):
        ap.error("give one --git per --set")
    if args.step == "index":
        index(args)
    else:
        evaluate(args, extra)


if __name__ == "__main__":
    main()
