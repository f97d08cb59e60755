#!/bin/sh
# Rebuild plotly-framing.min.js: plotly.js with only the traces the report draws.
#
#   sh framing/report/vendor/build-plotly.sh 4.1.1     # the version plotly.py expects:
#   python -c "import plotly.offline; print(plotly.offline.get_plotlyjs_version())"
#
# Needs node and npm (the npm registry); writes into a temporary folder, then replaces the
# bundle beside this script. framing/report/plotlyjs.py reads the version from its first line.
set -eu
VERSION="${1:?usage: build-plotly.sh PLOTLYJS_VERSION}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "plotly.js@$VERSION" esbuild@0.28 \
    esbuild-plugin-environment@^0.5.0 esbuild-plugin-glsl@^1.4.2 esbuild-plugin-inline-css@^0.0.1 \
    stream-browserify@^3 buffer@^6 >/dev/null
cd node_modules/plotly.js
# The traces of framing.report.plotlyjs.TRACES (scatter comes with core).
cat > entry-framing.js <<'JS'
'use strict';
var Plotly = require('./lib/core');
Plotly.register([require('./lib/bar'), require('./lib/heatmap'), require('./lib/scattergl')]);
module.exports = Plotly;
JS
# plotly.js's own esbuild-config.js (esbuildConfig), minified, with the bundled licenses kept.
cat > build-framing.js <<'JS'
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
esbuild.build({
    entryPoints: ['./entry-framing.js'], outfile: './plotly-framing.min.js',
    format: 'iife', globalName: 'Plotly', bundle: true, minify: true, sourcemap: false,
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' }, target: 'es2016', legalComments: 'eof',
    logLevel: 'warning',
});
JS
node build-framing.js
{
    printf '/*! plotly.js v%s (partial bundle for framing reports: bar, heatmap, scatter, scattergl)\n' "$VERSION"
    printf ' * Copyright 2012-2026, Plotly, Inc. Licensed under the MIT license; bundled licenses at the end.\n'
    printf ' * Built by framing/report/vendor/build-plotly.sh from the npm package plotly.js@%s. */\n' "$VERSION"
    cat plotly-framing.min.js
} > "$HERE/plotly-framing.min.js"
echo "wrote $HERE/plotly-framing.min.js ($(wc -c < "$HERE/plotly-framing.min.js") bytes)"
