using System.CommandLine;
using SpecSynth.Config;
using SpecSynth.Llm;

namespace SpecSynth.Cli.Commands;

/// <summary>What a model-calling command resolves before it starts: folders, configuration and the client.</summary>
internal sealed record RunContext(string ProjectDir, SpecSynthConfig Config, ProviderChoice Provider, bool Json, bool Stream)
{
    public static async Task<RunContext> ResolveAsync(CliHost host, ParseResult parse, CommonOptions common, CancellationToken cancellationToken)
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
        var provider = await ChatClientFactory.CreateAsync(config, host.GetEnv, w => host.Error.WriteLine("warning: " + w), cancellationToken).ConfigureAwait(false);
        foreach (var warning in provider.Warnings)
        {
            await host.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
        }
        return new RunContext(projectDir, config, provider, parse.GetValue(common.Json), !parse.GetValue(common.NoStream));
    }

    public GenerationOptions Options(IProgress<string>? progress, string? outputRoot = null) => new()
    {
        ModelId = Provider.Model,
        MaxOutputTokens = Provider.MaxOutputTokens,
        Temperature = Provider.Temperature,
        SystemPrompt = Provider.SystemPrompt,
        Stream = Stream,
        Progress = progress,
        OutputRoot = outputRoot,
    };
}
