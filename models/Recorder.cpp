#include "models/Recorder.hpp"

namespace salesflow::model {

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::won: return "won";
        case Outcome::lost: return "lost";
        case Outcome::disqualified: return "disqualified";
        case Outcome::abandoned: return "abandoned";
        case Outcome::open: return "open";
        case Outcome::no_decision: return "no_decision";
        case Outcome::nurtured: return "nurtured";
    }
    return "unknown";
}

}  // namespace salesflow::model
