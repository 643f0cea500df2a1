# Replaces the text between <!-- MARKER --> and <!-- /MARKER --> in a markdown file with standard input, e.g.
#   node tools/results/structured-table.mjs out/structured | python3 tools/results/put-table.py structured-table docs/results.md
import re, sys

marker, path = sys.argv[1], sys.argv[2]
body = sys.stdin.read().rstrip('\n')
text = open(path).read()
pattern = r'(<!-- %s -->\n).*?(<!-- /%s -->)' % (re.escape(marker), re.escape(marker))
if not re.search(pattern, text, flags=re.S):
    sys.exit(f'{path} has no <!-- {marker} --> ... <!-- /{marker} --> block')
text = re.sub(pattern, lambda m: m.group(1) + body + '\n' + m.group(2), text, flags=re.S)
open(path, 'w').write(text)
