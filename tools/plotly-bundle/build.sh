#!/usr/bin/env bash
# Rebuild static/plotly-expert-lens.min.js from the plotly.js release pinned in package.json.
# Keep that release equal to the plotly.js of the Python plotly package in requirements.txt
# (tests/ui/test_plot.py checks it). Needs Node.js and npm; run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../static/plotly-expert-lens.min.js"
cd "$here"
npm install --no-audit --no-fund --no-save >/dev/null
version="$(node -p "require('plotly.js/package.json').version")"
# global=window: plotly.js's dependencies expect Node's "global"; CSS files: plotly.js injects its own
# styles, the one CSS file required (maplibre's) is for maps, which this bundle does not have.
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --define:global=window \
  --loader:.css=empty --legal-comments=eof --target=es2020 \
  --banner:js="/* plotly.js v$version (MIT, https://github.com/plotly/plotly.js): core + bar + heatmap, built by tools/plotly-bundle/build.sh */" \
  --outfile="$out"
echo "wrote $out ($(wc -c <"$out") bytes, plotly.js $version)"
