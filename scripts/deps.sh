# Sourced by the other scripts: installs the Debian packages salesflow needs, and only
# those that are missing (apt-get runs only when something is missing).
salesflow_packages=(
  build-essential cmake
  libboost-dev libboost-random-dev libboost-program-options-dev libboost-math-dev
  libeigen3-dev libyaml-cpp-dev libhdf5-dev doctest-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-pandas python3-matplotlib python3-numpy
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

salesflow_jobs() { nproc 2>/dev/null || echo 2; }
