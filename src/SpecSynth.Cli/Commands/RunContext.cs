using System.CommandLine;
using SpecSynth.Config;
using SpecSynth.Llm;
using SpecSynth.Llm.Resilience;

namespace SpecSynth.Cli.Commands;

/// <summary>What a model-calling command resolves before it starts: folders, configuration and the client.</summary>
internal sealed record RunContext(CliHost Host, string ProjectDir, SpecSynthConfig Config, ProviderChoice Provider, bool Json, bool Stream,
    RecordingResilienceObserver Events)
{
    /// <summary><c>--exact-tokens</c>: count prompts with the provider's counting endpoint.</summary>
    public bool ExactTokens { get; init; }

    /// <summary>The <c>[routing]</c> rule that chose the provider and model ("claude:claude-haiku-4-5"), or <c>null</c>.</summary>
    public string? Route { get; init; }

    /// <summary>The folder whose files give context (<see cref="ContextFolder"/>).</summary>
    public string ContextDir { get; init; } = ProjectDir;

    /// <summary>The folder whose files give context: <c>--project</c>, else <c>--out</c> when given (a run writing elsewhere
    /// must not send the current folder's unrelated files), else the current folder. The configuration is read from
    /// <c>--project</c>, else the current folder.</summary>
    /// <exception cref="SpecSynthException"><see cref="ErrorKind.InvalidInput"/>: <c>--out</c> names a file (found before anything is sent).</exception>
    public static string ContextFolder(CliHost host, ParseResult parse, CommonOptions common, Option<string?>? outDir)
    {
        if (parse.GetValue(common.Project) is { } project)
        {
            return host.FullPath(project);
        }
        if (outDir is not null && parse.GetValue(outDir) is { } output)
        {
            var full = host.FullPath(output);
            return File.Exists(full) ? throw new SpecSynthException(ErrorKind.InvalidInput, $"--out {full} is a file; give the output folder.") : full;
        }
        return host.FullPath(".");
    }

    /// <summary>The project folder (<c>--project</c>) and its configuration with the <c>--provider</c>, <c>--mock-llm</c> and
    /// <c>--model</c> flags applied.</summary>
    public static (string ProjectDir, SpecSynthConfig Config) LoadConfig(CliHost host, ParseResult parse, CommonOptions common)
    {
        var projectDir = host.FullPath(parse.GetValue(common.Project) ?? ".");
        if (File.Exists(projectDir))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"--project {projectDir} is a file; give the project folder.");
        }
        var config = ConfigLoader.Load(projectDir, host.GetEnv);
        if (parse.GetValue(common.Provider) is { } providers)
        {
            config = config with { Providers = ConfigLoader.ParseProviderList(providers, "--provider") };
        }
        if (parse.GetValue(common.MockLlm))
        {
            config = config with { Providers = ["mock"] };
        }
        if (parse.GetValue(common.Model) is { Length: > 0 } model)
        {
            config = config with { ModelOverride = model };
        }
        return (projectDir, config);
    }

    /// <summary>Resolves the run of <paramref name="operation"/> (<c>generate</c>, <c>explain</c>, <c>review</c>); for generate,
    /// <paramref name="specs"/> are the parsed specs (their size may pick <c>[routing] small_spec</c>).</summary>
    public static async Task<RunContext> ResolveAsync(CliHost host, ParseResult parse, CommonOptions common, string operation,
        CancellationToken cancellationToken, IReadOnlyList<Specs.Specification>? specs = null, Option<string?>? outDir = null)
    {
        var (projectDir, config) = LoadConfig(host, parse, common);
        if (parse.GetValue(common.MaxCost) is { } maxCost)
        {
            config = config with { Budget = config.Budget with { RunUsd = maxCost } };
        }
        string? route = null;
        if (RunRouting.Applies(host, parse, common)
            && Routing.ModelRouter.Route(config, operation, RunRouting.LargestSpecTokens(host, config, specs)) is { } routed)
        {
            config = routed.Config;
            route = routed.Target.ToString();
            await host.Error.WriteLineAsync($"routing: {operation} -> {route} ({routed.Reason})").ConfigureAwait(false);
        }
        // Every retry, wait, restart, fallback and continuation is reported on stderr as it happens, and kept for --json.
        var events = new RecordingResilienceObserver(host.Time, e => host.Error.WriteLine("resilience: " + e));
        var provider = await ChatClientFactory.CreateAsync(config, new Hosting.RunServices(host.Time, host.GetEnv), w => host.Error.WriteLine("warning: " + w), events, cancellationToken,
            CacheFlags.Mode(parse, common), Usage.UsageContext.New(host.Time, projectDir)).ConfigureAwait(false);
        foreach (var warning in provider.Warnings)
        {
            await host.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
        }
        return new RunContext(host, projectDir, config, provider, parse.GetValue(common.Json), !parse.GetValue(common.NoStream), events)
        {
            Route = route,
            ContextDir = ContextFolder(host, parse, common, outDir),
        };
    }

    /// <summary>How the usage ledger names a spec given on the command line: its path relative to the project (with
    /// <c>/</c>) when inside it, else its full path.</summary>
    public string SpecLabel(string path)
    {
        var full = Host.FullPath(path);
        var relative = Path.GetRelativePath(ProjectDir, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative.Replace('\\', '/');
    }

    /// <summary>Call options. Model, output cap and temperature are left to each provider of the chain (its own
    /// configured values), so a fallback provider is never sent the first one's model id.</summary>
    public GenerationOptions Options(IProgress<string>? progress, string? outputRoot = null) => new()
    {
        SystemPrompt = Provider.SystemPrompt,
        OnWarning = w => Host.Error.WriteLine("warning: " + w),
        Stream = Stream,
        Progress = progress,
        OutputRoot = outputRoot,
        ExactTokens = ExactTokens,
    };
}
