#!/usr/bin/env bash
# Regenerates the TypeScript event types in libs/contracts/src/gen from proto/ (committed, so a
# clean clone builds without running this). buf comes from node_modules (@bufbuild/buf).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
rm -rf libs/contracts/src/gen
(cd proto && buf lint && buf generate)
echo "generated: $(find libs/contracts/src/gen -name '*.ts' | wc -l) files in libs/contracts/src/gen"
