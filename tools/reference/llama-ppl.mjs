#!/usr/bin/env node
// llama.cpp's perplexity of a GGUF model on a text under prune4j's protocol, and/or its CPU speed: prompt
// processing (prefill) and generation (decode) in tokens per second. A summary tool for comparisons; the
// per-token golden fixtures come from logprobs.mjs. See README.md.

import {parseArgs} from "node:util";
import {writeFileSync, renameSync} from "node:fs";
import {loadavg} from "node:os";
import {loadRuntime, loadModel, fail, positiveInt, kvCacheTypeOf} from "./lib/runtime.mjs";
import {readInput, scoreTokens, summarize} from "./lib/protocol.mjs";

const USAGE = `usage: node llama-ppl.mjs --model FILE.gguf [--text FILE | --tokens FILE.json] [--window N=512]
       [--max-tokens N=all] [--fast] [--speed [--prefill N=512] [--decode M=128] [--repetitions R=3]]
       [--threads N=2] [--kv-cache f32|f16] [--json FILE]
  Without --speed: perplexity of the text. With --speed: timed prefill of N tokens and decode of M tokens,
  the prompt being the first N tokens of --text/--tokens when given, else a fixed id pattern.`;

const {values: opts} = parseArgs({
    options: {
        model: {type: "string"},
        text: {type: "string"},
        tokens: {type: "string"},
        window: {type: "string", default: "512"},
        "max-tokens": {type: "string"},
        fast: {type: "boolean", default: false},
        speed: {type: "boolean", default: false},
        prefill: {type: "string", default: "512"},
        decode: {type: "string", default: "128"},
        repetitions: {type: "string", default: "3"},
        threads: {type: "string", default: "2"},
        "kv-cache": {type: "string", default: "f32"},
        json: {type: "string"},
        help: {type: "boolean", default: false},
    },
    strict: true,
});
if (opts.help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
}
if (opts.model == null) fail(`--model is required\n${USAGE}`);
const hasInput = opts.text != null || opts.tokens != null;
if (!hasInput && !opts.speed) fail(`give --text/--tokens for perplexity or --speed for a speed test\n${USAGE}`);
const threads = positiveInt("threads", opts.threads);
const kvCacheType = kvCacheTypeOf(opts["kv-cache"]);

const runtime = await loadRuntime(threads);
const {model, description: modelInfo} = await loadModel(runtime.llama, opts.model);
// llama.cpp's threads spin while they wait for each other, so on a busy machine two threads can run many times
// slower than one; the load average says whether a speed number can be trusted.
const report = {tool: "prune4j tools/reference/llama-ppl.mjs", runtime: runtime.description, model: modelInfo,
    loadAverageAtStart: loadavg()};

if (!opts.speed) {
    const window = positiveInt("window", opts.window);
    const maxTokens = opts["max-tokens"] == null ? Infinity : positiveInt("max-tokens", opts["max-tokens"]);
    const {tokens, input} = readInput(model, {textFile: opts.text, tokensFile: opts.tokens, maxTokens});
    delete input.keptText;
    const run = await scoreTokens({
        model, tokens, window, threads,
        addBos: modelInfo.addBos,
        bos: modelInfo.bos,
        exact: !opts.fast,
        kvCacheType,
        onWindow: (w) => process.stderr.write(`\rscored ${w.start + w.length} / ${tokens.length} tokens`),
    });
    process.stderr.write("\n");
    const summary = summarize(run.logprobs);
    report.perplexity = {
        input,
        window,
        maxTokens: Number.isFinite(maxTokens) ? maxTokens : null,
        tokens: tokens.length,
        windows: run.windows.length,
        bosPrepended: modelInfo.addBos,
        kvCache: kvCacheType,
        scoring: opts.fast ? "fast: llama.cpp float32 sum of exp(logit - max)" : "exact: full logit row, log-softmax in float64",
        ...summary,
        // Includes reading the logits back into JavaScript; use --speed for llama.cpp's own throughput.
        evalSeconds: run.evalMillis / 1000,
    };
    process.stdout.write(`perplexity ${summary.perplexity.toFixed(4)} (mean NLL ${summary.meanNll.toFixed(6)}) over `
        + `${summary.scored} scored tokens, window ${window}, ${modelInfo.addBos ? "BOS per window" : "no BOS"}, `
        + `${opts.fast ? "fast" : "exact"} scoring, ${report.perplexity.evalSeconds.toFixed(1)} s\n`);
} else {
    const prefill = positiveInt("prefill", opts.prefill);
    const decode = positiveInt("decode", opts.decode);
    const repetitions = positiveInt("repetitions", opts.repetitions);
    const source = hasInput ? readInput(model, {textFile: opts.text, tokensFile: opts.tokens, maxTokens: prefill}).tokens : [];
    report.speed = await measureSpeed({model, modelInfo, threads, kvCacheType, prefill, decode, repetitions, source});
    const s = report.speed;
    process.stdout.write(`prefill ${prefill} tokens: ${s.prefillTokensPerSecond.median.toFixed(1)} tok/s, `
        + `decode ${decode} tokens: ${s.decodeTokensPerSecond.median.toFixed(1)} tok/s `
        + `(median of ${repetitions}, ${threads} threads)\n`);
}

report.loadAverageAtEnd = loadavg();
if (opts.json != null) {
    const temp = `${opts.json}.tmp-${process.pid}`;
    writeFileSync(temp, JSON.stringify(report, null, 2) + "\n");
    renameSync(temp, opts.json);
}

/**
 * Times, like llama-bench, a prefill of `prefill` tokens as one batch (logits for the last position only) and
 * then `decode` single-token steps, each feeding back the greedy next token. The cache is emptied before each
 * repetition; one untimed warm-up run comes first.
 */
async function measureSpeed({model, modelInfo, threads, kvCacheType, prefill, decode, repetitions, source}) {
    const prompt = Array.from({length: prefill}, (_, i) => source[i] ?? patternToken(i, model));
    if (modelInfo.addBos) prompt[0] = modelInfo.bos;
    const context = await model.createContext({
        contextSize: prefill + decode,
        batchSize: prefill,
        sequences: 1,
        threads,
        flashAttention: false,
        experimentalKvCacheKeyType: kvCacheType,
        experimentalKvCacheValueType: kvCacheType,
    });
    const sequence = context.getSequence();
    const prefillRates = [];
    const decodeRates = [];
    try {
        for (let r = 0; r <= repetitions; r++) {
            await sequence.clearHistory();
            const last = prompt.length - 1;
            let started = performance.now();
            const out = await sequence.controlledEvaluate(
                prompt.map((t, i) => (i === last ? [t, {generateNext: {token: true}}] : t)));
            const prefillSeconds = (performance.now() - started) / 1000;
            let next = out[last]?.next?.token;
            if (next == null) throw new Error("prefill returned no next token");
            started = performance.now();
            for (let i = 0; i < decode; i++) {
                const step = await sequence.controlledEvaluate([[next, {generateNext: {token: true}}]]);
                next = step[0]?.next?.token;
                if (next == null) throw new Error(`decode step ${i} returned no next token`);
            }
            const decodeSeconds = (performance.now() - started) / 1000;
            if (r === 0) continue; // warm-up
            prefillRates.push(prefill / prefillSeconds);
            decodeRates.push(decode / decodeSeconds);
        }
    } finally {
        await context.dispose();
    }
    return {
        prefillTokens: prefill,
        decodeTokens: decode,
        repetitions,
        threads,
        kvCache: kvCacheType,
        promptSource: source.length > 0 ? "text" : "id pattern",
        prefillTokensPerSecond: stats(prefillRates),
        decodeTokensPerSecond: stats(decodeRates),
    };
}

/** A fixed spread of ordinary (not special, not byte) token ids for a prompt when no text is given. */
function patternToken(i, model) {
    const vocab = model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length;
    if (vocab == null) fail("the model file has no tokenizer.ggml.tokens; give --text for the speed prompt");
    const low = Math.min(1000, Math.floor(vocab / 4));
    const high = Math.min(vocab, 30000);
    return low + ((i * 7919) % (high - low));
}

function stats(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = (sorted.length - 1) / 2;
    const median = (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return {median, mean, sd, values};
}
