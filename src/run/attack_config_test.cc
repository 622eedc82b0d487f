#include "run/attack_config.h"

#include "taxonomy/yaml_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace safeval {
namespace {

using ::testing::HasSubstr;

Status Parse(const std::string& yaml, AttackConfig* out) {
  YAML::Node root = YAML::Load(yaml);
  YamlMap map(root, "suite.yaml", 1);
  return ParseAttackConfig(map, out);
}

TEST(AttackConfig, ReadsTheMappingWithDefaults) {
  AttackConfig config;
  ASSERT_TRUE(Parse("name: s\nattack:\n  attacker: red\n", &config).ok());
  EXPECT_EQ(config.attacker_target, "red");
  EXPECT_EQ(config.max_rounds, 5);
  EXPECT_EQ(config.seeds, 0);
  ASSERT_TRUE(
      Parse("attack: {attacker: red, max_rounds: 3, seeds: 20, x-note: hi}\n", &config).ok());
  EXPECT_EQ(config.max_rounds, 3);
  EXPECT_EQ(config.seeds, 20);
}

TEST(AttackConfig, AbsentLeavesTheConfigAlone) {
  AttackConfig config;
  config.max_rounds = 9;
  ASSERT_TRUE(Parse("name: s\n", &config).ok());
  ASSERT_TRUE(Parse("name: s\nattack:\n", &config).ok());
  EXPECT_EQ(config.attacker_target, "");
  EXPECT_EQ(config.max_rounds, 9);
}

TEST(AttackConfig, ErrorsNameFileLineAndField) {
  AttackConfig config;
  EXPECT_THAT(Parse("name: s\nattack: yes\n", &config).message(),
              HasSubstr("suite.yaml:2: field 'attack': expected a mapping"));
  EXPECT_THAT(Parse("name: s\nattack:\n  max_rounds: 3\n", &config).message(),
              HasSubstr("suite.yaml:3: field 'attacker': required"));
  EXPECT_THAT(Parse("attack:\n  attacker: red\n  rounds: 3\n", &config).message(),
              HasSubstr("suite.yaml:3: field 'rounds': unknown key"));
  EXPECT_THAT(Parse("attack:\n  attacker: red\n  max_rounds: 0\n", &config).message(),
              HasSubstr("suite.yaml:3: field 'max_rounds': expected an integer from 1 to 50"));
  EXPECT_THAT(Parse("attack:\n  attacker: red\n  seeds: -1\n", &config).message(),
              HasSubstr("suite.yaml:3: field 'seeds'"));
  EXPECT_EQ(config.attacker_target, "");  // untouched by failures
}

}  // namespace
}  // namespace safeval
