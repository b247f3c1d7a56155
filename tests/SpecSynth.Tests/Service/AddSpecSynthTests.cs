using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace SpecSynth.Tests.Service;

/// <summary><c>AddSpecSynth</c> registers the service, its options and the clock in the Microsoft.Extensions style.</summary>
public sealed class AddSpecSynthTests
{
    [Fact]
    public void NoArguments_ResolvesTheService_OnDefaults()
    {
        using var services = new ServiceCollection().AddSpecSynth().BuildServiceProvider();

        Assert.NotNull(services.GetRequiredService<ISpecSynthesizer>());
        Assert.Same(services.GetRequiredService<ISpecSynthesizer>(), services.GetRequiredService<ISpecSynthesizer>());
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        var options = services.GetRequiredService<IOptions<SpecSynthOptions>>().Value;
        Assert.Null(options.Providers);
        Assert.Null(options.WorkingDirectory);
    }

    [Fact]
    public void Configuration_BindsTheSpecSynthSection_ThenConfigureApplies_AndAHostClockIsKept()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SpecSynth:Providers"] = "mock",
            ["SpecSynth:StateDirectory"] = "/tmp/specsynth-state",
            ["SpecSynth:WorkingDirectory"] = "/tmp/from-config",
        }).Build();
        var clock = new FakeTimeProvider();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);

        using var services = collection.AddSpecSynth(configuration, o => o.WorkingDirectory = "/tmp/from-code").BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<SpecSynthOptions>>().Value;
        Assert.Equal(("mock", "/tmp/specsynth-state", "/tmp/from-code"), (options.Providers, options.StateDirectory, options.WorkingDirectory));
        Assert.Same(clock, services.GetRequiredService<TimeProvider>());
        Assert.NotNull(services.GetRequiredService<ISpecSynthesizer>());
    }

    [Fact]
    public async Task ProvidersFromOptions_AreUsedWhenTheRequestNamesNone()
    {
        using var world = new ServiceWorld();
        var collection = new ServiceCollection();
        collection.AddSpecSynth(configure: o =>
        {
            o.Environment = k => world.Env.TryGetValue(k, out var v) ? v : null;
            o.WorkingDirectory = world.Project;
            o.Providers = "mock";
        });
        await using var services = collection.BuildServiceProvider();

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(new GenerateRequest { SpecPath = "spec.md", DryRun = true });

        Assert.Equal("mock", result.Provider);
    }
}
