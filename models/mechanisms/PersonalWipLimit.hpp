#pragma once
// Personal WIP limit (`roles.X.wip_limit`, with ownership): a person who owns as many
// open deals as the limit takes no task that would make them the owner of another; such
// work waits (pull), while work on deals already owned goes on.
#include "models/engine/State.hpp"

namespace salesflow::model::mechanisms {

class PersonalWipLimit {
public:
    template <class E> bool may_take(const E& e, const engine::Person& p, const engine::Lead& lead, int stage) const {
        const auto& own = e.cfg().ownership;
        const int limit = e.cfg().roles[static_cast<std::size_t>(p.role)].wip_limit;
        return !(own.enabled && limit > 0 && lead.owner < 0 && stage >= own.from_stage && p.owned >= limit);
    }
};

}  // namespace salesflow::model::mechanisms
