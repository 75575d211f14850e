// Unit tests of the shape arithmetic behind kiln's type inference
// (kiln/Dialect/Kiln/KilnTypeUtils.h), against numpy's broadcasting rules.
#include "kiln/Dialect/Kiln/KilnTypeUtils.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

namespace {
using namespace mlir;
using namespace mlir::kiln;
constexpr int64_t kDyn = ShapedType::kDynamic;

std::optional<std::vector<int64_t>> bcast(std::vector<int64_t> a,
                                          std::vector<int64_t> b) {
  auto result = broadcastShapes(a, b);
  if (!result)
    return std::nullopt;
  return std::vector<int64_t>(result->begin(), result->end());
}

TEST(Broadcast, NumpyRules) {
  // np.broadcast_shapes((8,1,6,1), (7,1,5)) == (8,7,6,5)
  EXPECT_EQ(bcast({8, 1, 6, 1}, {7, 1, 5}), (std::vector<int64_t>{8, 7, 6, 5}));
  EXPECT_EQ(bcast({5, 4}, {1}), (std::vector<int64_t>{5, 4}));
  EXPECT_EQ(bcast({}, {3}), (std::vector<int64_t>{3}));
  EXPECT_EQ(bcast({0, 1}, {1, 3}), (std::vector<int64_t>{0, 3}));
  EXPECT_FALSE(bcast({3}, {4}).has_value());
  EXPECT_FALSE(bcast({2, 1}, {8, 4, 3}).has_value());
}

TEST(Broadcast, DynamicDims) {
  EXPECT_EQ(bcast({kDyn, 4}, {3, 1}), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(bcast({kDyn}, {1}), (std::vector<int64_t>{kDyn}));
  EXPECT_EQ(bcast({kDyn}, {kDyn}), (std::vector<int64_t>{kDyn}));
}

TEST(Axes, Normalize) {
  EXPECT_EQ(normalizeAxis(-1, 3), 2);
  EXPECT_EQ(normalizeAxis(0, 3), 0);
  EXPECT_FALSE(normalizeAxis(3, 3).has_value());
  EXPECT_FALSE(normalizeAxis(-4, 3).has_value());
  EXPECT_FALSE(normalizeAxis(0, 0).has_value());
}

TEST(Shapes, ElementCountAndFormat) {
  EXPECT_EQ(staticElementCount({2, 3, 4}), 24);
  EXPECT_EQ(staticElementCount({}), 1);
  EXPECT_FALSE(staticElementCount({2, kDyn}).has_value());
  EXPECT_FALSE(staticElementCount({int64_t(1) << 40, int64_t(1) << 40})
                   .has_value());
  EXPECT_EQ(formatShape({4, kDyn, 8}), "4x?x8");
  EXPECT_EQ(formatShape({}), "scalar");
  EXPECT_EQ(formatList({0, -2, 1}), "[0, -2, 1]");
  EXPECT_EQ(formatList({}), "[]");
}

TEST(Types, Refinable) {
  MLIRContext context;
  Type f32 = Float32Type::get(&context), f16 = Float16Type::get(&context);
  Type static2x3 = RankedTensorType::get({2, 3}, f32);
  Type dyn2 = RankedTensorType::get({kDyn, 3}, f32);
  Type unranked = UnrankedTensorType::get(f32);
  EXPECT_TRUE(areRefinableTypes(static2x3, dyn2));
  EXPECT_TRUE(areRefinableTypes(unranked, static2x3));
  EXPECT_FALSE(areRefinableTypes(static2x3, RankedTensorType::get({2, 4}, f32)));
  EXPECT_FALSE(areRefinableTypes(static2x3, RankedTensorType::get({2, 3}, f16)));
  EXPECT_FALSE(areRefinableTypes(static2x3, RankedTensorType::get({6}, f32)));
  EXPECT_EQ(refineType(static2x3, dyn2), static2x3);
  EXPECT_EQ(refineType(unranked, dyn2), dyn2);
  EXPECT_EQ(refineType(dyn2, unranked), dyn2);
}
} // namespace
