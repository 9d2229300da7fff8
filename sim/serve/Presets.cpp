#include "serve/Presets.hpp"

#include <filesystem>
#include <set>

#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/TreeLoader.hpp"
#include "input/ValueReader.hpp"
#include "serve/BoardRun.hpp"

namespace salesflow::serve {

std::string presets_path(const ScenarioFolder& folder) {
    return (std::filesystem::path(folder.given()) / "board" / "presets.yaml").string();
}

namespace {

void unknown_keys(const input::ConfigNode& map, const std::string& path, const std::set<std::string>& allowed,
                  input::Diagnostics& diags) {
    for (const auto& e : map.entries())
        if (!allowed.count(e.key)) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            diags.add(e.key_pos, input::join_path(path, e.key), "unknown key '" + e.key + "' (allowed: " + list + ")");
        }
}

std::string required_text(const input::ConfigNode& map, const std::string& key, const std::string& path,
                          input::ValueReader& read, input::Diagnostics& diags) {
    const auto* n = map.find(key);
    if (!n) {
        diags.add(map.pos(), input::join_path(path, key), "required key '" + key + "' is missing");
        return {};
    }
    return read.text(*n, input::join_path(path, key)).value_or("");
}

}  // namespace

std::vector<Preset> load_presets(const std::string& path, const ScenarioFolder& folder, const ServeLimits& limits) {
    const input::ConfigNode root = input::load_tree(path);
    input::Diagnostics diags;
    input::ValueReader read(diags);
    std::vector<Preset> out;
    unknown_keys(root, "", {"presets"}, diags);
    const auto* list = root.find("presets");
    if (!list || !list->is_sequence()) {
        diags.add(list ? list->pos() : root.pos(), "presets", "must be a list of presets");
        diags.throw_if_any();
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list->items().size(); ++i) {
        const auto& item = list->items()[i];
        const std::string p = "presets[" + std::to_string(i + 1) + "]";
        if (!item.is_map()) {
            diags.add(item.pos(), p, "must be a map with id, title, question and boards");
            continue;
        }
        unknown_keys(item, p, {"id", "title", "question", "note", "seconds_per_week", "boards"}, diags);
        Preset pr;
        pr.id = required_text(item, "id", p, read, diags);
        if (!pr.id.empty() && !ids.insert(pr.id).second)
            diags.add(item.find("id")->pos(), p + ".id", "duplicate preset id '" + pr.id + "'");
        pr.title = required_text(item, "title", p, read, diags);
        pr.question = required_text(item, "question", p, read, diags);
        if (const auto* n = item.find("note")) pr.note = read.text(*n, p + ".note").value_or("");
        if (const auto* n = item.find("seconds_per_week"))
            pr.seconds_per_week = read.number(*n, p + ".seconds_per_week", input::Range::closed(0.1, 60.0)).value_or(0.0);
        const auto* boards = item.find("boards");
        if (!boards || !boards->is_sequence() || boards->items().empty() || boards->items().size() > 2) {
            diags.add(boards ? boards->pos() : item.pos(), p + ".boards", "must be a list of one or two boards");
            continue;
        }
        for (std::size_t b = 0; b < boards->items().size(); ++b) {
            const auto& bn = boards->items()[b];
            const std::string bp = p + ".boards[" + std::to_string(b + 1) + "]";
            if (!bn.is_map()) {
                diags.add(bn.pos(), bp, "must be a map {file, set}");
                continue;
            }
            unknown_keys(bn, bp, {"file", "set"}, diags);
            PresetBoard board;
            board.file = required_text(bn, "file", bp, read, diags);
            if (const auto* s = bn.find("set")) {
                if (!s->is_sequence()) diags.add(s->pos(), bp + ".set", "must be a list of PATH=VALUE overrides");
                else
                    for (const auto& v : s->items()) board.sets.push_back(read.text(v, bp + ".set").value_or(""));
            }
            if (board.file.empty()) continue;
            const input::Position at = bn.find("file")->pos();
            try {
                const auto cfg = input::load_scenario(folder.resolve(board.file), board.sets);
                check_overrides(board.sets, limits);
                check_limits(cfg, limits);
            } catch (const AccessError& e) {
                diags.add(at, bp + ".file", e.what());
            } catch (const LimitError& e) {
                diags.add(at, bp, e.what());
            } catch (const input::InputError& e) {
                for (const auto& d : e.diagnostics()) diags.add(at, bp, "does not load: " + d.str());
            }
            pr.boards.push_back(std::move(board));
        }
        out.push_back(std::move(pr));
    }
    diags.throw_if_any();
    return out;
}

}  // namespace salesflow::serve
