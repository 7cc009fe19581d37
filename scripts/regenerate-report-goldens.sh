#!/usr/bin/env bash
# Regenerates the report renderers' golden files (suite/Conformance.Tests/Report/golden/{summary.md,
# report.html,junit.xml}) from the committed fixed input golden/results.json, with the same renderers
# the CLI uses (`Conformance.Cli --render`). Run it only after reading the diff a failing
# RendererGoldenTests printed and deciding the new rendering is right; then review `git diff` and commit.
# The tests never rewrite goldens by themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
golden=suite/Conformance.Tests/Report/golden
dotnet run --project suite/Conformance.Cli -- --render "$golden/results.json" --out "$golden"
git --no-pager diff --stat -- "$golden" || true
