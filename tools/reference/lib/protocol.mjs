// prune4j's perplexity protocol (docs/data.md, "Evaluation protocol") run on llama.cpp: the token stream is cut
// into consecutive windows, each window is evaluated from an empty cache as one batch, and every token gets the
// natural-log probability the model gave it. This is the one place that decides what is scored.

import {readFileSync} from "node:fs";
import {basename} from "node:path";
import {createHash} from "node:crypto";
import {fail} from "./runtime.mjs";

/**
 * The token stream to score: either a UTF-8 text file tokenized once as llama.cpp tokenizes it (no BOS, special
 * tokens not parsed), or a JSON file holding a list of token ids (or an object with a "tokens" list, such as a
 * fixture written by logprobs.mjs). Only the first maxTokens are kept.
 */
export function readInput(model, {textFile, tokensFile, maxTokens}) {
    if ((textFile == null) === (tokensFile == null)) fail("give exactly one of --text FILE or --tokens FILE.json");
    if (tokensFile != null) {
        const all = readTokenList(tokensFile, model);
        return {tokens: all.slice(0, maxTokens), input: {kind: "tokens", file: basename(tokensFile), tokenizedLength: all.length}};
    }
    const text = readText(textFile);
    const all = model.tokenize(text, false);
    const kept = all.slice(0, maxTokens);
    // The exact text the kept tokens spell, when detokenizing gives back a prefix of the input; it lets a
    // tokenizer test run without the (uncommitted) source file.
    const spelled = model.detokenize(kept, false);
    const input = {
        kind: "text",
        file: basename(textFile),
        sha256: sha256(Buffer.from(text, "utf8")),
        chars: text.length,
        tokenizedLength: all.length,
        keptText: text.startsWith(spelled) ? spelled : null,
    };
    return {tokens: kept, input};
}

function readText(path) {
    let text;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        fail(`cannot read text file ${path}: ${e.message}`);
    }
    if (text.length === 0) fail(`text file ${path} is empty`);
    return text;
}

function readTokenList(path, model) {
    let parsed;
    try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
        fail(`cannot read token list ${path}: ${e.message}`);
    }
    const list = Array.isArray(parsed) ? parsed : parsed?.tokens;
    if (!Array.isArray(list) || list.length === 0) {
        fail(`${path}: expected a non-empty JSON list of token ids, or an object with a "tokens" list`);
    }
    const vocab = model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length;
    list.forEach((t, i) => {
        if (!Number.isInteger(t) || t < 0 || (vocab != null && t >= vocab)) {
            fail(`${path}: token ${i} is ${JSON.stringify(t)}, expected an integer id in [0, ${vocab ?? "vocab size"})`);
        }
    });
    return list;
}

function sha256(buffer) {
    return createHash("sha256").update(buffer).digest("hex");
}

/** Consecutive non-overlapping windows of `window` tokens over `count` tokens; the last may be shorter. */
export function planWindows(count, window) {
    const windows = [];
    for (let start = 0; start < count; start += window) {
        windows.push({start, length: Math.min(window, count - start)});
    }
    return windows;
}

/**
 * Scores every token of `tokens` window by window.
 *
 * With BOS, a window [t0..tn-1] is evaluated as [BOS, t0..tn-1] and the logits after position j give t_j's
 * probability, so all n tokens are scored. Without BOS it is evaluated as [t0..tn-1] and t0 is context only
 * (its log-prob is null).
 *
 * `exact` reads the whole logit row of every position and computes log-softmax in double precision. Otherwise
 * llama.cpp returns only the target's and the top token's logits plus its own single-precision sum of
 * exp(logit - max); that is several times faster but off by up to ~1e-3 nats per token on a 262k vocabulary.
 *
 * `kvCacheType` is "F32" or "F16" (llama.cpp's default).
 *
 * Returns logprobs[i] per token (null where not scored), the greedy argmax of the position that predicted it,
 * the windows, and timing.
 */
export async function scoreTokens({model, tokens, window, addBos, bos, threads, exact, kvCacheType, onWindow}) {
    if (addBos && bos == null) fail("the model asks for BOS but has no BOS token id");
    if (kvCacheType !== "F32" && kvCacheType !== "F16") throw new Error(`kvCacheType must be F32 or F16, got ${kvCacheType}`);
    const windows = planWindows(tokens.length, window);
    const batch = window + (addBos ? 1 : 0);
    const context = await model.createContext({
        contextSize: batch,
        batchSize: batch,
        sequences: 1,
        threads,
        flashAttention: false,
        // llama.cpp's default F16 cache rounds every key and value (~1e-2 nats on stories260K); F32 keeps the
        // reference at the precision of the weights.
        experimentalKvCacheKeyType: kvCacheType,
        experimentalKvCacheValueType: kvCacheType,
        // Sliding-window layers (Gemma 3) keep all positions in the cache; llama.cpp still masks their attention
        // to the window, this only stops cells from being recycled while a window is evaluated.
        swaFullCache: true,
    });
    const sequence = context.getSequence();
    const logprobs = new Array(tokens.length).fill(null);
    const argmax = new Array(tokens.length).fill(null);
    let vocabSize = null;
    let evalMillis = 0;
    const contextSize = context.contextSize;
    const batchSize = context.batchSize;
    if (contextSize < batch || batchSize < batch) {
        throw new Error(`llama.cpp gave context ${contextSize} / batch ${batchSize}, a window needs ${batch}`);
    }
    try {
        for (const w of windows) {
            // An empty cache per window: nothing of the previous window may be attended to.
            await sequence.clearHistory();
            if (sequence.nextTokenIndex !== 0) throw new Error("context was not cleared between windows");
            const slice = tokens.slice(w.start, w.start + w.length);
            const evaluated = addBos ? [bos, ...slice] : slice;
            // Position j of the evaluated batch predicts tokens[predicted(j)]; the last position predicts nothing.
            const predicted = (j) => w.start + j + (addBos ? 0 : 1);
            const input = evaluated.map((token, j) => {
                if (predicted(j) >= w.start + w.length) return token;
                const target = tokens[predicted(j)];
                return [token, {generateNext: exact
                    ? {logits: true}
                    : {logits: {filter: {tokens: [target], includeSelected: true}}, totalLogitWeight: true}}];
            });
            const started = performance.now();
            // node-llama-cpp swallows exceptions thrown in this callback, so the first one is kept and rethrown.
            let failure = null;
            await sequence.controlledEvaluate(input, {
                onTokenResult(j, result) {
                    try {
                        const predicts = predicted(j);
                        const logits = result.next.logits;
                        const scored = exact ? scoreExact(logits, tokens[predicts]) : scoreFast(result.next, tokens[predicts]);
                        if (exact) {
                            vocabSize ??= logits.size;
                            if (vocabSize !== logits.size) {
                                throw new Error(`logit row ${j} has ${logits.size} entries, expected ${vocabSize}`);
                            }
                            // Drop the 49k..262k-entry map now: controlledEvaluate keeps every result until it returns.
                            result.next.logits = undefined;
                        }
                        logprobs[predicts] = scored.logprob;
                        argmax[predicts] = scored.argmax;
                    } catch (e) {
                        failure ??= e;
                    }
                },
            });
            evalMillis += performance.now() - started;
            if (failure != null) throw failure;
            for (let i = w.start + (addBos ? 0 : 1); i < w.start + w.length; i++) {
                if (logprobs[i] == null) throw new Error(`token ${i} (window at ${w.start}) was not scored`);
            }
            onWindow?.(w);
        }
    } finally {
        await context.dispose();
    }
    return {logprobs, argmax, windows, vocabSize, evalMillis, contextSize, batchSize};
}

/** log softmax(logits)[target] in double precision over the full row. */
function scoreExact(logits, target) {
    if (logits == null) throw new Error("llama.cpp returned no logits for a position that asked for them");
    let max = -Infinity;
    let best = null;
    for (const [token, logit] of logits) {
        if (logit > max) {
            max = logit;
            best = token;
        }
    }
    let sum = 0;
    for (const logit of logits.values()) sum += Math.exp(logit - max);
    const targetLogit = logits.get(target);
    if (targetLogit === undefined) throw new Error(`no logit for target token ${target}`);
    return {logprob: targetLogit - max - Math.log(sum), argmax: best};
}

/** log p(target) from llama.cpp's own sum of exp(logit - max): the greedy pick is the max logit. */
function scoreFast(next, target) {
    const targetLogit = next.logits?.get(target);
    if (targetLogit === undefined || next.totalLogitWeight == null) {
        throw new Error(`llama.cpp returned no logit or total weight for target token ${target}`);
    }
    let max = -Infinity;
    let best = null;
    for (const [token, logit] of next.logits) {
        if (logit > max) {
            max = logit;
            best = token;
        }
    }
    return {logprob: targetLogit - max - Math.log(next.totalLogitWeight), argmax: best};
}

/** Mean negative log-likelihood and perplexity over the scored tokens. */
export function summarize(logprobs) {
    let sum = 0;
    let count = 0;
    for (const lp of logprobs) {
        if (lp == null) continue;
        sum -= lp;
        count++;
    }
    if (count === 0) fail("no token was scored (a window of one token without BOS scores nothing)");
    const meanNll = sum / count;
    return {scored: count, meanNll, perplexity: Math.exp(meanNll)};
}
