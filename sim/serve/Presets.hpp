#pragma once
// Presets: the facilitator's script for the board, read from `board/presets.yaml` in the
// served folder (docs/serve.md): each workshop demo as one click, one or two boards (a
// scenario file of the folder with --set overrides each) and the question to ask the room.
// Every preset is checked when the server starts: its files resolve inside the folder,
// load with their overrides and fit the limits; problems are reported as
// `FILE:LINE:COLUMN: PATH: reason` (InputError).
#include <string>
#include <vector>

#include "serve/ScenarioFolder.hpp"
#include "serve/ServeLimits.hpp"

namespace salesflow::serve {

struct PresetBoard {
    std::string file;                 // relative to the served folder
    std::vector<std::string> sets;    // --set overrides
};

struct Preset {
    std::string id;
    std::string title;
    std::string question;             // to ask the room
    std::string note;                 // what to look at (optional)
    double seconds_per_week = 0.0;    // playback speed; 0 = the page's default
    std::vector<PresetBoard> boards;  // one, or two side by side on the same arrivals
};

// The presets file of a folder: FOLDER/board/presets.yaml.
std::string presets_path(const ScenarioFolder& folder);

// Reads and checks the file; throws input::InputError listing every problem.
std::vector<Preset> load_presets(const std::string& path, const ScenarioFolder& folder, const ServeLimits& limits);

}  // namespace salesflow::serve
