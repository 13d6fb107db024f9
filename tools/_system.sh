# Sourced by tools/demo and tools/test: install the Debian packages listed in the files
# given as arguments when any is missing (apt-get as root; otherwise say what to run).
system_packages() {
  local missing=() package
  for list in "$@"; do
    while read -r package; do
      [ -z "$package" ] || [ "${package#\#}" != "$package" ] && continue
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
    done <"$list"
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing system packages (install them with your package manager): ${missing[*]}" >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}
