#pragma once
// LeadLog: with ModelOptions::record_leads, one LeadRecord per lead (exits as they
// happen, open leads at the horizon), handed to the lead sink in chunks as the run goes.
#include "models/Recorder.hpp"
#include "models/SalesModel.hpp"
#include "models/engine/State.hpp"

namespace salesflow::model::observe {

class LeadLog {
public:
    template <class E> void on_exit(E& e, std::uint32_t l, Outcome o) {
        if (!e.options().record_leads) return;
        add(e, e.lead(l), e.now(), o);
        if (e.options().lead_sink && e.output().leads.size() >= e.options().lead_chunk) flush(e);
    }
    template <class E> void on_finish(E& e) {
        if (!e.options().record_leads) return;
        for (const auto& ld : e.leads())
            if (ld.alive) add(e, ld, e.horizon(), Outcome::open);
        if (e.options().lead_sink) flush(e);
    }

private:
    template <class E> static void add(E& e, const engine::Lead& ld, double at, Outcome o) {
        e.output().leads.push_back(LeadRecord{e.replication(), ld.id, ld.source, ld.arrival, at, o, ld.quality,
                                              ld.value, ld.stage, ld.work, ld.waited, ld.hands, ld.owned_by});
    }
    template <class E> static void flush(E& e) {
        auto& leads = e.output().leads;
        if (leads.empty()) return;
        e.options().lead_sink(e.replication(), leads);
        leads.clear();
    }
};

}  // namespace salesflow::model::observe
