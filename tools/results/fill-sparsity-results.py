# Fills the sweep table and the APT-vs-SparseGPT table of docs/results.md (between their HTML comment markers)
# from the report JSONs of scripts/results-sparsity.sh:  python3 tools/results/fill-sparsity-results.py [out/results]
import json, os, subprocess, re
import sys
d=sys.argv[1] if len(sys.argv) > 1 else 'out/results'
table=subprocess.run(['node',os.path.join(os.path.dirname(__file__), 'sparsity-table.mjs'),d],capture_output=True,text=True).stdout
table='\n'.join(l for l in table.splitlines() if l.startswith('|'))
def ppl(name):
    f=os.path.join(d,name+'.json')
    if not os.path.exists(f): return None
    return json.load(open(f))['perplexity']['after']['perplexity']
rows=[]
# APT's default compensation is auto, which is the full-row re-solve on every SmolLM2 linear; the row runs
# (--compensation row) stand in for it where the default was not run, and the block runs show the other option.
for t,label in [('0.5','50%'),('0.6','60%'),('0.7','70%'),('2-4','2:4'),('4-8','4:8'),('0.5-owl','50% OWL'),('0.6-owl','60% OWL'),('0.7-owl','70% OWL')]:
    s,b=ppl('sparsegpt-'+t),ppl('apt-'+t+'-block')
    a=ppl('apt-'+t)
    if a is None: a=ppl('apt-'+t+'-row')
    if s is None or (a is None and b is None): continue
    cell=lambda x: '' if x is None else f'{x:.3f}'
    diff=lambda x: '' if x is None else f'{100*(x-s)/s:+.1f}%'
    rows.append(f'| {label} | {s:.3f} | {cell(b)} | {diff(b)} | {cell(a)} | {diff(a)} |')
p=os.path.join(os.path.dirname(__file__), '..', '..', 'docs', 'results.md')
s=open(p).read()
import re
def put(s, tag, body):
    return re.sub(r'(<!-- %s -->\n).*?(<!-- /%s -->)' % (tag, tag), lambda m: m.group(1) + body + '\n' + m.group(2), s, flags=re.S)
s=put(s,'sweep-table',table)
header=['| target | SparseGPT | APT, block | block − SparseGPT | APT, row (default) | row − SparseGPT |', '|---|---:|---:|---:|---:|---:|']
s=put(s,'apt-vs-sparsegpt','\n'.join(header+rows))
open(p,'w').write(s)
print(table); print('\n'.join(rows))
