// kiln-quantize: float weights of matmuls and embeddings become GGUF block
// formats in a new weights file; [K, N] matmul weights are transposed to
// GGUF's [N, K] rows and their matmuls become kiln.qmatmul; norms, weights
// with other uses and rows that are not whole blocks keep their type.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %debian_python -c "import numpy as np; r = np.random.default_rng(0); open('%t/in.weights', 'wb').write(r.standard_normal(1536).astype('<f4').tobytes() + r.standard_normal(1024).astype('<f2').tobytes() + r.standard_normal(1600).astype('<f4').tobytes())"
// RUN: sed "s|IN|%t/in.weights|" %s | kiln-opt --kiln-quantize="scheme=q8_0 weights-out=%t/q8.weights" 2>%t/q8.err | FileCheck %s --check-prefix=Q8
// RUN: FileCheck %s --check-prefix=WARN < %t/q8.err
// RUN: %debian_python -c "import os; print(os.path.getsize('%t/q8.weights'))" | FileCheck %s --check-prefix=SIZE
// RUN: sed "s|IN|%t/in.weights|" %s | kiln-opt --kiln-quantize="scheme=q4_k weights-out=%t/k.weights" 2>&1 | FileCheck %s --check-prefix=K
// RUN: sed "s|IN|%t/in.weights|" %s | kiln-opt --kiln-quantize="scheme=q4_0 skip=^nk$ weights-out=%t/s.weights" 2>/dev/null | FileCheck %s --check-prefix=SKIP
// RUN: sed "s|IN|%t/in.weights|" %s | not kiln-opt --kiln-quantize="scheme=q5_k weights-out=%t/x.weights" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: sed "s|IN|%t/in.weights|" %s | not kiln-opt --kiln-quantize="scheme=q8_0" 2>&1 | FileCheck %s --check-prefix=NOOUT
// RUN: sed "s|IN|%t/missing.weights|" %s | not kiln-opt --kiln-quantize="scheme=q8_0 weights-out=%t/m.weights" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: test ! -e %t/m.weights && test ! -e %t/m.weights.part
// Without a scheme (the default) only DequantizeLinear'd integer weights
// change; here there are none, so nothing does and no file is written.
// RUN: sed "s|IN|%t/in.weights|" %s | kiln-opt --kiln-quantize="weights-out=%t/none.weights" | FileCheck %s --check-prefix=NONE
// RUN: test ! -e %t/none.weights

module {
  kiln.weight_decl @kn : tensor<64x8xf32> {source = "IN", offset = 0 : i64}
  kiln.weight_decl @nk : tensor<8x64xf32> {source = "IN", offset = 2048 : i64}
  kiln.weight_decl @norm : tensor<64xf32> {source = "IN", offset = 4096 : i64}
  kiln.weight_decl @emb : tensor<16x64xf16> {source = "IN", offset = 6144 : i64}
  kiln.weight_decl @odd : tensor<8x48xf32> {source = "IN", offset = 8192 : i64}
  kiln.weight_decl @other : tensor<8x64xf32> {source = "IN", offset = 9728 : i64}
  func.func @f(%ids: tensor<4xi32>, %y: tensor<4x48xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<8x64xf32>) {
    %emb = kiln.weight @emb : tensor<16x64xf16>
    %x = kiln.embedding %emb, %ids : (tensor<16x64xf16>, tensor<4xi32>) -> tensor<4x64xf32>
    %normw = kiln.weight @norm : tensor<64xf32>
    %n = kiln.rms_norm %x, %normw : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
    %kn = kiln.weight @kn : tensor<64x8xf32>
    %a = kiln.matmul %n, %kn : (tensor<4x64xf32>, tensor<64x8xf32>) -> tensor<4x8xf32>
    %nk = kiln.weight @nk : tensor<8x64xf32>
    %b = kiln.matmul %n, %nk {transpose_rhs} : (tensor<4x64xf32>, tensor<8x64xf32>) -> tensor<4x8xf32>
    %odd = kiln.weight @odd : tensor<8x48xf32>
    %c = kiln.matmul %y, %odd {transpose_rhs} : (tensor<4x48xf32>, tensor<8x48xf32>) -> tensor<4x8xf32>
    %other = kiln.weight @other : tensor<8x64xf32>
    %d = kiln.add %other, %other : (tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
    return %a, %b, %c, %d : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<8x64xf32>
  }
}

// Q8: kiln.weight_decl @kn : tensor<8x64x!kiln.q8_0> {offset = 0 : i64, source = "{{.*}}/q8.weights"}
// Q8: kiln.weight_decl @nk : tensor<8x64x!kiln.q8_0> {offset = 576 : i64, source = "{{.*}}/q8.weights"}
// Q8: kiln.weight_decl @norm : tensor<64xf32> {offset = 1152 : i64, source = "{{.*}}/q8.weights"}
// Q8: kiln.weight_decl @emb : tensor<16x64x!kiln.q8_0> {offset = 1408 : i64, source = "{{.*}}/q8.weights"}
// Q8: kiln.weight_decl @odd : tensor<8x48xf32> {offset = 2496 : i64, source = "{{.*}}/q8.weights"}
// Q8: kiln.weight_decl @other : tensor<8x64xf32> {offset = 4032 : i64, source = "{{.*}}/q8.weights"}
// Q8: kiln.embedding %{{.*}}, %{{.*}} : (tensor<16x64x!kiln.q8_0>, tensor<4xi32>) -> tensor<4x64xf32>
// Q8: kiln.rms_norm %{{.*}}, %{{.*}} : (tensor<4x64xf32>, tensor<64xf32>)
// Q8: kiln.qmatmul %{{.*}}, %{{.*}} : (tensor<4x64xf32>, tensor<8x64x!kiln.q8_0>) -> tensor<4x8xf32>
// Q8: kiln.qmatmul %{{.*}}, %{{.*}} : (tensor<4x64xf32>, tensor<8x64x!kiln.q8_0>) -> tensor<4x8xf32>
// Q8: kiln.matmul %{{.*}}, %{{.*}} {transpose_rhs} : (tensor<4x48xf32>, tensor<8x48xf32>)
// Q8: kiln.add

// WARN: warning: weight 'odd': rows of 48 elements are not a multiple of 32 (q8_0): kept in its float type
// 2048 bytes of @other end at 4032 + 2048.
// SIZE: 6080

// K: warning: weight 'kn': rows of 64 elements are not a multiple of 256 (q4_k): using q8_0
// K: kiln.weight_decl @kn : tensor<8x64x!kiln.q8_0>

// NONE: kiln.weight_decl @kn : tensor<64x8xf32> {offset = 0 : i64, source = "{{.*}}/in.weights"}
// NONE: kiln.matmul

// SKIP: kiln.weight_decl @kn : tensor<8x64x!kiln.q4_0>
// SKIP: kiln.weight_decl @nk : tensor<8x64xf32>
// SKIP: kiln.matmul %{{.*}}, %{{.*}} {transpose_rhs} : (tensor<4x64xf32>, tensor<8x64xf32>)

// SCHEME: kiln-quantize: unknown quantization scheme 'q5_k' (expected none or one of q8_0, q4_0, q4_k, q6_k, q4_k_m)
// NOOUT: kiln-quantize: no weights file to write (weights-out=PATH)
// MISSING: kiln-quantize: cannot read weight 'kn' from '{{.*}}missing.weights'
