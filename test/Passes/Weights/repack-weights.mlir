// kiln-repack-weights: block-quantized weights that only matmuls read, with
// whole groups of 32 rows, become !kiln.q4_0x32 (q8_0x32, q6_kx32, ...) in
// a new weights file (every weight copied there); embeddings, partial
// groups and float weights keep their layout; nothing is written when no
// weight qualifies.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %debian_python -c "import numpy as np; open('%t/in.weights', 'wb').write(np.random.default_rng(3).integers(0, 256, 16384, dtype=np.uint8).tobytes())"
// RUN: sed "s|IN|%t/in.weights|" %s | kiln-opt --kiln-repack-weights="weights-out=%t/r.weights" | FileCheck %s
// RUN: %debian_python %S/Inputs/check_repacked.py q4_0 %t/in.weights 0 %t/r.weights 0 64 64 | FileCheck %s --check-prefix=BYTES
// RUN: %debian_python %S/Inputs/check_repacked.py q4_0 %t/in.weights 2304 %t/r.weights 2304 32 64 copy | FileCheck %s --check-prefix=COPY
// RUN: %debian_python %S/Inputs/check_repacked.py q4_0 %t/in.weights 3456 %t/r.weights 3456 48 64 copy | FileCheck %s --check-prefix=COPY
// RUN: %debian_python %S/Inputs/check_repacked.py q8_0 %t/in.weights 5440 %t/r.weights 5440 32 64 | FileCheck %s --check-prefix=BYTES8
// RUN: %debian_python %S/Inputs/check_repacked.py q6_k %t/in.weights 7616 %t/r.weights 7616 32 256 | FileCheck %s --check-prefix=BYTES6
// RUN: sed "s|IN|%t/in.weights|" %s | not kiln-opt --kiln-repack-weights 2>&1 | FileCheck %s --check-prefix=NOOUT
// Weights that cannot be read stay as they are, with a warning.
// RUN: sed "s|IN|%t/missing.weights|" %s | kiln-opt --kiln-repack-weights="weights-out=%t/m.weights" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: test ! -e %t/m.weights && test ! -e %t/m.weights.part
// RUN: sed "s|IN|%t/in.weights|" %S/Inputs/float-only.mlir | kiln-opt --kiln-repack-weights="weights-out=%t/none.weights" | FileCheck %s --check-prefix=NONE
// RUN: test ! -e %t/none.weights

module {
  kiln.weight_decl @w : tensor<64x64x!kiln.q4_0> {source = "IN", offset = 0 : i64}
  kiln.weight_decl @emb : tensor<32x64x!kiln.q4_0> {source = "IN", offset = 2304 : i64}
  kiln.weight_decl @odd : tensor<48x64x!kiln.q4_0> {source = "IN", offset = 3456 : i64}
  kiln.weight_decl @norm : tensor<64xf32> {source = "IN", offset = 5184 : i64}
  kiln.weight_decl @q8 : tensor<32x64x!kiln.q8_0> {source = "IN", offset = 5440 : i64}
  kiln.weight_decl @k6 : tensor<32x256x!kiln.q6_k> {source = "IN", offset = 7616 : i64}
  func.func @f(%ids: tensor<1xi32>, %y: tensor<1x256xf32>) -> (tensor<1x64xf32>, tensor<1x48xf32>, tensor<1x32xf32>, tensor<1x32xf32>) {
    %emb = kiln.weight @emb : tensor<32x64x!kiln.q4_0>
    %x = kiln.embedding %emb, %ids : (tensor<32x64x!kiln.q4_0>, tensor<1xi32>) -> tensor<1x64xf32>
    %normw = kiln.weight @norm : tensor<64xf32>
    %n = kiln.rms_norm %x, %normw : (tensor<1x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>
    %w = kiln.weight @w : tensor<64x64x!kiln.q4_0>
    %a = kiln.qmatmul %n, %w : (tensor<1x64xf32>, tensor<64x64x!kiln.q4_0>) -> tensor<1x64xf32>
    %odd = kiln.weight @odd : tensor<48x64x!kiln.q4_0>
    %b = kiln.qmatmul %a, %odd : (tensor<1x64xf32>, tensor<48x64x!kiln.q4_0>) -> tensor<1x48xf32>
    %q8 = kiln.weight @q8 : tensor<32x64x!kiln.q8_0>
    %c = kiln.qmatmul %a, %q8 : (tensor<1x64xf32>, tensor<32x64x!kiln.q8_0>) -> tensor<1x32xf32>
    %k6 = kiln.weight @k6 : tensor<32x256x!kiln.q6_k>
    %d = kiln.qmatmul %y, %k6 : (tensor<1x256xf32>, tensor<32x256x!kiln.q6_k>) -> tensor<1x32xf32>
    return %a, %b, %c, %d : tensor<1x64xf32>, tensor<1x48xf32>, tensor<1x32xf32>, tensor<1x32xf32>
  }
}

// CHECK: kiln.weight_decl @w : tensor<64x64x!kiln.q4_0x32> {offset = 0 : i64, source = "{{.*}}/r.weights"}
// CHECK: kiln.weight_decl @emb : tensor<32x64x!kiln.q4_0> {offset = 2304 : i64, source = "{{.*}}/r.weights"}
// CHECK: kiln.weight_decl @odd : tensor<48x64x!kiln.q4_0> {offset = 3456 : i64, source = "{{.*}}/r.weights"}
// CHECK: kiln.weight_decl @norm : tensor<64xf32> {offset = 5184 : i64, source = "{{.*}}/r.weights"}
// CHECK: kiln.weight_decl @q8 : tensor<32x64x!kiln.q8_0x32> {offset = 5440 : i64, source = "{{.*}}/r.weights"}
// CHECK: kiln.weight_decl @k6 : tensor<32x256x!kiln.q6_kx32> {offset = 7616 : i64, source = "{{.*}}/r.weights"}
// CHECK: kiln.embedding %{{.*}}, %{{.*}} : (tensor<32x64x!kiln.q4_0>,
// CHECK: %[[W:.*]] = kiln.weight @w : tensor<64x64x!kiln.q4_0x32>
// CHECK: kiln.qmatmul %{{.*}}, %[[W]] : (tensor<1x64xf32>, tensor<64x64x!kiln.q4_0x32>) -> tensor<1x64xf32>
// CHECK: kiln.qmatmul %{{.*}}, %{{.*}} : (tensor<1x64xf32>, tensor<48x64x!kiln.q4_0>) -> tensor<1x48xf32>

// BYTES: repacked q4_0: 0 of 2304 bytes differ
// BYTES8: repacked q8_0: 0 of 2176 bytes differ
// BYTES6: repacked q6_k: 0 of 6720 bytes differ
// COPY: copied

// NOOUT: kiln-repack-weights: no weights file to write (weights-out=PATH)
// MISSING: warning: kiln-repack-weights: weights left in GGUF's layout: cannot read weight 'w' from '{{.*}}/missing.weights'
// MISSING: kiln.weight_decl @w : tensor<64x64x!kiln.q4_0> {offset = 0 : i64, source = "{{.*}}/missing.weights"}

// NONE: kiln.weight_decl @h : tensor<32x64xf16> {offset = 0 : i64, source = "{{.*}}/in.weights"}
