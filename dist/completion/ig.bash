# bash completion for ig. Everything it offers comes from ig itself, so it cannot
# drift: commands and options from `ig --help` and `ig COMMAND --help`, gadget names,
# parameters and columns from `ig gadgets -o json` (the plugins' own descriptions),
# instance names and ids from `ig list --no-start -o json` (never starts a daemon).
# Installed as <completionsdir>/ig; bash-completion loads it on the first `ig <Tab>`.

# The line up to the cursor as shell words, in _ig_w. Split here rather than read from
# COMP_WORDS, which also breaks at = : < > (all of them inside --filter values): quotes
# are removed, a backslash keeps the next character, a trailing space starts a word.
_ig_split_line() {
    local line=${COMP_LINE:0:COMP_POINT} word= quote= c i started=0
    _ig_w=()
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ -n $quote ]]; then
            if [[ $c == "$quote" ]]; then quote=; else word+=$c; fi
        elif [[ $c == \\ ]]; then
            ((i++))
            word+=${line:i:1}
            started=1
        elif [[ $c == [\'\"] ]]; then
            quote=$c
            started=1
        elif [[ $c == [[:space:]] ]]; then
            ((started)) && _ig_w+=("$word")
            word= started=0
        else
            word+=$c
            started=1
        fi
    done
    _ig_w+=("$word")
    # `sudo ig ...`: start at ig's own word.
    while ((${#_ig_w[@]} > 1)) && [[ ${_ig_w[0]##*/} != "${COMP_WORDS[0]##*/}" ]]; do
        _ig_w=("${_ig_w[@]:1}")
    done
}

# ig with the global options given on the line, its errors silenced.
_ig_run() {
    "${_ig_cmd[@]}" "$@" 2>/dev/null
}

# The long options `ig ARGS --help` lists, one a line, each followed by " =" when it
# takes a value (program_options puts the value's name one space after the option).
_ig_help_options() {
    _ig_run "$@" --help | sed -nE 's/^  (-[a-zA-Z] \[ )?(--[a-z0-9-]+)( \])?(.*)$/\2\4/p' |
        sed -E 's/^(--[a-z0-9-]+) [^ ].*/\1 =/; t; s/^(--[a-z0-9-]+).*/\1/'
}

# Options of `ig ARGS` that take a value, as "|--a|--b|" (with -o for --output).
_ig_value_options() {
    local line list="|"
    while IFS= read -r line; do
        [[ $line == *" =" ]] && list+="${line% =}|"
    done < <(_ig_help_options "$@")
    [[ $list == *"|--output|"* ]] && list+="-o|"
    printf '%s' "$list"
}

# The JSON line `ig gadgets -o json` gives for gadget $1.
_ig_gadget_json() {
    _ig_run gadgets -o json | grep -F "{\"name\":\"$1\","
}

# "name type" of each parameter (params) or column (fields) in a gadget's JSON line.
_ig_gadget_items() {
    local json=$2
    json=${json#*\"$1\":[}
    json=${json%%]*}
    grep -oE '\{"name":"[^"]+","type":"[^"]+"' <<<"$json" | sed -E 's/\{"name":"([^"]+)","type":"([^"]+)"/\1 \2/'
}

# Offer $@ for the word being completed, $_ig_cur, each prefixed by $_ig_prefix.
_ig_offer() {
    local c
    for c in "$@"; do
        [[ $_ig_prefix$c == "$_ig_cur"* ]] && _ig_candidates+=("$_ig_prefix$c")
    done
}

# Column names for a comma-separated list (--fields, a --filter term, --sort).
_ig_offer_columns() {
    local mode=$1 json=$2 segment
    _ig_prefix=
    [[ $_ig_cur == *,* ]] && _ig_prefix=${_ig_cur%,*},
    segment=${_ig_cur##*,}
    [[ $mode == filter && $segment == *[=\!\<\>~]* ]] && return  # past the column: a value
    local -a columns=()
    local name type
    while read -r name type; do columns+=("$name"); done < <(_ig_gadget_items fields "$json")
    if [[ $mode == sort ]]; then
        _ig_offer "${columns[@]}" "${columns[@]/#/-}"
    else
        _ig_offer "${columns[@]}"
        compopt -o nospace 2>/dev/null
    fi
}

_ig_instances() {
    _ig_run list --no-start -o json | sed -nE 's/^\{"id":"([0-9a-f]+)","name":"([^"]+)".*/\1\n\2/p'
}

# ig run [options] GADGET [options]: the gadget, then its parameters and ig run's options.
_ig_complete_run() {
    local args=("$@") values gadget= i json
    local -a opts
    values=$(_ig_value_options run)
    for ((i = 0; i < ${#args[@]} - 1; i++)); do
        if [[ $values == *"|${args[i]}|"* ]]; then
            ((i++))
        elif [[ ${args[i]} == -- ]]; then
            gadget=${args[i + 1]}
            break
        elif [[ ${args[i]} != -* ]]; then
            gadget=${args[i]}
            break
        fi
    done
    if [[ -z $gadget ]]; then
        if [[ $_ig_cur == -* ]]; then
            mapfile -t opts < <(_ig_help_options run | sed 's/ =$//')
            _ig_offer "${opts[@]}"
        elif [[ $values != *"|$_ig_prev|"* ]]; then
            _ig_offer $(_ig_run gadgets -o json | sed -nE 's/^\{"name":"([^"]+)".*/\1/p')
        fi
        _ig_complete_value "$_ig_prev" ""
        return
    fi
    json=$(_ig_gadget_json "$gadget")
    local name type
    while read -r name type; do
        [[ $type != bool ]] && values+="--$name|"
    done < <(_ig_gadget_items params "$json")
    if [[ $values == *"|$_ig_prev|"* ]]; then
        _ig_complete_value "$_ig_prev" "$json"
    elif [[ $_ig_cur == -* ]]; then
        mapfile -t opts < <(_ig_help_options run | sed 's/ =$//')
        while read -r name type; do opts+=("--$name"); done < <(_ig_gadget_items params "$json")
        _ig_offer "${opts[@]}"
    fi
}

# The value of option $1 (a gadget's JSON line in $2 gives the columns).
_ig_complete_value() {
    case $1 in
    -o | --output) _ig_offer columns json jsonpretty yaml ;;
    --fields) [[ -n $2 ]] && _ig_offer_columns list "$2" ;;
    --filter) [[ -n $2 ]] && _ig_offer_columns filter "$2" ;;
    --sort) [[ -n $2 ]] && _ig_offer_columns sort "$2" ;;
    --config) mapfile -t _ig_candidates < <(compgen -f -- "$_ig_cur") ;;
    --socket | --pid-file | --state-dir | --plugin-dir) mapfile -t _ig_candidates < <(compgen -f -- "$_ig_cur") ;;
    esac
}

_ig() {
    local _ig_w _ig_cur _ig_prev _ig_prefix= _ig_cmd _ig_candidates=()
    local -a opts
    _ig_split_line
    _ig_cur=${_ig_w[-1]}
    local n=$((${#_ig_w[@]} - 1))
    ((n >= 1)) && _ig_prev=${_ig_w[n - 1]}
    _ig_cmd=("${_ig_w[0]}")

    # Global options, then the command.
    local globals command= i=1
    globals=$(_ig_value_options)  # `ig --help` lists the global options
    while ((i < n)); do
        if [[ $globals == *"|${_ig_w[i]}|"* ]]; then
            _ig_cmd+=("${_ig_w[i]}" "${_ig_w[i + 1]}")
            ((i += 2))
        elif [[ ${_ig_w[i]} == -* ]]; then
            [[ ${_ig_w[i]} == --*=* ]] && _ig_cmd+=("${_ig_w[i]}")
            ((i++))
        else
            command=${_ig_w[i]}
            ((i++))
            break
        fi
    done

    # --opt=value: complete the value after the '='.
    if [[ $_ig_cur == --*=* ]]; then
        _ig_prev=${_ig_cur%%=*}
        _ig_cur=${_ig_cur#*=}
    fi

    if [[ -z $command ]]; then
        if [[ $globals == *"|$_ig_prev|"* ]]; then
            _ig_complete_value "$_ig_prev" ""
        elif [[ $_ig_cur == -* ]]; then
            mapfile -t opts < <(_ig_help_options | sed 's/ =$//')
            _ig_offer "${opts[@]}" --help --version
        else
            _ig_offer $(_ig_run --help | sed -nE '/^Commands:/,/^$/s/^  ([a-z]+).*/\1/p')
        fi
    else
        local args=("${_ig_w[@]:i}")
        case $command in
        run) _ig_complete_run "${args[@]}" ;;
        attach | remove | rm | delete)
            if [[ $_ig_cur == -* ]]; then
                mapfile -t opts < <(_ig_help_options "$command" | sed 's/ =$//')
                _ig_offer "${opts[@]}"
            elif [[ $(_ig_value_options "$command") == *"|$_ig_prev|"* ]]; then
                _ig_complete_value "$_ig_prev" ""
            else
                _ig_offer $(_ig_instances)
            fi
            ;;
        *)
            if [[ $(_ig_value_options "$command") == *"|$_ig_prev|"* ]]; then
                _ig_complete_value "$_ig_prev" ""
            elif [[ $_ig_cur == -* ]]; then
                mapfile -t opts < <(_ig_help_options "$command" | sed 's/ =$//')
                _ig_offer "${opts[@]}"
            fi
            ;;
        esac
    fi

    # bash replaces only the part of the word after its last break character (= : < > ...):
    # hand back each candidate from there.
    local word=${COMP_WORDS[COMP_CWORD]} full=${_ig_w[-1]} c
    local cut=$((${#full} - ${#word}))
    COMPREPLY=()
    for c in "${_ig_candidates[@]}"; do
        [[ $full == --*=* ]] && c=${full%%=*}=$c
        if ((cut > 0)) && [[ $full == *"$word" ]]; then c=${c:cut}; fi
        COMPREPLY+=("$c")
    done
}

complete -F _ig ig
