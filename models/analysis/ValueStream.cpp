#include "models/analysis/ValueStream.hpp"

#include <algorithm>

namespace salesflow::model::analysis {

const char* stream_part_name(StreamPart p) {
    switch (p) {
        case StreamPart::queue: return "queue";
        case StreamPart::work: return "work";
        case StreamPart::between: return "between";
        case StreamPart::blocked: return "blocked";
        case StreamPart::handoff: return "handoff";
    }
    return "?";
}

ValueStream::ValueStream(const ScenarioConfig& cfg) : stages_(cfg.stages.size()), warmup_(cfg.simulation.warmup_h) {}

void ValueStream::add_replication(std::span<const FlowEvent> events) {
    Rep rep;
    for (int k = 0; k < 2; ++k) {
        rep.parts[k].assign(stages_ * stream_parts, 0.0);
        rep.handoffs[k].assign(stages_, 0.0);
    }
    rep.entered.assign(stages_, 0.0);
    rep.ended.assign(stages_ * outcome_count, 0.0);
    std::unordered_map<std::int64_t, LeadState> live;
    for (const FlowEvent& ev : events) {
        if (ev.type == FlowEventType::arrive) {
            LeadState st;
            st.last_t = ev.time_h;
            st.arrival = ev.time_h;
            st.parts.assign(stages_ * stream_parts, 0.0);
            st.handoffs.assign(stages_, 0);
            st.entered.assign(stages_, 0);
            live[ev.lead] = std::move(st);
            continue;
        }
        auto it = live.find(ev.lead);
        if (it == live.end()) continue;  // cannot happen: every lead arrives first
        LeadState& st = it->second;
        const double dt = ev.time_h - st.last_t;
        StreamPart part = StreamPart::between;
        std::int32_t stage = st.stage;
        if (ev.type == FlowEventType::enter) {
            part = StreamPart::blocked;
            stage = ev.stage;
        } else if (st.last_type == FlowEventType::queue) {
            part = StreamPart::queue;
        } else if (st.last_type == FlowEventType::start) {
            part = StreamPart::work;
        } else if (st.last_type == FlowEventType::handoff_delay) {
            part = StreamPart::handoff;
        }
        if (stage >= 0 && static_cast<std::size_t>(stage) < stages_)
            st.parts[static_cast<std::size_t>(stage) * stream_parts + static_cast<std::size_t>(part)] += dt;
        if (ev.type == FlowEventType::enter && ev.stage >= 0) {
            st.stage = ev.stage;
            st.entered[static_cast<std::size_t>(ev.stage)] = 1;
        }
        if (ev.type == FlowEventType::handoff && st.stage >= 0) ++st.handoffs[static_cast<std::size_t>(st.stage)];
        st.last_t = ev.time_h;
        st.last_type = ev.type;
        if (ev.type != FlowEventType::exit) continue;
        if (ev.time_h >= warmup_) {
            const bool won = ev.outcome == static_cast<std::int32_t>(Outcome::won);
            for (int k = 0; k < (won ? 2 : 1); ++k) {
                for (std::size_t i = 0; i < st.parts.size(); ++i) rep.parts[k][i] += st.parts[i];
                for (std::size_t s = 0; s < stages_; ++s) rep.handoffs[k][s] += st.handoffs[s];
                rep.lead_time[k] += ev.time_h - st.arrival;
                rep.leads[k] += 1.0;
            }
            for (std::size_t s = 0; s < stages_; ++s) rep.entered[s] += st.entered[s];
            if (st.stage >= 0 && ev.outcome >= 0 && static_cast<std::size_t>(ev.outcome) < outcome_count)
                rep.ended[static_cast<std::size_t>(st.stage) * outcome_count + static_cast<std::size_t>(ev.outcome)] += 1.0;
        }
        live.erase(it);
    }
    for (int k = 0; k < 2; ++k) {
        const double n = rep.leads[k];
        if (n <= 0.0) continue;
        for (double& v : rep.parts[k]) v /= n;
        for (double& v : rep.handoffs[k]) v /= n;
        rep.lead_time[k] /= n;
    }
    reps_.push_back(std::move(rep));
}

ValueStream::Figures ValueStream::figures(int subset) const {
    const auto k = static_cast<std::size_t>(subset);
    Figures f;
    std::vector<double> col(reps_.size());
    auto over = [&](auto get) {
        for (std::size_t r = 0; r < reps_.size(); ++r) col[r] = get(reps_[r]);
        return kernel::summarize(col);
    };
    f.stages.resize(stages_);
    for (std::size_t s = 0; s < stages_; ++s) {
        for (std::size_t p = 0; p < stream_parts; ++p)
            f.stages[s].part[p] = over([&](const Rep& r) { return r.parts[k][s * stream_parts + p]; });
        f.stages[s].total = over([&](const Rep& r) {
            double t = 0.0;
            for (std::size_t p = 0; p < stream_parts; ++p) t += r.parts[k][s * stream_parts + p];
            return t;
        });
        f.stages[s].handoffs = over([&](const Rep& r) { return r.handoffs[k][s]; });
    }
    f.lead_time = over([&](const Rep& r) { return r.lead_time[k]; });
    f.leads = over([&](const Rep& r) { return r.leads[k]; });
    return f;
}

std::vector<ValueStream::FunnelStage> ValueStream::funnel() const {
    std::vector<FunnelStage> out(stages_);
    std::vector<double> col(reps_.size());
    auto over = [&](auto get) {
        for (std::size_t r = 0; r < reps_.size(); ++r) col[r] = get(reps_[r]);
        return kernel::summarize(col);
    };
    for (std::size_t s = 0; s < stages_; ++s) {
        out[s].entered = over([&](const Rep& r) { return r.entered[s]; });
        for (std::size_t o = 0; o < outcome_count; ++o)
            out[s].ended[o] = over([&](const Rep& r) { return r.ended[s * outcome_count + o]; });
    }
    return out;
}

}  // namespace salesflow::model::analysis
