#!/usr/bin/env bash
# The type check and the lint of `npm test`, side by side (each waits mostly on one core):
# fails if either fails, after both have said what is wrong.
set -uo pipefail
npm run --silent typecheck & typecheck=$!
npm run --silent lint & lint=$!
wait "$typecheck"; typecheck_status=$?
wait "$lint"; lint_status=$?
[ "$typecheck_status" -eq 0 ] || echo "static checks: the type check failed" >&2
[ "$lint_status" -eq 0 ] || echo "static checks: the lint failed" >&2
exit $(( typecheck_status || lint_status ))
