#pragma once
// WebAssets: the board page (sim/serve/web/: index.html, board.css, board.js), embedded in
// the binary at build time (EmbedAssets.cmake writes WebAssets.cpp), so that `salesflow
// serve` needs no installed files and the page loads nothing from elsewhere.
#include <string_view>
#include <vector>

namespace salesflow::serve {

struct WebAsset {
    std::string_view path;          // URL path, e.g. "/board.js"
    std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
    std::string_view body;
};

const std::vector<WebAsset>& web_assets();

}  // namespace salesflow::serve
