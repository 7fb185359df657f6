#!/usr/bin/env bash
# Writes the answers a refactoring must not change into OUT: every query of
# tests/fixtures/queries/comparison.txt as `search --json` and
# `facets --json` on an index of ../shared/corpora (without ddtp/), and the
# outputs of `eval facets`, `eval relevance` and `eval langid` on
# ../shared/eval. Two runs (before and after a change) are compared with
# `diff -r OUT1 OUT2`.
#
# usage: benches/compare_answers.sh OUT [BIN]   (BIN: target/release/repsearch)
set -euo pipefail
out=${1:?usage: compare_answers.sh OUT [BIN]}
bin=${2:-target/release/repsearch}
shared=${SHARED:-../shared}
[ -d "$shared/corpora" ] || { echo "compare_answers: $shared/corpora not found (set SHARED=...)" >&2; exit 2; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
for d in "$shared"/corpora/*/; do
  case $(basename "$d") in ddtp) ;; *) cp -r "$d" "$work/corpus/" ;; esac
done
"$bin" index --quiet --corpus "$work/corpus" --index "$work/index" > /dev/null
n=0
while IFS=$'\t' read -r q flags; do
  case $q in ''|'#'*) continue ;; esac
  n=$((n + 1))
  # shellcheck disable=SC2086
  "$bin" search --json --index "$work/index" $flags -- "$q" > "$out/search-$n.json" 2>&1 || echo "exit $?" >> "$out/search-$n.json"
  # shellcheck disable=SC2086
  "$bin" facets --json --index "$work/index" $(echo " $flags" | sed -E 's/ --(limit|offset|per-doc) [^ ]+//g') -- "$q" > "$out/facets-$n.json" 2>&1 || echo "exit $?" >> "$out/facets-$n.json"
done < tests/fixtures/queries/comparison.txt
"$bin" eval facets "$shared/eval/facets-dev.jsonl" > "$out/eval-facets.txt" 2>&1
"$bin" eval langid "$shared/eval/langid-dev.tsv" > "$out/eval-langid.txt" 2>&1
"$bin" eval relevance --no-baseline --run "$out/eval-relevance-run.jsonl" "$shared/eval/relevance-dev.jsonl" 2>&1 | grep -v -i "seconds\\|elapsed" > "$out/eval-relevance.txt"
echo "compare_answers: $n queries and 3 evaluations written to $out"
