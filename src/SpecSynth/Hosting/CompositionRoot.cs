namespace SpecSynth.Hosting;

/// <summary>
/// The one place the library names the process itself: the system clock and the process environment. Everything else gets
/// them through <see cref="RunServices"/> (or an explicit <see cref="TimeProvider"/> parameter), so the whole library runs
/// under a fake clock in tests; <c>BannedSymbols.txt</c> bans the process clock everywhere but here.
/// </summary>
internal static class CompositionRoot
{
#pragma warning disable RS0030 // The composition root is the one place allowed to name the process clock.
    /// <summary>The process clock, for hosts that do not bring their own and for optional clock parameters of public APIs.</summary>
    public static TimeProvider SystemClock => TimeProvider.System;
#pragma warning restore RS0030

    /// <summary>The services of a host with the process clock and environment (the defaults of <c>AddSpecSynth</c>).</summary>
    /// <param name="getEnv">Reads an environment variable; <c>null</c> reads the process environment.</param>
    /// <param name="time">The clock; <c>null</c> for the process clock.</param>
    /// <param name="providers">The provider SDK wiring (<c>SpecSynth.Providers</c>), or <c>null</c>.</param>
    /// <param name="sharedState">The Redis backend (<c>SpecSynth.Redis</c>), or <c>null</c>.</param>
    public static RunServices CreateServices(Func<string, string?>? getEnv = null, TimeProvider? time = null,
        ProviderSdkFactory? providers = null, SharedStateBackend? sharedState = null) =>
        new(time ?? SystemClock, getEnv ?? Environment.GetEnvironmentVariable, providers: providers, sharedState: sharedState);
}
