// node scripts/ort-run.mjs MODEL.onnx OUT_DIR NAME=IN.npy... [--threads N] [--repeat R]
//
// Runs a model with ONNX Runtime (onnxruntime-node from npm, its bundled CPU
// library, offline) on .npy inputs and writes each output as OUT_DIR/<name>.npy.
// With --repeat it also prints the median latency in milliseconds. The
// package is looked up in $KILN_ORT_DIR (default ~/.cache/kiln/ort), where
// scripts/setup installs it.
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ortDir = process.env.KILN_ORT_DIR || path.join(os.homedir(), ".cache/kiln/ort");
const require = createRequire(path.join(ortDir, "package.json"));
const ort = require("onnxruntime-node");

const DTYPES = { "<f4": ["float32", Float32Array], "<i8": ["int64", BigInt64Array],
                 "<i4": ["int32", Int32Array], "<f8": ["float64", Float64Array] };

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString("latin1", 10, 10 + headerLen);
  const descr = /'descr': '([^']+)'/.exec(header)[1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)[1].split(",")
      .map((s) => s.trim()).filter((s) => s).map(Number);
  const [type, Array_] = DTYPES[descr];
  const start = 10 + headerLen;
  const bytes = buf.subarray(start);
  const data = new Array_(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return new ort.Tensor(type, data, shape);
}

function writeNpy(file, tensor) {
  const descr = Object.keys(DTYPES).find((k) => DTYPES[k][0] === tensor.type);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${tensor.dims.join(", ")}${tensor.dims.length === 1 ? "," : ""}), }`;
  header += " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  const head = Buffer.alloc(10);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, "latin1"), data]));
}

const args = process.argv.slice(2);
let threads = 0, repeat = 0;
const rest = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === "--threads") threads = Number(args[++i]);
  else if (args[i] === "--repeat") repeat = Number(args[++i]);
  else rest.push(args[i]);
}
const [model, outDir, ...inputs] = rest;
const options = threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
const session = await ort.InferenceSession.create(model, options);
const feeds = {};
for (const spec of inputs) {
  const [name, file] = spec.split("=");
  feeds[name] = readNpy(file);
}
let results = await session.run(feeds);
if (repeat > 0) {
  const times = [];
  for (let i = 0; i < repeat; ++i) {
    const t0 = process.hrtime.bigint();
    results = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`median_ms ${times[Math.floor(times.length / 2)].toFixed(4)}`);
}
fs.mkdirSync(outDir, { recursive: true });
for (const [name, tensor] of Object.entries(results)) writeNpy(path.join(outDir, `${name}.npy`), tensor);
