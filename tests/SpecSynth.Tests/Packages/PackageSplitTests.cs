using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Packages;

/// <summary>The three packages: the core <c>SpecSynth</c> has no provider SDK and no Redis client; a host with its own
/// <see cref="IChatClient"/> needs nothing else, and what needs the other packages says so.</summary>
public sealed class PackageSplitTests
{
    private static readonly string[] SdkAssemblies =
        ["Anthropic", "OpenAI", "Microsoft.Extensions.AI.OpenAI", "OllamaSharp", "StackExchange.Redis", "Microsoft.Extensions.Caching.StackExchangeRedis"];

    [Fact]
    public void TheCore_ReferencesNoProviderSdk_AndNoRedisClient()
    {
        var core = typeof(ISpecSynthesizer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Microsoft.Extensions.AI.Abstractions", core);
        Assert.Empty(core.Intersect(SdkAssemblies));
    }

    [Fact]
    public void TheOtherPackages_BringTheSdks()
    {
        var providers = SpecSynthProviders.Factory.GetType().Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var redis = SpecSynthRedis.Backend.GetType().Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal("SpecSynth.Providers", SpecSynthProviders.Factory.GetType().Assembly.GetName().Name);
        Assert.Equal("SpecSynth.Redis", SpecSynthRedis.Backend.GetType().Assembly.GetName().Name);
        Assert.Contains("Anthropic", providers);
        Assert.Contains("OllamaSharp", providers);
        Assert.Contains("StackExchange.Redis", redis);
        Assert.DoesNotContain("StackExchange.Redis", providers);
        Assert.DoesNotContain("Anthropic", redis);
    }

    [Fact]
    public async Task CoreOnly_WithAHostClient_Generates()
    {
        using var world = new ServiceWorld();
        var host = new HostChatClient("openai", "gpt-4.1", ModelAnswers.TwoFiles);
        await using var services = CoreOnly(world, s => s.AddSingleton<IChatClient>(host));

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(
            new GenerateRequest { SpecPath = "spec.md", OutputRoot = "out" });

        Assert.Equal(GenerateStatus.Written, result.Status);
        Assert.Equal(1, host.Calls);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], world.OutputFiles().Select(f => f.Path));
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task CoreOnly_AConfiguredProvider_SaysWhichPackageBringsIt(string provider)
    {
        using var world = new ServiceWorld(new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test-key-0000",
            ["OPENAI_API_KEY"] = "sk-test-key-0000",
            ["OLLAMA_HOST"] = "http://127.0.0.1:9",
        });
        await using var services = CoreOnly(world);

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(
            new GenerateRequest { SpecPath = "spec.md", OutputRoot = "out", Providers = provider }));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains($"provider '{provider}' needs the SpecSynth.Providers package", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddSpecSynthProviders()", ex.Message, StringComparison.Ordinal);
        Assert.Empty(world.OutputFiles());
    }

    [Fact]
    public async Task CoreOnly_TheMockWorks()
    {
        using var world = new ServiceWorld();
        await using var services = CoreOnly(world);

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(
            new GenerateRequest { SpecPath = "spec.md", OutputRoot = "out", Providers = "mock" });

        Assert.Equal(GenerateStatus.Written, result.Status);
        Assert.NotEmpty(world.OutputFiles());
    }

    [Fact]
    public async Task CoreOnly_SharedRedis_IsOneWarningNamingThePackage_AndTheRunStaysLocal()
    {
        using var world = new ServiceWorld();
        // Nothing listens there: with the Redis package the run would warn that it is unreachable instead.
        world.Write("specsynth.toml", "[shared]\nredis = \"redis://127.0.0.1:9\"\n\n[budget]\ndaily_usd = 5.0\n");
        await using var services = CoreOnly(world);
        var events = new List<SpecSynthEvent>();

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(new GenerateRequest
        {
            SpecPath = "spec.md",
            OutputRoot = "out",
            Providers = "mock",
            Progress = new SyncProgress(events.Add),
        });

        Assert.Equal(GenerateStatus.Written, result.Status);
        var warnings = events.OfType<WarningEvent>().Select(w => w.Message).Where(m => m.Contains("redis", StringComparison.OrdinalIgnoreCase)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("SpecSynth.Redis", warning, StringComparison.Ordinal);
        Assert.Contains("AddSpecSynthRedis()", warning, StringComparison.Ordinal);
    }

    /// <summary>The service with the core package only: <c>AddSpecSynth</c> without <c>AddSpecSynthProviders</c> or
    /// <c>AddSpecSynthRedis</c>.</summary>
    private static ServiceProvider CoreOnly(ServiceWorld world, Action<IServiceCollection>? host = null)
    {
        var services = new ServiceCollection();
        host?.Invoke(services);
        services.AddSpecSynth(configure: o =>
        {
            o.Environment = k => world.Env.TryGetValue(k, out var v) ? v : null;
            o.WorkingDirectory = world.Project;
        });
        return services.BuildServiceProvider();
    }

    private sealed class SyncProgress(Action<SpecSynthEvent> report) : IProgress<SpecSynthEvent>
    {
        private readonly Lock _gate = new();

        public void Report(SpecSynthEvent value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
