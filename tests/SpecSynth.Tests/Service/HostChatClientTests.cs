using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Service;

/// <summary>An <see cref="IChatClient"/> the host registered is the provider, with specsynth's middleware around it.</summary>
public sealed class HostChatClientTests
{
    private const string Secret = "sk-proj-Xy7zAb3cDe6fGh9iJk2lMn5oPq8rSt1u";

    [Fact]
    public async Task HostClient_IsTheProvider_ItsPromptIsRedacted_UsageRecorded_AndTheCacheApplies()
    {
        using var world = new ServiceWorld();
        var host = new HostChatClient("openai", "gpt-4.1", ModelAnswers.TwoFiles);
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(host));
        var synthesizer = services.GetRequiredService<ISpecSynthesizer>();
        var request = new GenerateRequest
        {
            SpecText = "# Greeter\n\nGreets people. The service key is " + Secret + ".\n\n## Requirements\n\n- It MUST greet by name.\n",
            SpecName = "greeter.md",
            OutputRoot = "out",
            DryRun = true,
        };

        var first = await synthesizer.GenerateAsync(request);
        var second = await synthesizer.GenerateAsync(request);

        Assert.Equal(1, host.Calls);
        var prompt = string.Join("\n", Assert.Single(host.Received).Select(m => m.Text));
        Assert.Contains("Greets people", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, prompt, StringComparison.Ordinal);
        Assert.Equal(("openai", "gpt-4.1"), (first.Provider, first.Model));
        Assert.False(first.CacheHit);
        Assert.True(first.CostUsd > 0m, "gpt-4.1 is in the model catalog: the call is priced");
        Assert.True(second.CacheHit);
        Assert.Equal(0m, second.CostUsd);
        Assert.Equal(first.Files.Select(f => f.Path), second.Files.Select(f => f.Path));
        Assert.False(host.Disposed);

        var usage = await world.Cli().RunAsync("usage", "--by", "provider", "--json");
        Assert.True(usage.ExitCode == 0, usage.Error);
        using var doc = JsonDocument.Parse(usage.Out);
        var group = Assert.Single(doc.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("openai", group.GetProperty("key").GetString());
    }

    [Fact]
    public async Task HostClient_WithoutMetadata_IsNamedHost()
    {
        using var world = new ServiceWorld();
        var host = new HostChatClient("", "", ModelAnswers.TwoFiles);
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(host));

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(
            new GenerateRequest { SpecPath = "spec.md", OutputRoot = "out", DryRun = true });

        Assert.Equal(1, host.Calls);
        Assert.Equal("host", result.Provider);
        Assert.Equal(0m, result.CostUsd);
    }
}
