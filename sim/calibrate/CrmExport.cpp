#include "calibrate/CrmExport.hpp"
#include "kernel/Time.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "calibrate/FieldParse.hpp"
#include "kernel/Distribution.hpp"
#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"

namespace salesflow::calibrate {

namespace {

std::string display(const std::string& name) {
    std::string out;
    bool start = true;
    for (char c : name) {
        if (c == '-' || c == '_') {
            out.push_back(' ');
            start = true;
        } else {
            out.push_back(start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
            start = false;
        }
    }
    return out;
}

std::string csv(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) {
        if (c == '"') o.push_back('"');
        o.push_back(c);
    }
    return o + "\"";
}

std::string money(double v, int style) {
    const long long cents = std::llround(v * 100.0);
    const long long units = cents / 100;
    std::string digits = std::to_string(units), grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
        grouped.push_back(digits[i]);
    }
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%02lld", cents % 100);
    switch (style) {
        case 0: return "$" + grouped + frac;          // $12,500.00
        case 1: return "USD " + grouped;               // USD 12,500
        case 2: return digits + frac;                  // 12500.00
        default: return std::to_string(units);         // 12500
    }
}

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
double unit(std::uint64_t x) { return static_cast<double>(mix(x) >> 11) * 0x1.0p-53; }

const char* first_names[] = {"Avery", "Jordan", "Riley", "Casey", "Morgan", "Quinn", "Harper", "Rowan", "Sage", "Emerson",
                             "Dakota", "Reese", "Parker", "Skyler", "Finley", "Hayden"};
const char* last_names[] = {"Chen", "Patel", "Garcia", "Müller", "Okafor", "Novak", "Silva", "Kowalski", "Nakamura", "Dubois"};
const double offsets[] = {0.0, -5.0, -8.0, 1.0, 5.5, -3.0};

}  // namespace

double default_export_start_h() { return static_cast<double>(days_from_civil(2023, 1, 2)) * 24.0; }

std::vector<double> stage_weights(const model::ScenarioConfig& cfg, int source) {
    std::vector<double> w;
    const double response = kernel::Distribution(cfg.sources[static_cast<std::size_t>(source)].response_time).mean();
    for (std::size_t s = 0; s < cfg.stages.size(); ++s) {
        const auto& st = cfg.stages[s];
        const auto& role = cfg.roles[static_cast<std::size_t>(st.roles.front())];
        const auto& cal = role.calendar.value_or(cfg.simulation.calendar);
        const double stretch = kernel::hours_per_week / std::max(1e-9, cal.hours_per_week());
        const double eff = role.efficiency.size() > s ? role.efficiency[s] : 1.0;
        const double work = kernel::Distribution(st.effort).mean() / (role.availability * eff) * stretch;
        w.push_back(std::max(1e-6, work + (st.touches - 1) * response));
    }
    return w;
}

CrmExportStats write_crm_export(const model::ScenarioConfig& cfg, const CrmExportOptions& opt, std::ostream& out) {
    CrmExportStats stats;
    const double cutoff = opt.export_at_h.value_or(cfg.simulation.horizon_h);
    std::vector<std::vector<double>> weights;
    for (std::size_t i = 0; i < cfg.sources.size(); ++i) weights.push_back(stage_weights(cfg, static_cast<int>(i)));
    // People, role by role, for owner names; leads never owned get a person of stage 0's role.
    std::vector<std::string> people;
    int first0 = 0, count0 = 1;
    for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
        if (static_cast<int>(r) == cfg.stages.front().roles.front()) {
            first0 = static_cast<int>(people.size());
            count0 = std::max(1, cfg.roles[r].headcount);
        }
        for (int k = 0; k < cfg.roles[r].headcount; ++k) {
            const std::size_t i = people.size();
            std::string n = std::string(first_names[i % 16]) + " " + last_names[(i / 16 + i * 7) % 10];
            if (i >= 160) {   // 160 distinct names, then numbered
                n += ' ';
                n += std::to_string(i / 160 + 1);
            }
            people.push_back(n);
        }
    }
    const bool messy = opt.messy;
    switch (opt.shape) {
        case ExportShape::stage_history:
            out << "Deal ID,Deal Name,Deal Stage,Stage Entered,Amount,Deal Owner,Original Source\n";
            break;
        case ExportShape::field_history:
            out << "OpportunityId,Field,OldValue,NewValue,CreatedDate\n";
            break;
        case ExportShape::deals:
            out << "Deal ID,Created Date,Close Date,Outcome,Amount,Owner,Source\n";
            break;
    }
    auto sink = [&](int, std::span<const model::LeadRecord> leads) {
        for (const auto& r : leads) {
            if (r.arrival_h > cutoff) continue;
            ++stats.leads;
            const std::uint64_t key = opt.seed * 1000003ULL + static_cast<std::uint64_t>(r.lead);
            const int person = r.owner >= 0 ? r.owner : first0 + static_cast<int>(r.lead % count0);
            const std::string owner = people.empty() ? "" : people[static_cast<std::size_t>(person) % people.size()];
            const double offset = messy ? offsets[static_cast<std::size_t>(person) % 6] : 0.0;
            const std::string source = display(cfg.sources[static_cast<std::size_t>(r.source)].name);
            const int L = std::max(0, r.last_stage);
            const auto& w = weights[static_cast<std::size_t>(r.source)];
            double total = 0;
            for (int s = 0; s <= L; ++s) total += w[static_cast<std::size_t>(s)];
            std::vector<double> entry(static_cast<std::size_t>(L) + 1);
            double acc = 0;
            for (int s = 0; s <= L; ++s) {
                entry[static_cast<std::size_t>(s)] = r.arrival_h + (r.exit_h - r.arrival_h) * acc / total;
                acc += w[static_cast<std::size_t>(s)];
            }
            const bool closed = r.outcome != model::Outcome::open && r.exit_h <= cutoff;
            std::string outcome;
            switch (r.outcome) {
                case model::Outcome::won: outcome = "Closed Won"; break;
                case model::Outcome::lost: outcome = "Closed Lost"; break;
                case model::Outcome::disqualified: outcome = "Disqualified"; break;
                case model::Outcome::abandoned:
                case model::Outcome::no_decision: outcome = "Closed - No Decision"; break;
                case model::Outcome::nurtured: outcome = "Closed Lost"; break;  // back later as a new lead
                case model::Outcome::open: break;
            }
            if (!closed) ++stats.open;
            const double t_last = entry.back();
            const bool reopen = messy && opt.shape != ExportShape::deals && closed && unit(key ^ 0xabc) < opt.reopen_share && r.exit_h - t_last > 2.0;
            const double reopen_at = t_last + 0.5 * (r.exit_h - t_last);
            if (reopen) ++stats.reopened;
            auto ts = [&](double t) {
                return opt.shape == ExportShape::field_history ? format_timestamp(opt.start_h + t, 0.0, false, true)
                                                               : format_timestamp(opt.start_h + t, offset, true, false);
            };
            const std::string stage_last = display(cfg.stages[static_cast<std::size_t>(L)].name);
            if (opt.shape == ExportShape::stage_history) {
                const std::string id = std::to_string(10000 + r.lead);
                const std::string name = csv("Synthetic Acme " + std::to_string(r.lead % 97) + ", Inc. - " + (messy && r.lead % 11 == 0 ? "\"Expansion\"" : "New"));
                const std::string amount = csv(money(r.value, messy ? static_cast<int>(mix(key) % 2) : 2));
                auto row = [&](const std::string& stage, double t) {
                    if (t > cutoff) return;
                    out << id << ',' << name << ',' << stage << ',' << ts(t) << ',' << amount << ',' << csv(owner) << ',' << source << "\r\n";
                    ++stats.rows;
                };
                for (int s = 0; s <= L; ++s) row(display(cfg.stages[static_cast<std::size_t>(s)].name), entry[static_cast<std::size_t>(s)]);
                if (closed) {
                    if (reopen) {
                        row("Closed Lost", reopen_at);
                        row(stage_last, reopen_at + 1.0 / 60.0);
                    }
                    row(outcome, r.exit_h);
                }
            } else if (opt.shape == ExportShape::field_history) {
                char idb[32];
                std::snprintf(idb, sizeof idb, "006Dn%010lld", static_cast<long long>(r.lead));
                const std::string id = idb;
                auto row = [&](const char* field, const std::string& oldv, const std::string& newv, double t) {
                    if (t > cutoff) return;
                    out << id << ',' << field << ',' << csv(oldv) << ',' << csv(newv) << ',' << ts(t) << '\n';
                    ++stats.rows;
                };
                row("created", "", "", r.arrival_h);
                row("Owner", "", owner, r.arrival_h);
                row("LeadSource", "", source, r.arrival_h);
                row("Amount", "", money(r.value, 2), r.arrival_h);
                for (int s = 1; s <= L; ++s)
                    row("StageName", display(cfg.stages[static_cast<std::size_t>(s - 1)].name), display(cfg.stages[static_cast<std::size_t>(s)].name),
                        entry[static_cast<std::size_t>(s)]);
                if (closed) {
                    if (reopen) {
                        row("StageName", stage_last, "Closed Lost", reopen_at);
                        row("StageName", "Closed Lost", stage_last, reopen_at + 1.0 / 60.0);
                    }
                    row("StageName", stage_last, outcome, r.exit_h);
                }
            } else {
                const std::string id = "D-" + std::to_string(r.lead);
                std::string oc = r.outcome == model::Outcome::won ? "Won"
                                 : r.outcome == model::Outcome::abandoned || r.outcome == model::Outcome::no_decision ? "No Decision"
                                                                                                                    : "Lost";
                out << id << ',' << ts(r.arrival_h) << ',' << (closed ? ts(r.exit_h) : "") << ',' << (closed ? oc : "") << ','
                    << csv(money(r.value, messy ? static_cast<int>(mix(key) % 4) : 2)) << ',' << csv(owner) << ',' << source << '\n';
                ++stats.rows;
            }
        }
    };
    model::MetricCatalog catalog(cfg);
    model::ModelOptions mo;
    mo.record_leads = true;
    mo.lead_sink = sink;
    model::SalesModel sim(cfg, catalog, mo);
    sim.run(opt.replication);
    return stats;
}

}  // namespace salesflow::calibrate
