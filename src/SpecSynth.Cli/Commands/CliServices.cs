namespace SpecSynth.Cli.Commands;

/// <summary>The service the commands call, composed as a .NET host gets it (<see cref="SpecSynthesizerFactory"/>, what
/// <c>AddSpecSynth</c> registers) with the CLI's environment, folder and clock.</summary>
internal static class CliServices
{
    public static ISpecSynthesizer Synthesizer(CliHost host) => SpecSynthesizerFactory.Create(new SpecSynthOptions
    {
        Environment = host.GetEnv,
        WorkingDirectory = host.CurrentDirectory,
    }, host.Time);
}
