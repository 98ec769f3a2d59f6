#!/usr/bin/env node
// A client of `beritanlp serve` in Node >= 18, with no npm packages (built-in fetch, fs, readline).
//
//   node examples/clients/analyze.mjs [--url URL] [--json] ARTICLE.txt ITEMS.ndjson
//
// 1. POST /v1/analyze with the text of ARTICLE.txt -> entity count, dateline, topic.
// 2. POST /v1/analyze/batch as JSON with 3 items, one of them bad (an unreadable `published`)
//    -> the kind of each result, in input order (one bad item never fails the others).
// 3. POST /v1/analyze/batch as NDJSON: the request body is streamed from ITEMS.ndjson (one
//    {id?, text, title?, published?, url?} object per line) and the NDJSON response is read
//    line by line as it arrives.
//
// Without --json it prints one short line per result; with --json it prints a single JSON
// summary on stdout instead. The server URL is --url, else $BERITANLP_URL, else
// http://127.0.0.1:8000. An HTTP error status prints the error body
// {error_type, message, request_id} on stderr and exits with status 1.

import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";

const { values: options, positionals } = parseArgs({
  options: {
    url: { type: "string", default: process.env.BERITANLP_URL ?? "http://127.0.0.1:8000" },
    json: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
if (positionals.length !== 2) {
  console.error("usage: node analyze.mjs [--url URL] [--json] ARTICLE.txt ITEMS.ndjson");
  process.exit(2);
}
const [articlePath, itemsPath] = positionals;
const base = options.url.replace(/\/+$/, "");

class HttpError extends Error {
  constructor(what, status, body) {
    super(`${what} answered HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// the response, or HttpError carrying the error body {error_type, message, request_id}
async function post(path, body, headers, extra = {}) {
  const what = `POST ${path}`;
  const response = await fetch(base + path, { method: "POST", body, headers, ...extra });
  if (!response.ok) {
    const text = await response.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error_type: null, message: text, request_id: null };
    }
    throw new HttpError(what, response.status, parsed);
  }
  return response;
}

function postJson(path, value) {
  return post(path, JSON.stringify(value), { "Content-Type": "application/json" });
}

// a short view of one result: an article (Article.to_dict()) or a per-item error
function summarize(result) {
  if ("error_type" in result) {
    return { kind: "error", id: result.id, error_type: result.error_type, message: result.message };
  }
  return {
    kind: "article",
    text: result.text,
    entities: result.entities.map((entity) => entity.text),
    dateline: result.dateline?.place ?? null,
    topic: result.topic?.label ?? null,
  };
}

function line(index, summary) {
  if (summary.kind === "error") {
    return `${index}: error id=${JSON.stringify(summary.id)} ${summary.error_type}: ${summary.message}`;
  }
  return (
    `${index}: article, ${summary.entities.length} entities, ` +
    `dateline=${summary.dateline ?? "-"}, topic=${summary.topic ?? "-"}`
  );
}

const show = options.json ? () => {} : (text) => console.log(text);

async function main() {
  // 1. one article
  const text = await readFile(articlePath, "utf8");
  const article = await (await postJson("/v1/analyze", { text })).json();
  const one = summarize(article);
  show(`analyze: ${one.entities.length} entities, dateline=${one.dateline ?? "-"}, topic=${one.topic ?? "-"}`);

  // 2. a JSON batch: results come back in input order, the bad item as its own error
  const items = [
    { id: "article", text },
    { id: "bad-date", text: "Medan - Rapat digelar kemarin.", published: "bukan tanggal" },
    { id: "short", text: "Makassar - Gubernur Siti Rahma meninjau pelabuhan Makassar pada Selasa." },
  ];
  const { results } = await (await postJson("/v1/analyze/batch", { items })).json();
  const batch = results.map(summarize);
  batch.forEach((summary, index) => show(`batch ${line(index, summary)}`));

  // 3. NDJSON: stream the file up, read the answer line by line as the server produces it
  const response = await post(
    "/v1/analyze/batch",
    Readable.toWeb(createReadStream(itemsPath)),
    { "Content-Type": "application/x-ndjson" },
    { duplex: "half" }, // needed by fetch for a streamed request body
  );
  const streamed = [];
  const lines = createInterface({ input: Readable.fromWeb(response.body), crlfDelay: Infinity });
  for await (const raw of lines) {
    if (!raw.trim()) continue;
    const summary = summarize(JSON.parse(raw));
    show(`ndjson ${line(streamed.length, summary)}`);
    streamed.push(summary);
  }

  if (options.json) {
    const contentType = response.headers.get("content-type");
    console.log(JSON.stringify({ analyze: one, batch, ndjson: streamed, ndjson_content_type: contentType }));
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof HttpError) {
    console.error(`analyze.mjs: ${error.message}`);
    console.error(JSON.stringify(error.body));
  } else {
    console.error(`analyze.mjs: ${error.message}${error.cause ? ` (${error.cause.message})` : ""}`);
  }
  process.exit(1);
}
