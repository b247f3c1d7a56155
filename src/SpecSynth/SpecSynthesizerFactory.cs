using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace SpecSynth;

/// <summary>Creates the service without a DI container: what <c>AddSpecSynth</c> registers, and what the CLI uses.</summary>
public static class SpecSynthesizerFactory
{
    /// <summary>Creates the service.</summary>
    /// <param name="options">The settings (<c>null</c>: defaults).</param>
    /// <param name="timeProvider">The clock (<c>null</c>: <c>TimeProvider.System</c>).</param>
    /// <param name="chatClient">A host's own client to use as the provider, with specsynth's middleware around it; <c>null</c>
    /// builds the configured providers.</param>
    /// <param name="logger">Receives the run's events at Debug level (warnings at Warning); <c>null</c> for none.</param>
    public static ISpecSynthesizer Create(SpecSynthOptions? options = null, TimeProvider? timeProvider = null, IChatClient? chatClient = null,
        ILogger? logger = null) =>
        new SpecSynthesizer(options ?? new SpecSynthOptions(), timeProvider ?? Hosting.CompositionRoot.SystemClock, chatClient, logger);
}
