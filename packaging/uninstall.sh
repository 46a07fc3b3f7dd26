#!/bin/sh
# uninstall.sh PREFIX: removes what assemble.sh (make install) put under PREFIX, and nothing
# else: the files lib/jrun/installed-files lists (bin/jrun, the man pages, the bash
# completion), lib/jrun/ itself, and the directories it lists, those install had to make,
# once they are empty.
set -eu
prefix=$1
lib="$prefix/lib/jrun"
list="$lib/installed-files"
if [ ! -d "$lib" ]; then
    echo "uninstall: no jrun under $prefix (no $lib): nothing to remove" >&2
    exit 0
fi
directories=""
if [ -f "$list" ]; then
    while IFS= read -r path; do
        case $path in
            /* | ../* | */../* | "") echo "uninstall: $list: skipping \"$path\": not a path under $prefix" >&2 ;;
            */) directories="$directories$path
" ;;
            *) rm -f "$prefix/$path" ;;
        esac
    done < "$list"
else
    # installed before there was a list: bin/jrun and lib/jrun/ were all there was
    rm -f "$prefix/bin/jrun"
fi
rm -rf "$lib"
# deepest first: a directory sorts after its parent
printf '%s' "$directories" | sort -r | while IFS= read -r dir; do
    [ -n "$dir" ] && rmdir "$prefix/$dir" 2>/dev/null || true
done
