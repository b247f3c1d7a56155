namespace SpecSynth.Cli.Commands;

/// <summary>The service the commands call, composed as a .NET host gets it (<see cref="SpecSynthesizerFactory"/>, what
/// <c>AddSpecSynth</c> registers) with the CLI's environment, folder and clock, and all three packages: the core, the
/// provider SDKs (<see cref="SpecSynthProviders"/>) and Redis (<see cref="SpecSynthRedis"/>).</summary>
internal static class CliServices
{
    public static ISpecSynthesizer Synthesizer(CliHost host) => SpecSynthesizerFactory.Create(new SpecSynthOptions
    {
        Environment = host.GetEnv,
        WorkingDirectory = host.CurrentDirectory,
        ProviderFactory = host.ProviderFactory ?? SpecSynthProviders.Factory,
        SharedState = SpecSynthRedis.Backend,
        LoggerFactory = host.Logs,
        DeferIndexBuild = host.IndexBuilds is { } builds ? builds.Defer : null,
    }, host.Time);
}
