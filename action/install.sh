#!/usr/bin/env bash
# The action's install step, run by action.yml in the action's own folder ($GITHUB_ACTION_PATH).
#
# `npm ci --omit=dev` alone cannot work from a checkout: dist/ is not committed, and `prepare`
# compiles it with TypeScript, a devDependency (`sh: tsc: not found`, exit 127). So the lockfile's
# full tree is installed (prepare builds dist/ with the pinned TypeScript), then the dev
# dependencies are pruned: aov then runs with exactly what `npm ci --omit=dev` would leave, and
# a runtime import of a dev dependency fails here, not in a shop's report.
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is the action folder; the runner sets it}"

npm ci --no-audit --no-fund --loglevel=error
npm prune --omit=dev --no-audit --no-fund --loglevel=error
test -f dist/cli.js || { echo "aov action: error: dist/cli.js was not built" >&2; exit 1; }
echo "aov $(node bin/aov --version) installed in $GITHUB_ACTION_PATH (runtime dependencies only)"
