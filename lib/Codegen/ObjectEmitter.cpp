//===- ObjectEmitter.cpp - LLVM-dialect module -> object file -------------===//
#include "kiln/Codegen/Codegen.h"
#include "kiln/Codegen/Targets.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

namespace kiln {
using namespace mlir;

LogicalResult emitObjectFile(ModuleOp llvmModule, StringRef path,
                             const TargetInfo &targetInfo) {
  MLIRContext *context = llvmModule.getContext();
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);

  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  const std::string &triple = targetInfo.triple;
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(llvmModule.getLoc()) << "no LLVM target for " << triple
                                          << ": " << error;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, targetInfo.cpu, targetInfo.llvmFeatures, llvm::TargetOptions(),
      llvm::Reloc::PIC_));

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> module =
      translateModuleToLLVMIR(llvmModule, llvmContext, "kiln_graph");
  if (!module)
    return emitError(llvmModule.getLoc())
           << "cannot translate the orchestration to LLVM IR";
  module->setTargetTriple(triple);
  module->setDataLayout(machine->createDataLayout());

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return emitError(llvmModule.getLoc()) << "cannot write '" << path
                                          << "': " << ec.message();
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, out, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return emitError(llvmModule.getLoc())
           << "LLVM cannot emit object files for " << triple;
  passes.run(*module);
  out.flush();
  return success();
}

} // namespace kiln
