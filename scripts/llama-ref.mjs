// scripts/llama-ref.mjs MODEL.gguf OUT_DIR [--prompt TEXT | --tokens 1,2,3] [-n N]
//                       [--kv-type f16|f32]
// llama.cpp (prebuilt CPU libraries from the node-llama-cpp npm package,
// installed by scripts/setup under ~/.cache/kiln/llama) as kiln's reference:
// writes OUT_DIR/prompt_tokens.txt (llama.cpp's tokenization, BOS added as the
// model says), OUT_DIR/logits.npy (raw logits after the last prompt token,
// f32 [vocab]) and OUT_DIR/greedy_tokens.txt (N greedy tokens; 2 threads).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const dir = process.env.KILN_LLAMA_DIR || path.join(os.homedir(), ".cache/kiln/llama");
const require = createRequire(path.join(dir, "node_modules", "x.js"));
const { getLlama, LlamaLogLevel } = await import(require.resolve("node-llama-cpp"));

const args = process.argv.slice(2);
if (args.length < 2) {
  console.error("usage: llama-ref.mjs MODEL.gguf OUT_DIR [--prompt TEXT | --tokens 1,2] [-n N]");
  process.exit(2);
}
const [modelPath, outDir] = args;
let prompt = "Once upon a time", tokenList = null, n = 64, kvType = "F16";
for (let i = 2; i < args.length; i++) {
  if (args[i] === "--prompt") prompt = args[++i];
  else if (args[i] === "--tokens") tokenList = args[++i].split(",").map(Number);
  else if (args[i] === "-n") n = Number(args[++i]);
  else if (args[i] === "--kv-type") kvType = args[++i].toUpperCase();
}

function writeNpyF32(file, values) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${values.length},), }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const head = Buffer.alloc(10);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1; head[7] = 0; head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(Float32Array.from(values).buffer);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, "latin1"), body]));
}

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const tokens = tokenList ?? model.tokenize(prompt, false);
if (!tokenList && model.tokens.bos != null && model.tokens.shouldPrependBosToken)
  tokens.unshift(model.tokens.bos);
const ctxSize = Math.max(tokens.length + n + 8, 64);
// Flash attention stated explicitly (kiln's f16-cache attention computes as it does).
const context = await model.createContext({ contextSize: ctxSize, threads: 2, batchSize: Number(process.env.KILN_LLAMA_BATCH || 512),
                                           sequences: 1, flashAttention: true,
                                           experimentalKvCacheKeyType: kvType,
                                           experimentalKvCacheValueType: kvType });
const seq = context.getSequence();
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "prompt_tokens.txt"), tokens.join(" ") + "\n");

// First-step logits.
{
  const input = tokens.map((t, i) => i === tokens.length - 1
    ? [t, { generateNext: { logits: true } }] : t);
  const out = await seq.controlledEvaluate(input);
  const logits = out[tokens.length - 1].next.logits;
  const size = Math.max(...logits.keys()) + 1;
  const values = new Float32Array(size);
  for (const [k, v] of logits) values[k] = v;
  writeNpyF32(path.join(outDir, "logits.npy"), values);
  await seq.clearHistory();
}

// Greedy continuation (EOS does not stop it, so the length is always N).
{
  const generated = [];
  for await (const t of seq.evaluate(tokens, { temperature: 0, yieldEogToken: true })) {
    generated.push(t);
    if (generated.length >= n) break;
  }
  fs.writeFileSync(path.join(outDir, "greedy_tokens.txt"), generated.join(" ") + "\n");
}
await context.dispose();
await model.dispose();
