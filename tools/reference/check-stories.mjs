#!/usr/bin/env node
// Re-derives a logprobs.mjs fixture of stories260K with an independent, plain-JavaScript Llama forward pass in
// double precision (no llama.cpp), so a mistake in how the tool lines up windows, BOS and targets cannot hide
// in a golden file. Only F32 Llama GGUF files (v2/v3) are supported, which is all stories260K needs.
//   node check-stories.mjs MODEL.gguf FIXTURE.json [--tolerance 1e-4]

import {readFileSync} from "node:fs";
import {parseArgs} from "node:util";

const {values: opts, positionals} = parseArgs({
    options: {tolerance: {type: "string", default: "1e-4"}},
    allowPositionals: true,
});
if (positionals.length !== 2) {
    process.stderr.write("usage: node check-stories.mjs MODEL.gguf FIXTURE.json [--tolerance 1e-4]\n");
    process.exit(2);
}
const [modelPath, fixturePath] = positionals;
const tolerance = Number(opts.tolerance);

const gguf = readGguf(modelPath);
const model = llamaModel(gguf);
const fixture = JSON.parse(readFileSync(fixturePath, "utf8"));
if (!fixture.settings.bosPrepended) throw new Error("this check covers the BOS-per-window case only");

let worst = 0;
let worstAt = -1;
for (const w of fixture.windows) {
    const window = fixture.tokens.slice(w.start, w.start + w.length);
    const rows = forward(model, [fixture.model.bos, ...window]);
    for (let j = 0; j < window.length; j++) {
        const lp = logSoftmaxAt(rows[j], window[j]);
        const diff = Math.abs(lp - fixture.logprobs[w.start + j]);
        if (diff > worst) {
            worst = diff;
            worstAt = w.start + j;
        }
    }
}
const ok = worst <= tolerance;
process.stdout.write(`${ok ? "OK" : "MISMATCH"}: ${fixture.tokens.length} tokens, largest |log-prob difference| `
    + `${worst.toExponential(3)} at token ${worstAt} (tolerance ${tolerance})\n`);
process.exit(ok ? 0 : 1);

// ---- the model ---------------------------------------------------------------------------------------------

function llamaModel(file) {
    const meta = file.metadata;
    const arch = meta["general.architecture"];
    if (arch !== "llama") throw new Error(`${modelPath}: architecture ${arch}, this check supports llama only`);
    const dim = Number(meta["llama.embedding_length"]);
    const heads = Number(meta["llama.attention.head_count"]);
    const layers = Number(meta["llama.block_count"]);
    const tensor = (name) => {
        const t = file.tensors.get(name);
        if (t == null) throw new Error(`${modelPath}: tensor ${name} is missing`);
        return t;
    };
    return {
        dim,
        heads,
        kvHeads: Number(meta["llama.attention.head_count_kv"] ?? heads),
        headDim: dim / heads,
        eps: Number(meta["llama.attention.layer_norm_rms_epsilon"] ?? 1e-5),
        ropeBase: Number(meta["llama.rope.freq_base"] ?? 10000),
        embedding: tensor("token_embd.weight"),
        output: file.tensors.get("output.weight") ?? tensor("token_embd.weight"),
        outputNorm: tensor("output_norm.weight").data,
        layers: Array.from({length: layers}, (_, i) => ({
            attnNorm: tensor(`blk.${i}.attn_norm.weight`).data,
            q: tensor(`blk.${i}.attn_q.weight`),
            k: tensor(`blk.${i}.attn_k.weight`),
            v: tensor(`blk.${i}.attn_v.weight`),
            o: tensor(`blk.${i}.attn_output.weight`),
            ffnNorm: tensor(`blk.${i}.ffn_norm.weight`).data,
            gate: tensor(`blk.${i}.ffn_gate.weight`),
            up: tensor(`blk.${i}.ffn_up.weight`),
            down: tensor(`blk.${i}.ffn_down.weight`),
        })),
    };
}

/** Logit rows, one per position, for a causal pass over `tokens` (positions 0..n-1). */
function forward(m, tokens) {
    const n = tokens.length;
    const xs = tokens.map((t) => row(m.embedding, t));
    for (const layer of m.layers) {
        const qs = [], ks = [], vs = [];
        for (let p = 0; p < n; p++) {
            const h = rmsNorm(xs[p], layer.attnNorm, m.eps);
            qs.push(rope(matVec(layer.q, h), p, m.heads, m.headDim, m.ropeBase));
            ks.push(rope(matVec(layer.k, h), p, m.kvHeads, m.headDim, m.ropeBase));
            vs.push(matVec(layer.v, h));
        }
        const group = m.heads / m.kvHeads;
        for (let p = 0; p < n; p++) {
            const attended = new Float64Array(m.dim);
            for (let head = 0; head < m.heads; head++) {
                const kvOffset = Math.floor(head / group) * m.headDim;
                const qOffset = head * m.headDim;
                const scores = new Float64Array(p + 1);
                for (let s = 0; s <= p; s++) {
                    let dot = 0;
                    for (let d = 0; d < m.headDim; d++) dot += qs[p][qOffset + d] * ks[s][kvOffset + d];
                    scores[s] = dot / Math.sqrt(m.headDim);
                }
                const weights = softmax(scores);
                for (let s = 0; s <= p; s++) {
                    for (let d = 0; d < m.headDim; d++) attended[qOffset + d] += weights[s] * vs[s][kvOffset + d];
                }
            }
            addInPlace(xs[p], matVec(layer.o, attended));
        }
        for (let p = 0; p < n; p++) {
            const h = rmsNorm(xs[p], layer.ffnNorm, m.eps);
            const gate = matVec(layer.gate, h);
            const up = matVec(layer.up, h);
            const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]);
            addInPlace(xs[p], matVec(layer.down, act));
        }
    }
    return xs.map((x) => matVec(m.output, rmsNorm(x, m.outputNorm, m.eps)));
}

/** llama.cpp's "normal" RoPE: each head's dimensions rotate in adjacent pairs (2i, 2i+1). */
function rope(vec, position, heads, headDim, base) {
    const out = Float64Array.from(vec);
    for (let h = 0; h < heads; h++) {
        for (let i = 0; i < headDim; i += 2) {
            const angle = position * Math.pow(base, -i / headDim);
            const a = vec[h * headDim + i], b = vec[h * headDim + i + 1];
            out[h * headDim + i] = a * Math.cos(angle) - b * Math.sin(angle);
            out[h * headDim + i + 1] = a * Math.sin(angle) + b * Math.cos(angle);
        }
    }
    return out;
}

function rmsNorm(x, weight, eps) {
    let ss = 0;
    for (const v of x) ss += v * v;
    const scale = 1 / Math.sqrt(ss / x.length + eps);
    return x.map((v, i) => v * scale * weight[i]);
}

/** y = W x for a GGUF matrix with ne = [in, out]: `out` rows of `in` contiguous floats. */
function matVec(w, x) {
    const [cols, rows] = w.dims;
    if (x.length !== cols) throw new Error(`matVec: ${w.name} takes ${cols} inputs, got ${x.length}`);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
        let sum = 0;
        const base = r * cols;
        for (let c = 0; c < cols; c++) sum += w.data[base + c] * x[c];
        y[r] = sum;
    }
    return y;
}

function row(w, index) {
    const cols = w.dims[0];
    return Float64Array.from(w.data.subarray(index * cols, (index + 1) * cols));
}

function addInPlace(x, y) {
    for (let i = 0; i < x.length; i++) x[i] += y[i];
}

function softmax(v) {
    const max = Math.max(...v);
    const e = v.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
}

function logSoftmaxAt(logits, target) {
    const max = Math.max(...logits);
    let sum = 0;
    for (const l of logits) sum += Math.exp(l - max);
    return logits[target] - max - Math.log(sum);
}

// ---- a minimal GGUF v2/v3 reader for F32 tensors -----------------------------------------------------------

function readGguf(path) {
    const buf = readFileSync(path);
    let pos = 0;
    const u32 = () => { const v = buf.readUInt32LE(pos); pos += 4; return v; };
    const u64 = () => { const v = buf.readBigUInt64LE(pos); pos += 8; return Number(v); };
    const str = () => { const n = u64(); const s = buf.toString("utf8", pos, pos + n); pos += n; return s; };
    const scalar = {
        0: () => buf.readUInt8(pos++), 1: () => buf.readInt8(pos++),
        2: () => { const v = buf.readUInt16LE(pos); pos += 2; return v; },
        3: () => { const v = buf.readInt16LE(pos); pos += 2; return v; },
        4: u32, 5: () => { const v = buf.readInt32LE(pos); pos += 4; return v; },
        6: () => { const v = buf.readFloatLE(pos); pos += 4; return v; },
        7: () => buf.readUInt8(pos++) !== 0, 8: str,
        10: u64, 11: () => { const v = Number(buf.readBigInt64LE(pos)); pos += 8; return v; },
        12: () => { const v = buf.readDoubleLE(pos); pos += 8; return v; },
    };
    const value = (type) => {
        if (type === 9) {
            const itemType = u32();
            const n = u64();
            return Array.from({length: n}, () => value(itemType));
        }
        const read = scalar[type];
        if (read == null) throw new Error(`${path}: unknown GGUF value type ${type} at byte ${pos}`);
        return read();
    };
    if (buf.toString("latin1", 0, 4) !== "GGUF") throw new Error(`${path}: not a GGUF file`);
    pos = 4;
    const version = u32();
    if (version < 2) throw new Error(`${path}: GGUF v${version}; this check reads v2/v3`);
    const tensorCount = u64();
    const kvCount = u64();
    const metadata = {};
    for (let i = 0; i < kvCount; i++) {
        const key = str();
        metadata[key] = value(u32());
    }
    const infos = [];
    for (let i = 0; i < tensorCount; i++) {
        const name = str();
        const nDims = u32();
        const dims = Array.from({length: nDims}, () => u64());
        const type = u32();
        const offset = u64();
        infos.push({name, dims, type, offset});
    }
    const alignment = Number(metadata["general.alignment"] ?? 32);
    const dataStart = Math.ceil(pos / alignment) * alignment;
    const tensors = new Map();
    for (const t of infos) {
        if (t.type !== 0) throw new Error(`${path}: tensor ${t.name} has ggml type ${t.type}; this check reads F32 only`);
        const count = t.dims.reduce((a, b) => a * b, 1);
        const start = dataStart + t.offset;
        const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + count * 4));
        tensors.set(t.name, {name: t.name, dims: t.dims, data});
    }
    return {metadata, tensors};
}
