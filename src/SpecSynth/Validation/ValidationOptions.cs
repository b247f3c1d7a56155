namespace SpecSynth.Validation;

/// <summary>How <see cref="CodeValidator"/> checks files.</summary>
internal sealed record ValidationOptions
{
    /// <summary>The defaults: built-in validators only, 30 s per external check.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>
    /// External checkers by language name (<c>python</c>, <c>typescript</c>, <c>go</c>...) or by extension with
    /// its dot (<c>.py</c>); an extension key wins over a language key. The command is split like a shell
    /// command line (quotes group words; no pipes or variables) and <c>{file}</c> is replaced by the path of a
    /// temporary copy of the file, e.g. <c>python3 -m py_compile {file}</c> (without <c>{file}</c>, the path is added
    /// as the last argument). A non-zero exit code means invalid; the output is read for <c>file:line:col</c> or
    /// <c>line N</c> positions. A configured checker replaces the
    /// built-in one for that language. It runs only when its executable is found on <c>PATH</c> (or is an
    /// existing path); otherwise the file is reported <see cref="ValidationStatus.CheckerMissing"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExternalCheckers { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one external check may run before it is killed (the file is then unvalidated).</summary>
    public TimeSpan CheckerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most diagnostics kept per file.</summary>
    public int MaxDiagnosticsPerFile { get; init; } = 20;
}
