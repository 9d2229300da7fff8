# Sourced by the other scripts: installs the Debian packages salesflow needs, and only
# those that are missing (apt-get runs only when something is missing).
salesflow_packages=(
  build-essential cmake
  libboost-dev libboost-random-dev libboost-program-options-dev libboost-math-dev
  libeigen3-dev libyaml-cpp-dev libhdf5-dev doctest-dev
  libopenmpi-dev openmpi-bin
  libcpp-httplib-dev nlohmann-json3-dev
  python3 python3-h5py python3-pandas python3-matplotlib python3-numpy
  python3-scipy python3-yaml python3-openpyxl
  chromium
)

salesflow_install_deps() {
  local missing=()
  for p in "${salesflow_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# Node.js and npm for the browser checks of the reports (tests/browser): installed from
# Debian only when the commands are missing (a Node.js from elsewhere that brings its own
# npm is kept), then playwright-core from the npm registry with `npm ci`, only when
# tests/browser/node_modules lacks it. No browser is downloaded: the checks drive
# Debian's /usr/bin/chromium.
salesflow_install_browser_deps() {
  local root=$1 missing=()
  command -v node > /dev/null 2>&1 || missing+=(nodejs)
  command -v npm > /dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  if [ ! -f "$root/tests/browser/node_modules/playwright-core/package.json" ]; then
    (cd "$root/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

salesflow_jobs() { nproc 2>/dev/null || echo 2; }
