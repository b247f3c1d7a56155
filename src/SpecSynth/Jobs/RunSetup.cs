using Microsoft.Extensions.AI;
using SpecSynth.Config;
using SpecSynth.Generation;
using SpecSynth.Middleware;
using SpecSynth.Pipeline;
using SpecSynth.Providers;

namespace SpecSynth.Jobs;

/// <summary>What a model-calling run resolves before it starts: folders, configuration and the client (the former CLI
/// <c>RunContext</c>).</summary>
internal sealed record RunSetup(RunEnvironment Env, EventSink Sink, string ProjectDir, SpecSynthConfig Config, ProviderChoice Provider,
    bool Stream, RecordingResilienceObserver Events)
{
    /// <summary>Count prompts with the provider's counting endpoint.</summary>
    public bool ExactTokens { get; init; }

    /// <summary>The <c>[routing]</c> rule that chose the provider and model, or <c>null</c>.</summary>
    public string? Route { get; init; }

    /// <summary>The folder whose files give context (<see cref="ContextFolder"/>).</summary>
    public string ContextDir { get; init; } = ProjectDir;

    /// <summary>The folder whose files give context: the project when given, else the output folder when given (a run
    /// writing elsewhere must not send the current folder's unrelated files), else the working directory.</summary>
    /// <exception cref="SpecSynthException"><see cref="ErrorKind.InvalidInput"/>: the output names a file.</exception>
    public static string ContextFolder(RunEnvironment env, string? projectRoot, string? outputRoot)
    {
        if (projectRoot is not null)
        {
            return env.FullPath(projectRoot);
        }
        if (outputRoot is not null)
        {
            var full = env.FullPath(outputRoot);
            return File.Exists(full) ? throw new SpecSynthException(ErrorKind.InvalidInput, $"--out {full} is a file; give the output folder.") : full;
        }
        return env.FullPath(".");
    }

    /// <summary>The project folder and its configuration with the provider and model choices applied.</summary>
    public static (string ProjectDir, SpecSynthConfig Config) LoadConfig(RunEnvironment env, string? projectRoot, string? providers, string? model)
    {
        var projectDir = env.FullPath(projectRoot ?? ".");
        if (File.Exists(projectDir))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"--project {projectDir} is a file; give the project folder.");
        }
        var config = ConfigLoader.Load(projectDir, env.GetEnv);
        if (providers is not null)
        {
            config = config with { Providers = ConfigLoader.ParseProviderList(providers, "--provider") };
        }
        if (model is { Length: > 0 })
        {
            config = config with { ModelOverride = model };
        }
        return (projectDir, config);
    }

    /// <summary>Resolves the run of <paramref name="operation"/> (generate, explain, review); for generate,
    /// <paramref name="specs"/> are the parsed specs (their size may pick <c>[routing] small_spec</c>).</summary>
    public static async Task<RunSetup> ResolveAsync(RunEnvironment env, EventSink sink, RunFlags flags, string operation, IChatClient? hostClient,
        CancellationToken cancellationToken, IEnumerable<Specs.Specification>? specs = null)
    {
        var (projectDir, config) = LoadConfig(env, flags.ProjectRoot, flags.Providers, flags.Model);
        if (flags.MaxCost is { } maxCost)
        {
            config = config with { Budget = config.Budget with { RunUsd = maxCost } };
        }
        if (flags.Batch)
        {
            config = config with
            {
                InBatch = true,
                Resilience = config.Resilience with { Retry = config.Resilience.Retry with { AttemptTimeout = RetryOptions.MaxAttemptTimeout } },
            };
        }
        string? route = null;
        if (hostClient is null && RunRouting.Applies(env, flags)
            && Routing.ModelRouter.Route(config, operation, RunRouting.LargestSpecTokens(env, config, specs)) is { } routed)
        {
            config = routed.Config;
            route = routed.Target.ToString();
            sink.Report(new RoutingEvent(operation, route, routed.Reason));
        }
        // Every retry, wait, restart, fallback and continuation is reported as it happens, and kept for the result.
        var events = new RecordingResilienceObserver(env.Time, e => sink.Report(new ResilienceNoticeEvent(e)));
        var provider = await ChatClientFactory.CreateAsync(config, env.Services, sink.Warning, events, cancellationToken,
            flags.Cache, Usage.UsageContext.New(env.Time, projectDir), hostClient).ConfigureAwait(false);
        foreach (var warning in provider.Warnings)
        {
            sink.Warning(warning);
        }
        return new RunSetup(env, sink, projectDir, config, provider, flags.Stream, events)
        {
            Route = route,
            ContextDir = flags.ContextRoot ?? ContextFolder(env, flags.ProjectRoot, flags.OutputRoot),
            ExactTokens = flags.ExactTokens,
        };
    }

    /// <summary>How the usage ledger names a spec: its path relative to the project (with <c>/</c>) when inside it, else its full path.</summary>
    public string SpecLabel(string path)
    {
        var full = Env.FullPath(path);
        var relative = Path.GetRelativePath(ProjectDir, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative.Replace('\\', '/');
    }

    /// <summary>Call options. Model, output cap and temperature are left to each provider of the chain.</summary>
    public GenerationOptions Options(IProgress<string>? progress, string? outputRoot = null) => new()
    {
        SystemPrompt = Provider.SystemPrompt,
        OnWarning = Sink.Warning,
        Stream = Stream,
        Progress = progress,
        OutputRoot = outputRoot,
        ExactTokens = ExactTokens,
    };
}
