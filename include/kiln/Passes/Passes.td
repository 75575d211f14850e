//===- Passes.td - every kiln pass, declared once -------------------------===//
//
// Each pass has a summary, a before/after example in its description and a
// lit test named after it under test/Passes/. Implementations live in
// passes/<Family>/ and use GEN_PASS_DEF_<NAME>.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_TD
#define KILN_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferShapes : Pass<"kiln-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Refines result types from operands, folding shape "
                "computations, and fails naming any op it cannot infer";
  let description = [{
    Walks the function in order and replaces each kiln op's result type with
    the more precise type its `inferReturnTypes` gives for the (already
    refined) operands, interleaved with canonicalization so that computed
    shapes (`kiln.shape_of`, constant arithmetic, `kiln.dynamic_reshape`)
    fold into static ones. The function's result types follow its returns.
    It fails with one error per op whose results stay unranked (or, with
    `allow-dynamic=false`, keep a dynamic dimension), naming the op.

    Before:
    ```mlir
    func.func @f(%x: tensor<2x8xf32>) -> tensor<*xf32> {
      %s = kiln.shape_of %x : (tensor<2x8xf32>) -> tensor<2xi64>
      %r = kiln.dynamic_reshape %x, %s : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
      %e = kiln.exp %r : (tensor<?x?xf32>) -> tensor<*xf32>
      return %e : tensor<*xf32>
    }
    ```
    After:
    ```mlir
    func.func @f(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
      %e = kiln.exp %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
      return %e : tensor<2x8xf32>
    }
    ```
  }];
  let options = [
    Option<"allowDynamic", "allow-dynamic", "bool", /*default=*/"true",
           "Accept dimensions that stay dynamic (symbolic batch/sequence); "
           "when false every result must end up fully static">,
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def FormKernels : Pass<"kiln-form-kernels", "::mlir::func::FuncOp"> {
  let summary = "Wraps every tensor computation in a `kiln.kernel` region";
  let description = [{
    The first step of lowering: each op implementing KernelOpInterface
    becomes the body of its own `kiln.kernel` of the op's schedule family.
    Its operands become kernel inputs; constants feeding it are cloned in so
    kernel code generation sees them. Fusion passes then merge kernels, and
    `kiln-outline-kernels` turns them into functions.

    Before:
    ```mlir
    %y = kiln.relu %x : (tensor<8xf32>) -> tensor<8xf32>
    ```
    After:
    ```mlir
    %y = kiln.kernel elementwise(%x) : (tensor<8xf32>) -> tensor<8xf32> {
    ^bb0(%a: tensor<8xf32>):
      %r = kiln.relu %a : (tensor<8xf32>) -> tensor<8xf32>
      kiln.yield %r : tensor<8xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def FuseElementwise : Pass<"kiln-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Merges elementwise kernels into the kernel that consumes them";
  let description = [{
    When the single result of an `elementwise` kernel is used only by one
    other kernel, the producer's body is inlined into the consumer's, so the
    intermediate tensor is never written to memory. The consumer keeps its
    family (an elementwise prologue on a matmul stays a matmul kernel).

    Before:
    ```mlir
    %a = kiln.kernel elementwise(%x) ... { kiln.exp ... }
    %b = kiln.kernel elementwise(%a, %y) ... { kiln.add ... }
    ```
    After:
    ```mlir
    %b = kiln.kernel elementwise(%x, %y) ... { kiln.exp ...; kiln.add ... }
    ```
  }];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def OutlineKernels : Pass<"kiln-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Moves kernel regions into private functions, one per distinct kernel";
  let description = [{
    Each `kiln.kernel` becomes a call to a private `func.func` marked with
    `kiln.kernel = #kiln<kernel_family ...>`. Kernels with identical bodies
    and types (the same op, shapes and attributes) share one function, so
    code generation builds each distinct kernel once.

    Before:
    ```mlir
    %a = kiln.kernel elementwise(%x) : (tensor<8xf32>) -> tensor<8xf32> { ... relu ... }
    %b = kiln.kernel elementwise(%a) : (tensor<8xf32>) -> tensor<8xf32> { ... relu ... }
    ```
    After:
    ```mlir
    %a = call @kernel_elementwise_0(%x) : (tensor<8xf32>) -> tensor<8xf32>
    %b = call @kernel_elementwise_0(%a) : (tensor<8xf32>) -> tensor<8xf32>
    func.func private @kernel_elementwise_0(%arg0: tensor<8xf32>) -> tensor<8xf32>
        attributes {kiln.kernel = #kiln<kernel_family elementwise>} { ... }
    ```
  }];
  let dependentDialects = ["::mlir::kiln::KilnDialect", "::mlir::func::FuncDialect"];
}

def KVCache : Pass<"kiln-kv-cache", "::mlir::ModuleOp"> {
  let summary = "Turns a full-sequence LLM graph into prefill and decode "
                "entry points over a persistent KV cache";
  let description = [{
    Takes the `@forward(tokens, positions) -> logits` function of an LLM
    import (sequence length dynamic) and replaces it with two functions of
    static shapes that share per-layer key/value caches:

    * `@prefill(tokens[chunk], positions[chunk], last[1], caches...)`
    * `@decode(tokens[1], positions[1], last[1], caches...)`

    Each returns the logits of row `last` (`[1, vocab]`; with `all-logits`,
    @prefill returns every row's, `[chunk, vocab]`) and the updated caches. For every causal `kiln.attention`, the new keys and values are
    written with `kiln.kv_write` into cache arguments `[1, capacity, Hkv, D]`
    (per kv-head: grouped-query attention stores no repeated heads; f16 by
    default, converted with `kiln.cast` on the way in) and the attention
    reads the cache, each query bounded by its position. Cache
    arguments carry `kiln.state`; each cache result names the argument it
    updates in `kiln.state`, and code generation updates the sequence's
    cache in place. The row selection `last` is moved before the row-wise
    ops that end the graph (final norm, output projection), so prefill
    computes logits for one row only. Capacity is `ctx + chunk - 1` rows: a
    padded prefill chunk may write rows past the context, never read.

    Before:
    ```mlir
    func.func @forward(%tokens: tensor<?xi32>, %pos: tensor<?xi32>) -> tensor<?x512xf32> {
      ...
      %a = kiln.attention %q, %k, %v {causal} : ... -> tensor<1x?x4x16xf32>
      ...
    }
    ```
    After (`ctx=256 chunk=32`):
    ```mlir
    func.func @decode(%tokens: tensor<1xi32>, %pos: tensor<1xi32>, %last: tensor<1xi32>,
                      %k0: tensor<1x287x2x16xf16> {kiln.state}, %v0: ...)
        -> (tensor<1x512xf32>, tensor<1x287x2x16xf16> {kiln.state = 3 : i64}, ...) {
      %k16 = kiln.cast %k to f16 : (tensor<1x1x2x16xf32>) -> tensor<1x1x2x16xf16>
      %kc = kiln.kv_write %k0, %k16, %pos : ... -> tensor<1x287x2x16xf16>
      %vc = kiln.kv_write %v0, %v, %pos : ...
      %a = kiln.attention %q, %kc, %vc positions %pos : ... -> tensor<1x1x4x16xf32>
      ...
    }
    ```
  }];
  let options = [
    Option<"ctx", "ctx", "int64_t", /*default=*/"0",
           "Context length (cache rows) to compile for; 0 uses the model's, "
           "and a larger one is an error">,
    Option<"chunk", "chunk", "int64_t", /*default=*/"32",
           "Tokens per prefill call (prompts are fed in chunks of this size)">,
    Option<"allLogits", "all-logits", "bool", /*default=*/"false",
           "@prefill returns the logits of every row of its chunk ([chunk, "
           "vocab]; for perplexity and scoring), not only row `last`'s">,
    Option<"cacheType", "cache-type", "std::string", /*default=*/"\"f16\"",
           "Element type of the KV cache: f16 (half the memory and "
           "bandwidth, and llama.cpp's default, so logits agree with it) "
           "or f32">,
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect",
                           "::mlir::func::FuncDialect"];
}

def Quantize : Pass<"kiln-quantize", "::mlir::ModuleOp"> {
  let summary = "Quantizes the weights of matmuls and embeddings to GGUF "
                "block formats at compile time";
  let description = [{
    Every float (f32, f16, bf16) 2-D weight whose uses are all matrix
    products or embedding lookups is encoded with kiln's block codec in the
    format the `scheme` recipe gives it (kiln/Quant/Recipe.h: llama.cpp's
    choices for GGUF tensor names, e.g. Q6_K for `output.weight`), and its
    users are rewritten: `kiln.matmul` becomes `kiln.qmatmul` (a `[K, N]`
    weight is transposed to GGUF's `[N, K]` rows while encoding),
    `kiln.qmatmul` of f16/bf16 and `kiln.embedding` take the quantized
    table. Norms, biases and any weight with another use keep their float
    type. A weight whose rows are not a whole number of blocks falls back to
    q8_0 (for the 256-element K-quants) or keeps its float type, with a
    warning naming it. Weights are read from their `source` files; every
    weight of the module (quantized or copied) is written to `weights-out`,
    and the declarations point there.

    Independently of `scheme`, an int8/uint8 weight that reaches matmuls
    only through ONNX's DequantizeLinear (`kiln.cast`, `kiln.sub` of a
    constant zero point, `kiln.mul` by a constant per-tensor or per-output
    scale) becomes Q8_0 blocks and the matmuls `kiln.qmatmul`: rows whose
    integers minus zero point fit in [-127, 127] keep them exactly with the
    row's scale in each block's half-precision `d`; others are requantized.
    With `scheme=none` and no such weight the pass changes nothing.

    Before:
    ```mlir
    kiln.weight_decl @w : tensor<64x128xf32> {source = "m.weights", offset = 0 : i64}
    %w = kiln.weight @w : tensor<64x128xf32>
    %y = kiln.matmul %x, %w : (tensor<4x64xf32>, tensor<64x128xf32>) -> tensor<4x128xf32>
    ```
    After (`scheme=q8_0 weights-out=q.weights`):
    ```mlir
    kiln.weight_decl @w : tensor<128x64x!kiln.q8_0> {source = "q.weights", offset = 0 : i64}
    %w = kiln.weight @w : tensor<128x64x!kiln.q8_0>
    %y = kiln.qmatmul %x, %w : (tensor<4x64xf32>, tensor<128x64x!kiln.q8_0>) -> tensor<4x128xf32>
    ```
  }];
  let options = [
    Option<"scheme", "scheme", "std::string", /*default=*/"\"none\"",
           "none (only dequantized integer weights), q8_0, q4_0, q4_k, q6_k, "
           "or q4_k_m (Q4_K with Q6_K for the output projection and "
           "llama.cpp's choice of attention V / FFN down layers)">,
    Option<"skip", "skip", "std::string", /*default=*/"\"\"",
           "Regular expression: weights whose name matches keep their float type">,
    Option<"weightsOut", "weights-out", "std::string", /*default=*/"\"\"",
           "File that receives every weight of the module (required)">,
  ];
  let statistics = [
    Statistic<"numQuantized", "quantized-weights", "Weights encoded in a block format">,
    Statistic<"numDequantized", "dequantized-weights",
              "Integer weights of DequantizeLinear -> MatMul encoded as Q8_0">,
    Statistic<"bytesSaved", "bytes-saved", "Weight bytes saved by quantizing">,
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def RepackWeights : Pass<"kiln-repack-weights", "::mlir::ModuleOp"> {
  let summary = "Stores block-quantized matmul weights in 32-row groups for CPU kernels";
  let description = [{
    Every 2-D block-quantized weight (`!kiln.q4_0`, `q8_0`, `q4_k`, `q6_k`)
    with a multiple of 32 rows whose uses are all `kiln.qmatmul` weights
    becomes `!kiln.q4_0x32` (`q8_0x32`, `q4_kx32`, `q6_kx32`): the same blocks, stored so that each group of 32
    rows holds, block index by block index, the 32 scales and then the 32
    rows' quants with the rows innermost (kiln/Quant/Repack.h,
    docs/repacking.md). A CPU kernel then reads a group as one forward
    stream, loads the same quants of 32 rows as one vector, and keeps 32
    rows' sums in vector lanes instead of summing each block horizontally.
    The pass runs for x86-64 targets (`kiln compile --no-repack` turns it
    off). When some weight changes, every weight of the module is written
    to `weights-out` (the library maps that file instead of the .gguf) and
    the declarations point there; otherwise the pass changes nothing.

    Before:
    ```mlir
    kiln.weight_decl @w : tensor<64x128x!kiln.q4_0> {source = "m.gguf", offset = 0 : i64}
    %w = kiln.weight @w : tensor<64x128x!kiln.q4_0>
    %y = kiln.qmatmul %x, %w : (tensor<1x128xf32>, tensor<64x128x!kiln.q4_0>) -> tensor<1x64xf32>
    ```
    After (`weights-out=r.weights`):
    ```mlir
    kiln.weight_decl @w : tensor<64x128x!kiln.q4_0x32> {source = "r.weights", offset = 0 : i64}
    %w = kiln.weight @w : tensor<64x128x!kiln.q4_0x32>
    %y = kiln.qmatmul %x, %w : (tensor<1x128xf32>, tensor<64x128x!kiln.q4_0x32>) -> tensor<1x64xf32>
    ```
  }];
  let options = [
    Option<"weightsOut", "weights-out", "std::string", /*default=*/"\"\"",
           "File that receives every weight of the module (required)">,
  ];
  let statistics = [
    Statistic<"numRepacked", "repacked-weights", "Weights stored in 32-row groups">,
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

#endif // KILN_PASSES_TD
