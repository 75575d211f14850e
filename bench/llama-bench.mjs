// bench/llama-bench.mjs MODEL.gguf [--pp 128] [--tg 32] [--repeat 3]:
// llama.cpp's speed on a GGUF model (node-llama-cpp's prebuilt CPU
// libraries, 2 threads, flash attention as in kiln's agreement tests):
// prefill of --pp tokens in one batch, then --tg single-token decode steps; prints
// "pp <tokens/s> tg <tokens/s>" as medians over --repeat runs.
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const dir = process.env.KILN_LLAMA_DIR || path.join(os.homedir(), ".cache/kiln/llama");
const require = createRequire(path.join(dir, "node_modules", "x.js"));
const { getLlama, LlamaLogLevel } = await import(require.resolve("node-llama-cpp"));

const args = process.argv.slice(2);
const model = args[0];
let pp = 128, tg = 32, repeat = 3;
for (let i = 1; i < args.length; i++) {
  if (args[i] === "--pp") pp = Number(args[++i]);
  else if (args[i] === "--tg") tg = Number(args[++i]);
  else if (args[i] === "--repeat") repeat = Number(args[++i]);
}
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const m = await llama.loadModel({ modelPath: model });
const ctx = await m.createContext({ contextSize: pp + tg + 16, threads: 2, batchSize: pp,
                                    sequences: 1, flashAttention: true });
const seq = ctx.getSequence();
const prompt = Array.from({ length: pp }, (_, i) => 1 + ((i * 37) % 500));
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pps = [], tgs = [];
for (let r = 0; r < repeat + 1; r++) {
  await seq.clearHistory();
  let t0 = performance.now();
  await seq.evaluateWithoutGeneratingNewTokens(prompt);
  const prefill = (performance.now() - t0) / 1000;
  // Decode: one token per llama_decode call, as generation does (without
  // the JavaScript sampling loop, which is not what is measured here).
  let n = 0;
  t0 = performance.now();
  for (; n < tg; n++)
    await seq.evaluateWithoutGeneratingNewTokens([prompt[n % pp]]);
  const decode = (performance.now() - t0) / 1000;
  if (r > 0) { pps.push(pp / prefill); tgs.push(n / decode); } // first run warms up
}
console.log(`pp ${median(pps).toFixed(1)} tg ${median(tgs).toFixed(1)}`);
await ctx.dispose();
await m.dispose();
