// The shared YAML mapping reader: keys, lines, types, ranges, UTF-8.
#include "taxonomy/yaml_map.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

TEST(YamlMap, ReportsUnknownAndRepeatedKeysWithTheirLines) {
  YAML::Node root = YAML::Load("a: 1\nb: two\nx-note: ok\nc: 3\n");
  YamlMap map(root, "f.yaml", 1);
  Status s = map.CheckKeys({"a", "b"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "f.yaml:4: field 'c': unknown key (expected one of a, b, or an extension key starting with 'x-')");
  YAML::Node twice = YAML::Load("a: 1\na: 2\n");
  Status repeated = YamlMap(twice, "g.yaml", 1).CheckKeys({"a"});
  EXPECT_EQ(repeated.message(), "g.yaml:2: field 'a': repeated key (first at line 1)");
}

TEST(YamlMap, ReadsTypedValuesWithinRanges) {
  YAML::Node root = YAML::Load("n: 7\nbig: 99\nf: 0.5\nword: hi\nlist: [1]\n");
  YamlMap map(root, "f.yaml", 1);
  EXPECT_EQ(*map.Int("n", 0, 1, 10), 7);
  EXPECT_EQ(*map.Int("absent", 42, 1, 10), 42);
  EXPECT_EQ(map.Int("big", 0, 1, 10).status().message(),
            "f.yaml:2: field 'big': expected an integer from 1 to 10, got 99");
  EXPECT_EQ(map.Int("word", 0, 1, 10).status().message(), "f.yaml:4: field 'word': expected an integer");
  EXPECT_DOUBLE_EQ(*map.Double("f", 0, 0, 1), 0.5);
  EXPECT_EQ(*map.String("word", true), "hi");
  EXPECT_EQ(map.String("list", false).status().message(), "f.yaml:5: field 'list': expected a string");
  EXPECT_EQ(map.String("absent", true).status().message(),
            "f.yaml:1: field 'absent': required; expected a non-empty string");
}

TEST(YamlMap, CheckUtf8NamesLineAndByte) {
  EXPECT_TRUE(CheckUtf8("name: caf\xC3\xA9\n", "s.yaml").ok());
  Status bad = CheckUtf8("a: 1\nname: caf\xE9\n", "s.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.message(), "s.yaml:2: invalid UTF-8 at byte 10 of the line");
}

}  // namespace
}  // namespace safeval
