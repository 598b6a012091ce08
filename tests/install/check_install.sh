#!/usr/bin/env bash
# cmake --install into a scratch prefix, then check the installed file set:
# every installed tool runs, and has its man page, bash and zsh completion;
# the overview page and the sample data are there.
set -euo pipefail
build=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/geoenc-install-XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail=0
need() { [[ -e $prefix/$1 ]] || { echo "FAIL: $1 is not installed"; fail=1; }; }
tools=$(cd "$prefix/bin" && ls geoenc-*)
[[ -n $tools ]] || { echo "FAIL: no tools in bin/"; exit 1; }
for t in $tools; do
  need "share/man/man1/$t.1"
  need "share/bash-completion/completions/$t"
  need "share/zsh/vendor-completions/_$t"
  "$prefix/bin/$t" --version >/dev/null || { echo "FAIL: installed $t --version fails"; fail=1; }
done
need share/man/man7/geoenc.7
need share/geoenc/sample/sites.gpkg
need share/geoenc/sample/sites.csv
# Nothing unexpected: only these top-level folders.
extra=$(cd "$prefix" && find . -mindepth 1 -maxdepth 2 -type d | sort | grep -v -x -e ./bin -e ./share -e ./share/man \
  -e ./share/bash-completion -e ./share/zsh -e ./share/geoenc || true)
[[ -z $extra ]] || { echo "FAIL: unexpected folders: $extra"; fail=1; }
[[ $fail -eq 0 ]] && echo "installed: $(echo $tools)"
exit $fail
