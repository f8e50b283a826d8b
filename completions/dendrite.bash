# bash completion for dendrite                      -*- shell-script -*-
# Install: source <(dendrite completion bash)   (e.g. in ~/.bashrc)
#      or: dendrite completion bash > ~/.local/share/bash-completion/completions/dendrite
# Candidates come from `dendrite __complete WORDS...`: commands, flags,
# synapse names, wallets and hotkeys (from the wallet path), network names.

_dendrite_complete() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -r -a words <<< "$line"
    # The line ends in a blank: a new, empty word is being completed.
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    local cur="${words[${#words[@]}-1]}"
    local cmd="${words[0]}"
    [[ "$cmd" == "~/"* ]] && cmd="$HOME/${cmd#\~/}"
    local out
    out="$("$cmd" __complete "${words[@]:1}" 2>/dev/null)" || return 0
    if [[ "$out" == ":files" ]]; then
        compopt -o default 2>/dev/null
        COMPREPLY=()
        return 0
    fi
    local IFS=$'\n'
    local -a values=()
    local entry
    for entry in $out; do
        values+=("${entry%%$'\t'*}")
    done
    # bash splits words at '=': `--network=fi` completes only the part after '='.
    if [[ "$cur" == *=* && "$COMP_WORDBREAKS" == *=* ]]; then
        values=("${values[@]#*=}")
    fi
    COMPREPLY=("${values[@]}")
}

complete -F _dendrite_complete dendrite
