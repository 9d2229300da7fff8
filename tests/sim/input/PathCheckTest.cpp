// PathCheck: the one check of a dotted PATH set to a VALUE, shared by the sweep file's
// varied paths and the study file's levers: a valid setting has no problem and leaves the
// tree as it was; a path through a missing item is reported at that segment of the path;
// a value the scenario refuses is reported with the scenario's reason.
#include <doctest/doctest.h>

#include "TestSupport.hpp"
#include "input/ConfigNode.hpp"
#include "input/PathCheck.hpp"
#include "input/TreeLoader.hpp"

using namespace salesflow::input;

namespace {
ConfigNode flow_tree() { return load_tree(std::string(SALESFLOW_SOURCE_DIR) + "/scenarios/flow-optimised.yaml"); }
ConfigNode value(const std::string& text) { return ConfigNode::scalar(text, false, Position{"s.yaml", 7, 20}); }
}  // namespace

TEST_CASE("check_setting: a valid value, a missing item, a refused value; the tree is not changed") {
    const ConfigNode tree = flow_tree();
    const ConfigNode copy = tree;
    CHECK(check_setting(tree, "roles.ae.headcount", value("5"), Position{"s.yaml", 7, 3}).empty());
    CHECK(path_settable(tree, "roles.ae.headcount", value("5"), Position{"s.yaml", 7, 3}));
    CHECK(tree.same_content(copy));

    const auto missing = check_setting(tree, "roles.seller.headcount", value("5"), Position{"s.yaml", 7, 3});
    REQUIRE(missing.items().size() == 1);
    CHECK(missing.items()[0].file == "s.yaml");
    CHECK(missing.items()[0].line == 7);
    CHECK(missing.items()[0].column == 9);   // at `seller`
    CHECK(missing.items()[0].message.find("there is no item named 'seller' in 'roles'") != std::string::npos);
    CHECK_FALSE(path_settable(tree, "roles.seller.headcount", value("5"), Position{"s.yaml", 7, 3}));

    const auto refused = check_setting(tree, "roles.ae.headcount", value("-1"), Position{"s.yaml", 7, 3});
    REQUIRE_FALSE(refused.empty());
    CHECK(refused.items()[0].line == 7);
    CHECK(refused.items()[0].column == 20);   // at the value
    CHECK(path_settable(tree, "roles.ae.headcount", value("-1"), Position{"s.yaml", 7, 3}));   // the path itself is fine
}
