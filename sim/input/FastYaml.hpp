#pragma once
// FastYaml: a fast reader for the plain subset of YAML that scenario files are written
// in, producing exactly the events (kinds, texts, tags, marks) that yaml-cpp's parser
// gives for the same text. yaml-cpp reads about 1,500 instructions per byte (its scanner
// matches regular expressions at every character); this reader a few dozen.
//
// It accepts only text it is sure of: one document whose top is a block map at column 0;
// block maps with plain one-line keys; block sequences indented under their key; values
// on one line: plain scalars, quoted scalars without escapes, flow maps and flow lists;
// comments and blank lines. Anything else (tabs, CR, anchors, aliases, tags, block
// scalars, multi-line scalars or flow collections, document markers, directives,
// non-ASCII text outside comments, any syntax error) makes it give up, and the caller
// parses the text with yaml-cpp, which then reports problems as before.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

namespace salesflow::input {

struct YamlEvent {
    enum class Kind { null, scalar, sequence_start, sequence_end, map_start, map_end };
    Kind kind = Kind::null;
    YAML::Mark mark;
    std::string text;     // scalars
    bool plain = true;    // scalars: tag "?" (plain) or "!" (quoted)
};

// The events of one document's content (without document start and end), or nullopt
// when the text is outside the subset or gives more than `max_events` events (memory
// stays bounded; yaml-cpp then reads the text and the tree builder refuses it as large).
std::optional<std::vector<YamlEvent>> fast_yaml_events(std::string_view text,
                                                       std::size_t max_events = static_cast<std::size_t>(-1));

// Sends `events` to `handler` as yaml-cpp's parser would (OnDocumentStart/End included).
void replay_yaml_events(const std::vector<YamlEvent>& events, YAML::EventHandler& handler);

}  // namespace salesflow::input
