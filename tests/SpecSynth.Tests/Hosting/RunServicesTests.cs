using Microsoft.Extensions.Time.Testing;
using SpecSynth.Hosting;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Hosting;

/// <summary>What a host's runs share lives in its run services, not in static fields.</summary>
public sealed class RunServicesTests
{
    private static readonly ProviderSettings OpenAI = new() { Provider = "openai", Model = "gpt-4.1", ApiKey = "k" };

    [Fact]
    public void OneHost_SharesItsRegistry_AndTwoHostsShareNothing()
    {
        var time = new FakeTimeProvider();
        var a = new RunServices(time, _ => null);
        var b = new RunServices(time, _ => null);

        Assert.Same(a.Resilience(), a.Resilience());
        Assert.NotSame(a.Resilience(), b.Resilience());
        Assert.Same(time, a.Resilience().Time);

        a.RejectedParameters.Add(OpenAI, "gpt-4.1", RejectedParameter.Temperature);
        Assert.Equal(RejectedParameter.Temperature, a.RejectedParameters.Get(OpenAI, "gpt-4.1"));
        Assert.Equal(RejectedParameter.None, b.RejectedParameters.Get(OpenAI, "gpt-4.1"));
    }

    [Fact]
    public void TheStateFolder_ComesFromTheEnvironmentReader()
    {
        using var dir = new TempDir();
        var services = new RunServices(new FakeTimeProvider(), name => name == "SPECSYNTH_HOME" ? dir.Path : null);

        Assert.Equal(dir.Path, services.StateDir);
        Assert.Equal(Path.Combine(dir.Path, "cache"), services.CacheDir);
        Assert.Same(ModelCatalog.BuiltIn, services.Catalog);
    }
}
