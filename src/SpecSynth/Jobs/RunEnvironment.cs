namespace SpecSynth.Jobs;

/// <summary>What a run takes from its host: the environment reader, the clock and the folder relative paths are resolved
/// against. Made once per <see cref="SpecSynthesizer"/> from its <see cref="SpecSynthOptions"/>.</summary>
internal sealed record RunEnvironment(Func<string, string?> GetEnv, TimeProvider Time, string WorkingDirectory,
    ProviderSdkFactory? Providers = null, SharedStateBackend? SharedState = null, Microsoft.Extensions.Logging.ILoggerFactory? Logs = null)
{
    /// <summary>What every run of this host shares (clock, catalog, rate limits and circuits, refused parameters).</summary>
    public Hosting.RunServices Services { get; } = new(Time, GetEnv, providers: Providers, sharedState: SharedState, logs: Logs);

    /// <summary>The environment of <paramref name="options"/>: its reader (or the process's), with <see cref="SpecSynthOptions.StateDirectory"/>
    /// as <c>SPECSYNTH_HOME</c> when set.</summary>
    public static RunEnvironment From(SpecSynthOptions options, TimeProvider time)
    {
        var read = options.Environment ?? System.Environment.GetEnvironmentVariable;
        var state = options.StateDirectory;
        Func<string, string?> getEnv = state is null ? read : k => k == "SPECSYNTH_HOME" ? state : read(k);
        return new RunEnvironment(getEnv, time, Path.GetFullPath(options.WorkingDirectory ?? System.Environment.CurrentDirectory),
            options.ProviderFactory, options.SharedState, options.LoggerFactory)
        {
            IndexDeferral = options.DeferIndexBuild is { } defer ? new Context.Index.IndexDeferral(defer) : null,
        };
    }

    /// <summary>Whether a ranking with no usable context index leaves its build to the host
    /// (<see cref="SpecSynthOptions.DeferIndexBuild"/>); <c>null</c>: built inline.</summary>
    public Context.Index.IndexDeferral? IndexDeferral { get; init; }

    /// <summary>Resolves a user-given path against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
