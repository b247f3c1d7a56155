namespace CostBench;

/// <summary>Ten feature specifications against this repository's library (src/SpecSynth), the default workload.</summary>
internal static class BenchSpecs
{
    public static IReadOnlyList<(string Name, string Markdown)> All { get; } =
    [
        ("verbose-flag", """
            # Verbose logging flag

            Add a `--verbose` flag to every command that calls a model.

            ## Requirements
            - R1: With `--verbose`, each provider request prints its model, prompt size in tokens and elapsed time on stderr.
            - R2: Without the flag nothing new is printed.
            - R3: API keys never appear in the verbose output.
            - R4: `--json` output is unchanged by the flag.
            """),
        ("spec-front-matter", """
            # Spec front matter

            Specifications may start with a YAML front matter block (`---` lines) giving `language`, `framework` and `output`.

            ## Requirements
            - R1: `language` and `framework` override the values detected from the project.
            - R2: `output` is a folder relative to the spec, used when `--out` is not given.
            - R3: An unknown key is an error naming the key and its line (exit 2).
            - R4: Front matter that is not valid YAML is an error with the line and column.
            """),
        ("ignore-file", """
            # .specsynthignore

            The project scanner honours a `.specsynthignore` file with `.gitignore` syntax at the project root.

            ## Requirements
            - R1: Paths matched by the file are neither listed in the project structure nor sent as existing files.
            - R2: Negated patterns (`!keep.cs`) re-include files.
            - R3: A missing file changes nothing; an unreadable one is a warning, not an error.
            """),
        ("max-files-option", """
            # Limit the number of generated files

            Add `max_files` to `[generate]` in specsynth.toml and `--max-files N` to `generate`.

            ## Requirements
            - R1: A reply with more files than the limit fails with exit 5 and names the limit; nothing is written.
            - R2: The default is 50.
            - R3: 0 or a negative value is rejected when the configuration is read (exit 2).
            """),
        ("diff-color", """
            # Coloured dry-run diff

            `generate --dry-run` prints its unified diff in colour on a terminal.

            ## Requirements
            - R1: Added lines green, removed lines red, hunk headers cyan.
            - R2: No colour when stdout is redirected or `NO_COLOR` is set.
            - R3: The diff text is otherwise byte-identical to the uncoloured one.
            """),
        ("explain-markdown", """
            # Explain to a file

            `explain` gains `--output FILE` to write the explanation as markdown instead of streaming it to stdout.

            ## Requirements
            - R1: The file is written atomically; an existing file is replaced only after the reply completed.
            - R2: The explanation starts with a heading naming the explained files.
            - R3: `--output` together with `--json` is a usage error (exit 2).
            """),
        ("review-severity-filter", """
            # Review severity filter

            `review` gains `--min-severity low|medium|high` to hide less severe issues.

            ## Requirements
            - R1: Issues below the threshold are left out of the text and `--json` outputs.
            - R2: The summary counts only the issues shown and says how many were hidden.
            - R3: An unknown severity is a usage error listing the allowed values.
            """),
        ("undo-list", """
            # List undoable runs

            `undo --list` prints the journal's runs, newest first: run id, time, files changed and whether it can still be undone.

            ## Requirements
            - R1: `--json` gives `{"runs": [{"id", "time", "files", "undoable"}]}`.
            - R2: A run whose files were edited since is shown as not undoable, with the first edited file.
            - R3: `undo --run ID` undoes that run when it is the newest undoable one.
            """),
        ("config-validate", """
            # Validate configuration

            Add `specsynth config validate [--project DIR]`.

            ## Requirements
            - R1: Exit 0 and `configuration OK` when the effective configuration is valid.
            - R2: Every problem is listed with file, line and key; exit 2.
            - R3: Keys are never printed, only whether the variables they come from are set.
            """),
        ("generate-timeout", """
            # Overall generation timeout

            Add `--timeout SECONDS` to `generate`: the whole job (model calls, repairs and checks) must finish in time.

            ## Requirements
            - R1: When the time is up the job stops, writes nothing and exits 4 with a message naming the timeout.
            - R2: The timeout covers retries and fallbacks.
            - R3: Progress output shows the remaining time when it is under a minute.
            """),
    ];
}
