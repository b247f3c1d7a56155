namespace SpecSynth.Validation;

/// <summary>Limits for a <c>--check</c> command run by <see cref="CheckCommandRunner"/>.</summary>
internal sealed record CheckOptions
{
    /// <summary>The defaults: 5 minutes, 64 KiB of output.</summary>
    public static CheckOptions Default { get; } = new();

    /// <summary>How long the command may run before its whole process tree is killed (it then fails).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most output characters kept (the start and the end are kept, the middle is cut).</summary>
    public int MaxOutputChars { get; init; } = 64 * 1024;

    /// <summary>Called with each output line as the command prints it (from another thread), or <c>null</c>.</summary>
    public Action<string>? OnOutputLine { get; init; }
}
