# lit configuration for kiln: FileCheck tests of the dialect, passes,
# pipeline and driver, plus the GoogleTest unit tests (test/unit).
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

llvm_config.with_system_environment(["HOME", "TMP", "TEMP", "KILN_LLAMA_DIR", "KILN_ORT_DIR"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%kiln_src", config.kiln_src_root))
config.substitutions.append(("%kiln_obj", config.kiln_obj_root))
config.substitutions.append(("%kiln_bin", os.path.join(config.kiln_tools_dir, "kiln")))
config.substitutions.append(("%debian_python", config.debian_python))
# llama.cpp's tokenizer test vocabularies (its source, unpacked by scripts/setup).
config.substitutions.append(("%llama_models", os.path.join(os.environ.get(
    "KILN_LLAMA_DIR", os.path.join(os.path.expanduser("~"), ".cache", "kiln", "llama")),
    "src", "models")))
# Generated test models too large to make on every run (seeded, so a cached
# copy is the same bytes): outside the clone.
config.substitutions.append(("%kiln_cache", os.environ.get(
    "KILN_CACHE_DIR", os.path.join(os.path.expanduser("~"), ".cache", "kiln", "models"))))
# ONNX's own conformance models (Debian's libonnx-testdata).
config.substitutions.append(("%onnx_node", "/usr/share/libonnx-testdata/data/node"))

tool_dirs = [config.kiln_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["kiln", "kiln-opt", "kiln-unit-tests", "kiln-asan-tests", "kiln-kernelgen-tests", "llvm-objdump"], tool_dirs)

# Memory checking of generated libraries where valgrind is installed.
if shutil.which("valgrind"):
    config.available_features.add("valgrind")

# AVX512-VNNI on this CPU, and LLVM 19's llc to compile kernels that use it
# for the host target (tools/kiln-kernel-gen/main.cpp).
def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                return line.split(":", 1)[1].split()
    except OSError:
        pass
    return []
if "avx512_vnni" in cpu_flags() and os.path.exists(os.path.join(config.llvm_tools_dir, "llc")):
    config.available_features.add("avx512-vnni")

# GPU libraries. An OpenCL device (scripts/setup installs pocl, an OpenCL
# implementation on the CPU, with the ICD loader libOpenCL.so.1) runs --target=opencl libraries, the GPU schedules and device-resident
# buffers the CUDA targets use; an NVIDIA driver (libcuda) runs CUDA ones.
import glob
# (CUDA toolkits' stub libcuda.so, without a driver, does not count.)
if glob.glob("/usr/lib/*/libOpenCL.so*") and glob.glob("/etc/OpenCL/vendors/*.icd"):
    config.available_features.add("opencl-device")
if glob.glob("/usr/lib/*/libcuda.so*") or glob.glob("/usr/lib64/libcuda.so*"):
    config.available_features.add("cuda-driver")

# Running aarch64 libraries on this x86 machine: Debian's cross compiler and
# qemu-user with the cross libc as its sysroot (scripts/setup installs both).
aarch64_sysroot = "/usr/aarch64-linux-gnu"
if (shutil.which("aarch64-linux-gnu-gcc")
        and os.path.exists(os.path.join(config.kiln_obj_root, "lib", "kiln_runtime-aarch64.o"))):
    config.available_features.add("aarch64-cross")
    if (shutil.which("qemu-aarch64")
            and os.path.exists(os.path.join(aarch64_sysroot, "lib", "ld-linux-aarch64.so.1"))):
        config.available_features.add("aarch64-emulation")
config.substitutions.append(("%aarch64_cc", "aarch64-linux-gnu-gcc"))
config.substitutions.append(("%qemu_aarch64", "qemu-aarch64 -L " + aarch64_sysroot))

# Models over 2 GB (e2e/onnx-large.test) need about 7 GB of free disk
# beside the test outputs and 4 GB of memory for numpy's reference.
if shutil.disk_usage(config.kiln_obj_root).free > (10 << 30):
    config.available_features.add("disk-10g")
