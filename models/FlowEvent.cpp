#include "models/FlowEvent.hpp"

namespace salesflow::model {

const char* flow_event_name(FlowEventType t) {
    switch (t) {
        case FlowEventType::arrive: return "arrive";
        case FlowEventType::enter: return "enter";
        case FlowEventType::queue: return "queue";
        case FlowEventType::start: return "start";
        case FlowEventType::end: return "end";
        case FlowEventType::handoff: return "handoff";
        case FlowEventType::exit: return "exit";
        case FlowEventType::handoff_delay: return "handoff_delay";
    }
    return "unknown";
}

}  // namespace salesflow::model
