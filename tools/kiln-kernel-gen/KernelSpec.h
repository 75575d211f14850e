//===- KernelSpec.h - the kernel description kiln hands to Halide ---------===//
//
// kiln's compiler (MLIR, LLVM 19) and its kernel generator (Halide, LLVM 14)
// run in separate processes; this text format is what passes between them.
// One file holds any number of kernels:
//
//   kiln-kernels 1
//   target x86-64-linux-avx2
//   kernel kernel_3_exp_add elementwise
//   value 0 f32 2 4 8          # id, element type, rank, dims (row-major)
//   value 1 f32 2 4 8
//   input 0                    # kernel arguments, in order
//   input 1
//   const 2 f32 0 1 0.5        # id, type, rank, dims, count, values
//   op 3 exp 1 0 0             # id, op, #operands, operands, #attrs, attrs
//   op 4 add 2 3 1 0
//   op 5 softmax 1 4 1 axis=-1 # attrs are key=v1,v2,...
//   output 5
//   end
//
// Every op's result has a `value` line before it (the writer emits one for
// each op result). Element types: f32 f16 bf16 f64 i1 i8 i16 i32 i64 u8.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KERNELGEN_KERNELSPEC_H
#define KILN_TOOLS_KERNELGEN_KERNELSPEC_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln::kernelgen {

struct ValueSpec {
  std::string dtype;
  std::vector<int64_t> shape;
};

struct ConstSpec {
  int id;
  std::vector<double> values; // exact for every integer up to 2^53
};

struct OpSpec {
  int id;
  std::string name;
  std::vector<int> operands;
  std::map<std::string, std::string> attrs;

  bool has(const std::string &key) const { return attrs.count(key) != 0; }
  std::string str(const std::string &key, const std::string &fallback) const;
  int64_t integer(const std::string &key, int64_t fallback) const;
  double real(const std::string &key, double fallback) const;
  std::vector<int64_t> integers(const std::string &key) const;
};

struct KernelSpec {
  std::string name, family;
  std::map<int, ValueSpec> values;
  std::vector<int> inputs;
  std::vector<ConstSpec> constants;
  std::vector<OpSpec> ops;
  std::vector<int> outputs;
};

struct SpecFile {
  std::string target;
  std::vector<KernelSpec> kernels;
};

/// Parses `text`; on a malformed file returns false with `error` naming the
/// line.
bool parseSpecFile(const std::string &text, SpecFile &file, std::string &error);

} // namespace kiln::kernelgen

#endif // KILN_TOOLS_KERNELGEN_KERNELSPEC_H
