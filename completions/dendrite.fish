# fish completion for dendrite
# Install: dendrite completion fish > ~/.config/fish/completions/dendrite.fish
#      or: dendrite completion fish | source
# Candidates come from `dendrite __complete WORDS...`: commands, flags,
# synapse names, wallets and hotkeys (from the wallet path), network names.

function __dendrite_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l cmd $tokens[1]
    set -e tokens[1]
    set -l out ($cmd __complete $tokens "$current" 2>/dev/null)
    if test "$out[1]" = ":files"
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $out
end

complete -c dendrite -f -a '(__dendrite_complete)'
