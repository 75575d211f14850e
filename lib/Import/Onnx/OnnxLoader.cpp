//===- OnnxLoader.cpp - parse, check and shape-infer an ONNX file ---------===//
#include "OnnxLoader.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"

#include <fstream>

// libonnx 1.12 defines, but its header does not declare, the checker entry
// that takes a context; `check_model(path)` uses it with the model's
// directory, where external data is looked up. kiln calls it the same way
// on the model it already parsed (check_model(model) would look up
// external data relative to the working directory).
namespace onnx::checker {
void check_model(const ModelProto &model, CheckerContext &ctx);
} // namespace onnx::checker

namespace kiln::onnx_import {

/// libonnx messages can span lines; errors are one line.
static std::string firstLine(const char *message) {
  std::string text(message);
  return text.substr(0, text.find('\n'));
}

LoadedModel loadOnnxModel(const std::string &path, bool check) {
  LoadedModel result;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    result.error = "cannot open the file";
    return result;
  }
  auto model = std::make_unique<onnx::ModelProto>();
  try {
    if (!model->ParseFromIstream(&file)) {
      result.error = "not a valid ONNX protobuf (truncated or corrupt file)";
      return result;
    }
    if (!model->has_graph()) {
      result.error = "the model has no graph";
      return result;
    }
    if (check) {
      onnx::checker::CheckerContext context;
      size_t slash = path.find_last_of('/');
      context.set_model_dir(slash == std::string::npos ? "" : path.substr(0, slash + 1));
      onnx::checker::check_model(*model, context);
      onnx::ShapeInferenceOptions options(/*check_type=*/false,
                                          /*strict_mode=*/0,
                                          /*data_prop=*/true);
      onnx::shape_inference::InferShapes(*model, onnx::OpSchemaRegistry::Instance(),
                                         options);
    }
  } catch (const onnx::checker::ValidationError &error) {
    result.error = "the ONNX checker rejects it: " + firstLine(error.what());
    return result;
  } catch (const std::exception &error) {
    result.error = "ONNX shape inference failed: " + firstLine(error.what());
    return result;
  } catch (...) {
    result.error = "libonnx failed with an unknown error";
    return result;
  }
  result.model = std::move(model);
  return result;
}

bool sameSchema(const std::string &opType, int64_t opset, int64_t reference) {
  const onnx::OpSchema *at = onnx::OpSchemaRegistry::Schema(opType, int(opset));
  const onnx::OpSchema *ref =
      onnx::OpSchemaRegistry::Schema(opType, int(reference));
  return at && ref && at->since_version() == ref->since_version();
}

} // namespace kiln::onnx_import
