//===- KernelSpec.cpp - parsing the kernel description format -------------===//
#include "KernelSpec.h"

#include <cstdlib>
#include <sstream>

namespace kiln::kernelgen {

std::string OpSpec::str(const std::string &key,
                        const std::string &fallback) const {
  auto it = attrs.find(key);
  return it == attrs.end() ? fallback : it->second;
}

int64_t OpSpec::integer(const std::string &key, int64_t fallback) const {
  auto it = attrs.find(key);
  return it == attrs.end() ? fallback : std::strtoll(it->second.c_str(), nullptr, 10);
}

double OpSpec::real(const std::string &key, double fallback) const {
  auto it = attrs.find(key);
  return it == attrs.end() ? fallback : std::strtod(it->second.c_str(), nullptr);
}

std::vector<int64_t> OpSpec::integers(const std::string &key) const {
  std::vector<int64_t> result;
  auto it = attrs.find(key);
  if (it == attrs.end() || it->second.empty())
    return result;
  std::stringstream stream(it->second);
  std::string item;
  while (std::getline(stream, item, ','))
    result.push_back(std::strtoll(item.c_str(), nullptr, 10));
  return result;
}

namespace {
class LineReader {
public:
  LineReader(const std::string &line, int number) : in(line), number(number) {}
  template <typename T> bool read(T &value) { return static_cast<bool>(in >> value); }
  /// Numbers go through strtod so "inf" and "nan" (constants) parse too.
  bool read(double &value) {
    std::string token;
    if (!(in >> token))
      return false;
    char *end = nullptr;
    value = std::strtod(token.c_str(), &end);
    return end && *end == '\0';
  }
  bool dims(std::vector<int64_t> &shape) {
    int rank;
    if (!read(rank) || rank < 0 || rank > 16)
      return false;
    shape.resize(rank);
    for (int64_t &dim : shape)
      if (!read(dim) || dim < 0)
        return false;
    return true;
  }
  int number;

private:
  std::istringstream in;
};
} // namespace

bool parseSpecFile(const std::string &text, SpecFile &file, std::string &error) {
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  KernelSpec *kernel = nullptr;
  auto fail = [&](const std::string &why) {
    error = "line " + std::to_string(number) + ": " + why;
    return false;
  };
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line[0] == '#')
      continue;
    LineReader in(line, number);
    std::string word;
    in.read(word);
    if (word == "kiln-kernels" || word == "end") {
      kernel = nullptr;
      continue;
    }
    if (word == "target") {
      if (!in.read(file.target))
        return fail("target needs a name");
      continue;
    }
    if (word == "kernel") {
      file.kernels.emplace_back();
      kernel = &file.kernels.back();
      if (!in.read(kernel->name) || !in.read(kernel->family))
        return fail("kernel needs a name and a family");
      continue;
    }
    if (!kernel)
      return fail("'" + word + "' outside a kernel");
    int id;
    if (!in.read(id))
      return fail("expected a value id after '" + word + "'");
    if (word == "value") {
      ValueSpec value;
      if (!in.read(value.dtype) || !in.dims(value.shape))
        return fail("bad value line");
      kernel->values[id] = value;
    } else if (word == "input") {
      kernel->inputs.push_back(id);
    } else if (word == "output") {
      kernel->outputs.push_back(id);
    } else if (word == "const") {
      ValueSpec value;
      ConstSpec constant{id, {}};
      size_t count;
      if (!in.read(value.dtype) || !in.dims(value.shape) || !in.read(count) ||
          count > (1u << 20))
        return fail("bad const line");
      constant.values.resize(count);
      for (double &v : constant.values)
        if (!in.read(v))
          return fail("const has fewer values than it says");
      kernel->values[id] = value;
      kernel->constants.push_back(constant);
    } else if (word == "op") {
      OpSpec op{id, "", {}, {}};
      int operands, attrs;
      if (!in.read(op.name) || !in.read(operands) || operands < 0)
        return fail("bad op line");
      op.operands.resize(operands);
      for (int &operand : op.operands)
        if (!in.read(operand))
          return fail("op has fewer operands than it says");
      if (!in.read(attrs) || attrs < 0)
        return fail("op needs an attribute count");
      for (int i = 0; i < attrs; ++i) {
        std::string attr;
        if (!in.read(attr) || attr.find('=') == std::string::npos)
          return fail("attributes are key=value");
        op.attrs[attr.substr(0, attr.find('='))] = attr.substr(attr.find('=') + 1);
      }
      kernel->ops.push_back(op);
    } else {
      return fail("unknown line kind '" + word + "'");
    }
  }
  return true;
}

} // namespace kiln::kernelgen
